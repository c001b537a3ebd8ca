package org.hybridbench.acoustic;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import org.hybridbench.api.PortTypes;
import org.hybridbench.api.ProgressMonitor;
import org.hybridbench.api.RunContext;
import org.hybridbench.api.StageException;
import org.hybridbench.api.StageIO;
import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.data.SequenceBatch;
import org.hybridbench.api.model.DifferentiableNetwork;
import org.hybridbench.api.model.LabelledSequences;
import org.hybridbench.api.model.Optimizer;
import org.hybridbench.api.model.ParameterBlock;
import org.hybridbench.api.model.TrainingCheckpoint;
import org.hybridbench.api.model.Predictions;
import org.hybridbench.api.model.StructuredLoss;
import org.hybridbench.api.model.Transcriptions;
import org.nd4j.linalg.factory.Nd4j;

/** One run of {@code model.frame.classifier}. */
final class FrameClassifierStage {
    static final String CHECKPOINT = "frame-classifier";
    private static final String CHECKPOINT_MAGIC = "hybridbench-acoustic-frame-checkpoint-1";
    static final String TYPE = FrameClassifierStageProvider.TYPE;

    private final int context;
    private final int minRun;
    private final int decodeChunk;

    /** What the last run measured and built, for tests. */
    Result result;
    DifferentiableNetwork network;
    List<ParameterBlock> blocks;
    Standardization standardization;

    record Result(int epochs, double lastLossPerFrame, double devAccuracy, double evalAccuracy, double phoneErrorRate, double trainSeconds,
            double trainFramesPerSecond, long parameters) {
    }

    FrameClassifierStage(int context, int minRun, int decodeChunk) {
        this.context = context;
        this.minRun = minRun;
        this.decodeChunk = decodeChunk;
    }

    void run(StageIO io, RunContext ctx) throws Exception {
        LabelledSequences train = io.input("sequences", PortTypes.SEQUENCES);
        LabelledSequences dev = io.optionalInput("dev", PortTypes.SEQUENCES).orElse(null);
        LabelledSequences test = io.optionalInput("test", PortTypes.SEQUENCES).orElse(null);
        DifferentiableNetwork net = io.input("network", PortTypes.NETWORK);
        StructuredLoss loss = io.input("loss", PortTypes.STRUCTURED_LOSS);
        Optimizer optimizer = io.input("optimizer", PortTypes.OPTIMIZER);

        if (train.observations().totalLength() == 0) {
            throw new StageException(TYPE + ": the training sequences '" + train.name() + "' have no frames");
        }
        requireLabelled(train, "training");
        for (LabelledSequences other : new LabelledSequences[] {dev, test}) {
            if (other == null) {
                continue;
            }
            if (other.observations().dimension() != train.observations().dimension()) {
                throw new StageException(TYPE + ": the sequences '" + other.name() + "' have " + other.observations().dimension()
                        + " features per frame, the training sequences '" + train.name() + "' " + train.observations().dimension());
            }
            if (other.states() != null && !other.stateNames().equals(train.stateNames())) {
                throw new StageException(TYPE + ": the sequences '" + other.name() + "' are labelled with states " + other.stateNames()
                        + ", the training sequences '" + train.name() + "' with " + train.stateNames());
            }
        }
        if (dev != null) {
            requireLabelled(dev, "dev");
        }
        if (test != null && test.states() != null) {
            requireLabelled(test, "test");
        }
        int k = train.stateNames().size();
        Standardization std = Standardization.fit(train.observations());
        standardization = std;
        SplicedFrames trainFrames = new SplicedFrames(train.observations(), std, context);
        int width = trainFrames.width;
        try {
            if (net instanceof MlpNetwork mlp) {
                mlp.build(width, k);
            } else {
                Matrix probe = net.forward(new Matrix(1, width), false);
                if (probe.cols() != k) {
                    throw new IllegalArgumentException("the network gives " + probe.cols() + " scores per row, the training data has " + k
                            + " states");
                }
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new StageException(TYPE + ": " + e.getMessage() + " (input rows: " + (2 * context + 1) + " frames x "
                    + trainFrames.dimension + " features = " + width + ")", e);
        }
        checkLoss(loss, k);
        List<ParameterBlock> all = new ArrayList<>(net.parameters());
        all.addAll(loss.parameters());
        blocks = List.copyOf(all);
        network = net;
        long parameters = blocks.stream().mapToLong(ParameterBlock::size).sum();

        int n = train.observations().totalLength();
        int[] targets = train.states();
        long[] counts = new long[k];
        for (int s : targets) {
            counts[s]++;
        }
        ctx.log(String.format(Locale.ROOT, "%s: %d utterances, %d frames, %d states; %d frames of context each side -> %d inputs; "
                + "network %s; %,d parameters (loss: %s)", TYPE, train.size(), n, k, context, width,
                net instanceof MlpNetwork m ? m.arch.toString() : net.getClass().getName(), parameters,
                loss.parameters().isEmpty() ? "no parameters" : loss.parameters().stream().map(ParameterBlock::name).toList()));

        int epochs = ctx.regime().epochs();
        int batchSize = ctx.regime().batchSize() > 0 ? ctx.regime().batchSize() : 256;
        int every = ctx.regime().checkpointEvery();
        int start = 0;
        Optional<Integer> restored = ctx.restore(CHECKPOINT, in -> readCheckpoint(in, blocks, optimizer));
        if (restored.isPresent()) {
            start = restored.get();
            ctx.log(TYPE + ": resuming from the checkpoint after epoch " + start);
        }
        SplicedFrames devFrames = dev == null ? null : new SplicedFrames(dev.observations(), std, context);
        long trainNanos = 0;
        long trainedFrames = 0;
        double lossPerFrame = Double.NaN;
        double devAccuracy = Double.NaN;
        try (ProgressMonitor progress = ctx.progress(TYPE + " mini-batches of " + batchSize + " frames", (long) epochs * n, "frames")) {
            progress.set((long) start * n);
            for (int epoch = start; epoch < epochs; epoch++) {
                // per-epoch generators: the same batches and dropout masks after a resume
                SplittableRandom rng = new SplittableRandom(ctx.stageSeed() * 1_000_003L + epoch);
                Nd4j.getRandom().setSeed(ctx.stageSeed() * 7_919L + epoch);
                int[] order = shuffle(rng, n);
                long t0 = System.nanoTime();
                double sum = 0;
                long right = 0;
                for (int b = 0; b < n; b += batchSize) {
                    ctx.checkCancelled();
                    int e = Math.min(n, b + batchSize);
                    Matrix x = trainFrames.rows(order, b, e);
                    int[] y = new int[e - b];
                    for (int i = 0; i < y.length; i++) {
                        y[i] = targets[order[b + i]];
                    }
                    BatchResult r = lossAndGradient(net, loss, blocks, x, y, 1.0 / y.length, true);
                    if (!Double.isFinite(r.loss())) {
                        throw new StageException(TYPE + ": the loss became " + r.loss() + " in epoch " + (epoch + 1) + " at frame batch "
                                + (b / batchSize) + "; the last checkpoint is kept (lower the learning rate?)");
                    }
                    sum += r.loss();
                    right += r.correct();
                    try {
                        optimizer.step(blocks);
                    } catch (UnsupportedOperationException ex) {
                        throw new StageException(TYPE + ": the optimizer does not take stochastic steps (" + ex.getMessage()
                                + "); wire optimizer.adam, optimizer.adagrad or optimizer.sgd", ex);
                    }
                    progress.set((long) epoch * n + e);
                }
                long nanos = System.nanoTime() - t0;
                trainNanos += nanos;
                trainedFrames += n;
                lossPerFrame = sum / n;
                Map<String, Double> m = new LinkedHashMap<>();
                m.put("loss", sum);
                m.put("lossPerFrame", lossPerFrame);
                m.put("trainFrameAccuracy", right / (double) n);
                m.put("framesPerSecond", n / (nanos / 1e9));
                if (devFrames != null) {
                    Scored s = score(net, devFrames);
                    devAccuracy = accuracy(s.labels(), dev.states());
                    m.put("devFrameAccuracy", devAccuracy);
                    m.put("devLossPerFrame", s.negLogLikelihood(dev.states()) / dev.observations().totalLength());
                }
                ctx.metrics(epoch + 1, m);
                ctx.log(String.format(Locale.ROOT, "%s: epoch %d/%d loss/frame %.4f, training frame accuracy %.4f%s, %.0f frames/s", TYPE,
                        epoch + 1, epochs, lossPerFrame, right / (double) n, devFrames == null ? ""
                                : String.format(Locale.ROOT, ", dev frame accuracy %.4f", devAccuracy), n / (nanos / 1e9)));
                if (every > 0 && (epoch + 1) % every == 0) {
                    int done = epoch + 1;
                    ctx.checkpoint(CHECKPOINT, out -> writeCheckpoint(out, blocks, optimizer, done));
                }
            }
        }

        LabelledSequences eval = test != null ? test : train;
        String prefix = test != null ? "test" : "train";
        SplicedFrames evalFrames = test != null ? new SplicedFrames(test.observations(), std, context) : trainFrames;
        long d0 = System.nanoTime();
        Scored scored = score(net, evalFrames);
        double decodeSeconds = (System.nanoTime() - d0) / 1e9;
        int[] reference = eval.states();
        SequenceBatch obs = eval.observations();
        List<String> ids = new ArrayList<>();
        List<int[]> hyps = new ArrayList<>();
        List<int[]> refs = reference == null ? null : new ArrayList<>();
        for (int u = 0; u < eval.size(); u++) {
            ids.add(eval.name() + "/" + u);
            int a = obs.offset(u);
            int b = a + obs.length(u);
            hyps.add(Transcription.collapse(Transcription.smooth(Arrays.copyOfRange(scored.labels(), a, b), minRun)));
            if (refs != null) {
                refs.add(Transcription.collapse(Arrays.copyOfRange(reference, a, b)));
            }
        }
        Transcriptions transcriptions = new Transcriptions(ids, hyps, refs, train.stateNames());
        double accuracy = reference == null ? Double.NaN : accuracy(scored.labels(), reference);
        double per = refs == null ? Double.NaN : Transcription.errorRate(refs, hyps);
        double trainSeconds = trainNanos / 1e9;
        double trainRate = trainedFrames / Math.max(1e-9, trainSeconds);
        Map<String, Double> fm = new LinkedHashMap<>();
        if (reference != null) {
            fm.put(prefix + "FrameAccuracy", accuracy);
            fm.put(prefix + "PhoneErrorRate", per);
        }
        fm.put("trainSeconds", trainSeconds);
        fm.put("trainFramesPerSecond", trainRate);
        fm.put("decodeFramesPerSecond", obs.totalLength() / Math.max(1e-9, decodeSeconds));
        fm.put("parameters", (double) parameters);
        ctx.metrics(Math.max(epochs, start), fm);
        ctx.log(String.format(Locale.ROOT, "%s: %d epochs in %.1f s (%.0f frames/s); %s frame accuracy %.4f on %d frames, phone error "
                + "rate %.4f (argmax labels, runs%s collapsed) on %d utterances", TYPE, epochs, trainSeconds, trainRate, prefix, accuracy,
                obs.totalLength(), per, minRun > 1 ? " shorter than " + minRun + " frames dropped," : "", eval.size()));
        result = new Result(epochs, lossPerFrame, devAccuracy, accuracy, per, trainSeconds, trainRate, parameters);

        double[] priors = new double[k];
        for (int s = 0; s < k; s++) {
            priors[s] = counts[s] / (double) n;
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("sequences", train.name());
        summary.put("frames", n);
        summary.put("test", test == null ? null : test.name());
        summary.put("epochs", epochs);
        summary.put("batchSize", batchSize);
        summary.put(prefix + "FrameAccuracy", accuracy);
        summary.put(prefix + "PhoneErrorRate", per);
        summary.put("trainSeconds", trainSeconds);
        summary.put("seed", ctx.stageSeed());
        ModelFile.Header header = new ModelFile.Header(context, std, train.stateNames(), counts,
                net instanceof MlpNetwork mlp ? mlp : null);
        ctx.saveArtifact("model-" + ctx.stageName() + ".bin", out -> ModelFile.write(out, header, blocks, summary));
        ctx.saveArtifact("priors-" + ctx.stageName() + ".json", out -> writePriors(out, train, counts, priors));

        io.output("predictions", PortTypes.PREDICTIONS, new Predictions(scored.labels(), reference == null ? null : reference.clone(), k,
                train.stateNames()));
        io.output("transcriptions", PortTypes.TRANSCRIPTIONS, transcriptions);
        Map<String, String> provenance = new LinkedHashMap<>(eval.provenance());
        provenance.put("logPosteriors", "log softmax of " + TYPE + " stage '" + ctx.stageName() + "' scores");
        io.output("posteriors", PortTypes.SEQUENCES, new LabelledSequences(eval.name() + "-log-posteriors",
                new SequenceBatch(k, lengths(obs), scored.logPosteriors()), reference == null ? null : reference.clone(),
                train.stateNames(), provenance));
        io.output("priors", PortTypes.MATRIX, new Matrix(1, k, priors));
        // the wired network object itself, now trained: a later stage (e.g. model.hybrid.e2e) may start from it
        io.output("network", PortTypes.NETWORK, net);
    }

    /** Every frame of a training or dev set needs a state label; names the first one without. */
    private static void requireLabelled(LabelledSequences data, String role) throws StageException {
        int[] states = data.states();
        if (states == null) {
            throw new StageException(TYPE + ": the " + role + " sequences '" + data.name() + "' carry no state labels; every " + role
                    + " frame needs one");
        }
        SequenceBatch obs = data.observations();
        for (int u = 0; u < data.size(); u++) {
            for (int t = 0; t < obs.length(u); t++) {
                if (states[obs.offset(u) + t] == LabelledSequences.UNLABELLED) {
                    throw new StageException(TYPE + ": the " + role + " sequences '" + data.name() + "': utterance " + u + ", frame " + t
                            + " has no state label; every " + role + " frame needs one");
                }
            }
        }
        if (data.stateNames().isEmpty()) {
            throw new StageException(TYPE + ": the " + role + " sequences '" + data.name() + "' name no states");
        }
    }

    /** The wired loss must score K classes per frame: one frame tells. */
    private static void checkLoss(StructuredLoss loss, int k) throws StageException {
        try {
            loss.lossAndGradient(new Matrix(1, k), new int[] {1}, new int[] {0}, null);
        } catch (IllegalArgumentException e) {
            throw new StageException(TYPE + ": the wired loss does not take " + k + " scores per frame (" + e.getMessage()
                    + "); set its tags to " + k + ", the training data's number of states", e);
        }
    }

    record BatchResult(double loss, int correct) {
    }

    /**
     * Loss of a mini-batch of frames (each frame its own sequence of length 1: a framewise classifier) and, with
     * {@code gradient}, the gradient of {@code scale} × loss in every block (zeroed first).
     */
    static BatchResult lossAndGradient(DifferentiableNetwork net, StructuredLoss loss, List<ParameterBlock> blocks, Matrix x, int[] y,
            double scale, boolean gradient) {
        if (gradient) {
            for (ParameterBlock p : blocks) {
                p.zeroGradient();
            }
        }
        Matrix scores = net.forward(x, gradient);
        int[] ones = new int[y.length];
        Arrays.fill(ones, 1);
        Matrix g = gradient ? new Matrix(scores.rows(), scores.cols()) : null;
        double[] losses = loss.lossAndGradient(scores, ones, y, g);
        double sum = 0;
        for (double l : losses) {
            sum += l;
        }
        int correct = 0;
        int[] best = argmax(scores);
        for (int i = 0; i < y.length; i++) {
            correct += best[i] == y[i] ? 1 : 0;
        }
        if (gradient) {
            double[] gd = g.data();
            for (int i = 0; i < gd.length; i++) {
                gd[i] *= scale;
            }
            for (ParameterBlock p : loss.parameters()) {
                double[] pg = p.gradient();
                for (int i = 0; i < pg.length; i++) {
                    pg[i] *= scale;
                }
            }
            net.backward(g);
        }
        return new BatchResult(sum, correct);
    }

    /** Per-frame log posteriors (log softmax of the scores, frames × K) and their argmax labels. */
    record Scored(int k, double[] logPosteriors, int[] labels) {
        /** −Σ_t log p(y_t | x_t). */
        double negLogLikelihood(int[] reference) {
            double s = 0;
            for (int t = 0; t < reference.length; t++) {
                s -= logPosteriors[t * k + reference[t]];
            }
            return s;
        }
    }

    Scored score(DifferentiableNetwork net, SplicedFrames frames) {
        int n = frames.frameCount();
        int k = -1;
        double[] logp = null;
        int[] labels = new int[n];
        for (int a = 0; a < n || logp == null; a += decodeChunk) {
            int b = Math.min(n, a + decodeChunk);
            Matrix s = net.forward(frames.rows(a, b), false);
            if (logp == null) {
                k = s.cols();
                logp = new double[Math.multiplyExact(n, k)];
            }
            double[] d = s.data();
            for (int r = 0; r < b - a; r++) {
                int base = r * k;
                double max = Double.NEGATIVE_INFINITY;
                int best = 0;
                for (int j = 0; j < k; j++) {
                    if (d[base + j] > max) {
                        max = d[base + j];
                        best = j;
                    }
                }
                double z = 0;
                for (int j = 0; j < k; j++) {
                    z += Math.exp(d[base + j] - max);
                }
                double logZ = max + Math.log(z);
                for (int j = 0; j < k; j++) {
                    logp[(a + r) * k + j] = d[base + j] - logZ;
                }
                labels[a + r] = best;
            }
        }
        return new Scored(k, logp, labels);
    }

    static int[] argmax(Matrix scores) {
        int k = scores.cols();
        double[] d = scores.data();
        int[] out = new int[scores.rows()];
        for (int r = 0; r < out.length; r++) {
            int best = 0;
            for (int j = 1; j < k; j++) {
                if (d[r * k + j] > d[r * k + best]) {
                    best = j;
                }
            }
            out[r] = best;
        }
        return out;
    }

    static double accuracy(int[] predicted, int[] reference) {
        int right = 0;
        for (int i = 0; i < predicted.length; i++) {
            if (predicted[i] == reference[i]) {
                right++;
            }
        }
        return predicted.length == 0 ? Double.NaN : (double) right / predicted.length;
    }

    private static int[] lengths(SequenceBatch b) {
        int[] l = new int[b.size()];
        for (int i = 0; i < l.length; i++) {
            l[i] = b.length(i);
        }
        return l;
    }

    private static int[] shuffle(SplittableRandom rng, int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private static void writePriors(OutputStream os, LabelledSequences train, long[] counts, double[] priors) throws IOException {
        Writer w = new OutputStreamWriter(os, StandardCharsets.UTF_8);
        w.write("{\n  \"sequences\": \"" + json(train.name()) + "\",\n  \"frames\": " + train.observations().totalLength()
                + ",\n  \"states\": [\n");
        List<String> names = train.stateNames();
        for (int s = 0; s < counts.length; s++) {
            w.write(String.format(Locale.ROOT, "    {\"name\": \"%s\", \"frames\": %d, \"prior\": %.8g}%s%n", json(names.get(s)), counts[s],
                    priors[s], s + 1 < counts.length ? "," : ""));
        }
        w.write("  ]\n}\n");
        w.flush();
    }

    private static String json(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    static void writeCheckpoint(OutputStream os, List<ParameterBlock> blocks, Optimizer optimizer, int epoch) throws IOException {
        TrainingCheckpoint.write(os, CHECKPOINT_MAGIC, epoch, blocks, optimizer);
    }

    static int readCheckpoint(InputStream is, List<ParameterBlock> blocks, Optimizer optimizer) throws IOException {
        return TrainingCheckpoint.read(is, CHECKPOINT_MAGIC, blocks, optimizer, "the " + TYPE + " checkpoint");
    }
}
