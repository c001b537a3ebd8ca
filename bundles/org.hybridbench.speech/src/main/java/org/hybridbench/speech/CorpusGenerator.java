package org.hybridbench.speech;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.hybridbench.api.ProgressMonitor;
import org.hybridbench.api.RunContext;
import org.hybridbench.api.StageException;
import org.hybridbench.fetch.NpmPackFetcher;

/**
 * Makes the corpus: for voice p (position in the configured list, V voices) and utterance j, the text is the
 * selected Brown sentence number j·V + p (so no two utterances share a text, and the held-out voice speaks
 * sentences nobody trained on); flite synthesises it; the waveform is checked (RIFF PCM 16-bit mono 16 kHz), its
 * phones are clipped to its length, white Gaussian noise is added at the chosen SNR, and the static MFCCs and frame
 * labels are computed. The random choices of an utterance (speed, pitch, SNR, noise) come from a generator
 * seeded by the configured seed and the utterance id only, so they do not depend on threads or on other
 * utterances.
 */
final class CorpusGenerator {

    /** What decides the corpus (and so its cache key). */
    record Settings(List<String> voices, int perVoice, int minWords, int maxWords, double speedJitter, double pitchJitter,
            List<Double> snrs, long seed, boolean logEnergy) {

        /** The canonical text hashed into the cache key. */
        String canonical() {
            return String.format(Locale.ROOT, "voices=%s;perVoice=%d;words=%d-%d;speedJitter=%s;pitchJitter=%s;snr=%s;seed=%d;energy=%s",
                    String.join(",", voices), perVoice, minWords, maxWords, speedJitter, pitchJitter, snrs, seed,
                    logEnergy ? "logE" : "c0");
        }
    }

    private final Settings settings;
    private final Mfcc mfcc;
    private final Flite flite;

    CorpusGenerator(Settings settings, Flite flite) {
        this.settings = settings;
        this.mfcc = new Mfcc(Mfcc.Options.standard().withLogEnergy(settings.logEnergy()));
        this.flite = flite;
    }

    Mfcc mfcc() {
        return mfcc;
    }

    /** One utterance to synthesise. */
    record Job(String id, String voice, int index, String text, double stretch, double f0, double snr, long noiseSeed) {
    }

    /** The utterances of the configuration, voice by voice, with their random choices drawn. */
    List<Job> plan(List<String> texts) {
        int v = settings.voices().size();
        if (texts.size() != v * settings.perVoice()) {
            throw new IllegalArgumentException(texts.size() + " texts for " + v + " voices of " + settings.perVoice());
        }
        List<Job> jobs = new ArrayList<>();
        for (int p = 0; p < v; p++) {
            String voice = settings.voices().get(p);
            for (int j = 0; j < settings.perVoice(); j++) {
                String id = String.format(Locale.ROOT, "%s-%04d", voice, j);
                SplittableRandom rng = new SplittableRandom(settings.seed() * 0x9E3779B97F4A7C15L + id.hashCode());
                double stretch = settings.speedJitter() > 0 ? 1 + settings.speedJitter() * (2 * rng.nextDouble() - 1) : 1.0;
                double u = rng.nextDouble();
                Double base = Flite.DEFAULT_F0.get(voice);
                double f0 = settings.pitchJitter() > 0 && base != null ? base * (1 + settings.pitchJitter() * (2 * u - 1)) : Double.NaN;
                double snr = settings.snrs().get(rng.nextInt(settings.snrs().size()));
                jobs.add(new Job(id, voice, j, texts.get(j * v + p), stretch, f0, snr, rng.nextLong()));
            }
        }
        return jobs;
    }

    /** Synthesises and analyses every job, {@code threads} flite processes at a time, in a scratch directory. */
    List<Utterance> generate(List<Job> jobs, Path scratch, int threads, RunContext context) throws StageException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "flite");
            t.setDaemon(true);
            return t;
        });
        try (ProgressMonitor progress = context.progress("synthesising with flite", jobs.size(), "utterances")) {
            List<Future<Utterance>> futures = new ArrayList<>();
            for (Job job : jobs) {
                futures.add(pool.submit(() -> synthesize(job, scratch)));
            }
            List<Utterance> out = new ArrayList<>(jobs.size());
            for (Future<Utterance> f : futures) {
                context.checkCancelled();
                try {
                    out.add(f.get());
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof StageException se) {
                        throw se;
                    }
                    throw new StageException("synthesis failed: " + c, c);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StageException("interrupted while synthesising", e);
                }
                progress.advance(1);
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private Utterance synthesize(Job job, Path scratch) throws StageException {
        Path wav = scratch.resolve(job.id() + ".wav");
        List<String> command = flite.command(job.voice(), job.text(), job.stretch(), job.f0(), wav);
        String phones = flite.synthesize(command, "utterance " + job.id());
        byte[] bytes = Flite.takeWav(wav, "utterance " + job.id());
        return analyse(job, bytes, phones, printable(command));
    }

    /** The command line as a shell would take it (text quoted), without the scratch path. */
    static String printable(List<String> command) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < command.size(); i++) {
            String a = command.get(i);
            if (i > 0 && command.get(i - 1).equals("-o")) {
                a = "OUT.wav";
            }
            sb.append(i == 0 ? "" : " ").append(a.matches("[A-Za-z0-9_.=:/-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return sb.toString();
    }

    /**
     * Turns flite's waveform and phone timings into an {@link Utterance}: format check, phones clipped to the
     * waveform, noise, static MFCCs, a label per frame.
     */
    Utterance analyse(Job job, byte[] wavBytes, String phoneOutput, String command) throws StageException {
        String what = "utterance " + job.id() + " (voice " + job.voice() + ", \"" + abbreviate(job.text()) + "\")";
        Wav.Audio audio;
        try {
            audio = Wav.read(wavBytes, what, mfcc.options().sampleRate());
        } catch (Wav.WavException e) {
            throw new StageException(e.getMessage(), e);
        }
        double[] x = audio.samples();
        int frames = mfcc.frameCount(x.length);
        if (frames == 0) {
            throw new StageException(what + ": " + x.length + " samples, shorter than one " + mfcc.options().windowLength()
                    + "-sample analysis window");
        }
        List<Phones.Segment> segments;
        int[] labels;
        double duration = x.length / (double) audio.sampleRate();
        try {
            segments = Phones.clip(Phones.parse(phoneOutput, what), duration);
            double[] centres = new double[frames];
            for (int t = 0; t < frames; t++) {
                centres[t] = mfcc.frameCentre(t);
            }
            labels = Phones.frameLabels(segments, centres, what);
        } catch (IllegalArgumentException e) {
            throw new StageException(e.getMessage(), e);
        }
        if (Double.isFinite(job.snr())) {
            addNoise(x, job.snr(), new SplittableRandom(job.noiseSeed()));
        }
        double[] c = mfcc.statics(x);
        float[] statics = new float[c.length];
        for (int i = 0; i < c.length; i++) {
            statics[i] = (float) c[i];
        }
        byte[] lab = new byte[frames];
        for (int t = 0; t < frames; t++) {
            lab[t] = (byte) labels[t];
        }
        return new Utterance(job.id(), job.voice(), job.index(), job.text(), job.stretch(), job.f0(), job.snr(), x.length,
                List.copyOf(segments), frames, statics, lab, command);
    }

    /**
     * Adds white Gaussian noise of power P_s / 10^(snr/10), P_s the mean square of the whole utterance (pauses
     * included), so 10 log10(P_s / P_n) = snr in expectation.
     */
    static void addNoise(double[] x, double snrDb, SplittableRandom rng) {
        double ps = 0;
        for (double v : x) {
            ps += v * v;
        }
        ps /= Math.max(1, x.length);
        double sigma = Math.sqrt(ps / Math.pow(10, snrDb / 10));
        for (int i = 0; i < x.length; i++) {
            x[i] += sigma * gaussian(rng);
        }
    }

    /** Box–Muller, written out so the noise is the same on every JDK (nextGaussian's algorithm is not specified). */
    private static double gaussian(SplittableRandom rng) {
        double u1 = 1 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    // ---------------------------------------------------------------------------------------------- the cache

    /** The cache directory name of a configuration: {@code speech-} and 16 hex digits of a sha-256. */
    static String cacheName(Settings settings, String fliteVersion) {
        String key = settings.canonical() + ";flite=" + fliteVersion + ";brown=" + BrownCorpus.SHA256 + ";format="
                + CorpusFile.VERSION + ";mfcc=" + Mfcc.Options.standard().withLogEnergy(settings.logEnergy()).describe();
        return "speech-" + sha256(key.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }

    /**
     * Generates the corpus into {@code <cache>/<name>/} unless it is there: everything is written into a
     * {@code .tmp-*} directory beside it and renamed in one atomic step, so the directory either holds a whole
     * corpus with its provenance or does not exist; a failure deletes the temporary directory.
     */
    Path ensureCached(Path cache, String name, String fliteVersion, List<String> texts, int threads, RunContext context)
            throws StageException {
        Path target = cache.resolve(name);
        if (Files.isRegularFile(target.resolve("provenance.json"))) {
            return target;
        }
        Path tmp;
        try {
            Files.createDirectories(cache);
            tmp = Files.createTempDirectory(cache, ".tmp-" + name + "-");
        } catch (IOException e) {
            throw new StageException("cannot create a directory in the data cache " + cache + ": " + e.getMessage(), e);
        }
        try {
            List<Job> jobs = plan(texts);
            context.log("dataset.speech: generating " + jobs.size() + " utterances (" + settings.voices().size() + " voices x "
                    + settings.perVoice() + ") with flite " + fliteVersion + " into " + target);
            long t0 = System.nanoTime();
            Path scratch = Files.createDirectory(tmp.resolve("wav"));
            List<Utterance> utterances = generate(jobs, scratch, threads, context);
            Files.delete(scratch);
            try (OutputStream out = Files.newOutputStream(tmp.resolve("corpus.bin"))) {
                CorpusFile.write(out, utterances, mfcc.options().cepstra());
            }
            writeTable(tmp.resolve("utterances.tsv"), utterances);
            double seconds = (System.nanoTime() - t0) / 1e9;
            String corpusSha = NpmPackFetcher.sha256(tmp.resolve("corpus.bin"));
            Files.writeString(tmp.resolve("provenance.json"), provenance(fliteVersion, texts, utterances, seconds, corpusSha),
                    StandardCharsets.UTF_8);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                // Another run made the same corpus meanwhile; its copy is as good as ours.
            } catch (AtomicMoveNotSupportedException e) {
                throw new StageException("the data cache " + cache + " does not support atomic renames", e);
            }
            context.log(String.format(Locale.ROOT, "dataset.speech: generated %d utterances in %.1f s, cached in %s", utterances.size(),
                    seconds, target));
            return target;
        } catch (IOException e) {
            throw new StageException("generating the speech corpus into " + cache + " failed: " + e, e);
        } finally {
            if (Files.exists(tmp)) {
                NpmPackFetcher.deleteTree(tmp);
            }
        }
    }

    private static void writeTable(Path file, List<Utterance> utterances) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("id\tvoice\tindex\tseconds\tframes\tstretch\tf0\tsnr\ttext\tphones\tcommand\n");
            for (Utterance u : utterances) {
                StringBuilder ph = new StringBuilder();
                for (Phones.Segment s : u.phones()) {
                    ph.append(ph.length() == 0 ? "" : " ").append(s.phone()).append(':').append(String.format(Locale.ROOT, "%.3f", s.end()));
                }
                w.write(String.format(Locale.ROOT, "%s\t%s\t%d\t%.4f\t%d\t%.4f\t%s\t%s\t%s\t%s\t%s%n", u.id(), u.voice(), u.index(),
                        u.seconds(), u.frames(), u.stretch(), Double.isNaN(u.f0()) ? "default" : String.format(Locale.ROOT, "%.2f", u.f0()),
                        Double.isFinite(u.snr()) ? String.format(Locale.ROOT, "%.1f", u.snr()) : "clean", u.text(), ph, u.command()));
            }
        }
    }

    private String provenance(String fliteVersion, List<String> texts, List<Utterance> utterances, double seconds,
            String corpusSha) {
        double total = 0;
        long frames = 0;
        for (Utterance u : utterances) {
            total += u.seconds();
            frames += u.frames();
        }
        Map<String, String> p = new LinkedHashMap<>();
        p.put("source", "flite");
        p.put("flite", fliteVersion + " (Debian package flite)");
        p.put("voices", String.join(",", settings.voices()));
        p.put("utterancesPerVoice", Integer.toString(settings.perVoice()));
        p.put("settings", settings.canonical());
        p.put("texts", "npm " + BrownCorpus.PACKAGE + "@" + BrownCorpus.VERSION + " (sha256 " + BrownCorpus.SHA256 + "): sentences of "
                + settings.minWords() + "-" + settings.maxWords() + " words in file order, " + texts.size()
                + " taken evenly spaced (k*M/count); voice p utterance j speaks text j*V+p");
        p.put("textsSha256", sha256(String.join("\n", texts).getBytes(StandardCharsets.UTF_8)));
        p.put("command", "flite -voice VOICE -psdur [--setf duration_stretch=S] [--setf int_f0_target_mean=F] -t TEXT -o OUT.wav "
                + "(every utterance's command line is in utterances.tsv)");
        p.put("noise", "white Gaussian, power = mean square of the utterance / 10^(snr/10), seeded by the seed and utterance id");
        p.put("mfcc", mfcc.options().describe());
        p.put("utterances", Integer.toString(utterances.size()));
        p.put("hours", String.format(Locale.ROOT, "%.4f", total / 3600));
        p.put("frames", Long.toString(frames));
        p.put("generationSeconds", String.format(Locale.ROOT, "%.1f", seconds));
        p.put("generatedAt", Instant.now().toString());
        p.put("corpusBinSha256", corpusSha);
        StringBuilder sb = new StringBuilder("{\n");
        int i = 0;
        for (Map.Entry<String, String> e : p.entrySet()) {
            sb.append("  \"").append(e.getKey()).append("\": \"").append(json(e.getValue())).append('"')
                    .append(++i < p.size() ? ",\n" : "\n");
        }
        return sb.append("}\n").toString();
    }

    static String json(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
