package org.hybridbench.tagger;

import java.io.IOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

import org.hybridbench.api.PortTypes;
import org.hybridbench.api.ProgressMonitor;
import org.hybridbench.api.RunContext;
import org.hybridbench.api.Stage;
import org.hybridbench.api.StageException;
import org.hybridbench.api.StageIO;
import org.hybridbench.api.data.TaggedSentences;
import org.hybridbench.api.model.Minimization;
import org.hybridbench.api.model.Objective;
import org.hybridbench.api.model.Optimizer;
import org.hybridbench.api.model.ParameterBlock;
import org.hybridbench.api.model.Predictions;
import org.hybridbench.api.model.StructuredLoss;
import org.hybridbench.api.model.TrainingCheckpoint;

/** One run of {@code model.crf.features}. */
final class FeatureCrfStage implements Stage {
    static final String CHECKPOINT = "tagger";
    private static final String MAGIC = "hybridbench-tagger-checkpoint-1";

    private final double l2;
    private final int minCount;
    private final int accuracyEvery;
    private final double tolerance;
    private final int chunks;

    /** What the run measured, for tests. */
    Result result;

    record Result(double objective, int iterations, double trainAccuracy, double testAccuracy, double oovAccuracy, int oovTokens,
            int features, long millis) {
    }

    FeatureCrfStage(double l2, int minCount, int accuracyEvery, double tolerance, int chunks) {
        this.l2 = l2;
        this.minCount = minCount;
        this.accuracyEvery = accuracyEvery;
        this.tolerance = tolerance;
        this.chunks = chunks;
    }

    @Override
    public void run(StageIO io, RunContext context) throws Exception {
        String type = FeatureCrfStageProvider.TYPE;
        long t0 = System.nanoTime();
        TaggedSentences train = io.input("sentences", PortTypes.TAGGED_SENTENCES);
        TaggedSentences test = io.optionalInput("test", PortTypes.TAGGED_SENTENCES).orElse(null);
        StructuredLoss loss = io.input("loss", PortTypes.STRUCTURED_LOSS);
        Optimizer optimizer = io.input("optimizer", PortTypes.OPTIMIZER);
        if (train.size() == 0) {
            throw new StageException(type + ": the training sentences '" + train.name() + "' are empty");
        }
        int k = train.tagCount();
        if (test != null && (!test.tagNames().equals(train.tagNames()) || !test.tagSet().equals(train.tagSet()))) {
            throw new StageException(type + ": the test sentences '" + test.name() + "' use tag set " + test.tagSet() + " "
                    + test.tagNames() + ", the training sentences '" + train.name() + "' " + train.tagSet() + " " + train.tagNames());
        }
        FeatureCrf model;
        Features features = Features.build(train, minCount);
        try {
            model = new FeatureCrf(features, k, loss);
        } catch (IllegalArgumentException e) {
            throw new StageException(type + ": " + e.getMessage() + " — the loss must be a loss.crf or loss.softmax with tags = "
                    + k + " (the training set's tag count)", e);
        }
        FeatureCrf.Data data = model.new Data(train);
        context.log(String.format(Locale.ROOT, "%s: %d sentences, %d tokens, %d tags, %d features (%d weights), l2 %.3g, %s",
                type, train.size(), train.totalTokens(), k, features.size(), model.w.length, l2,
                model.hasTransitions() ? "chain loss with transition scores (Viterbi decoding)" : "per-token loss (no transitions)"));

        int epochs = context.regime().epochs();
        int batchSize = context.regime().batchSize();
        int every = context.regime().checkpointEvery();
        int start = 0;
        Optional<Integer> restored = context.restore(CHECKPOINT, in -> readCheckpoint(in, model, optimizer));
        if (restored.isPresent()) {
            start = restored.get();
            context.log(type + ": resuming from the checkpoint after iteration " + start);
        }
        boolean fullBatch = batchSize == 0 || batchSize >= train.size();
        double objective = Double.NaN;
        double trainAccuracy = Double.NaN;
        int iterations = start;
        int[] evaluations = {0};
        Objective full = model.objective(data, l2, chunks, () -> evaluations[0]++);
        SplittableRandom rng = new SplittableRandom(context.stageSeed());
        for (int s = 0; s < start && !fullBatch; s++) {
            shuffle(rng, train.size()); // the same batches after a resume
        }
        try (ProgressMonitor progress = context.progress(type + (fullBatch ? " full batch" : " mini-batches of " + batchSize), epochs,
                fullBatch ? "iterations" : "epochs")) {
            progress.set(start);
            for (int it = start; it < epochs; it++) {
                context.checkCancelled();
                Map<String, Double> m = new LinkedHashMap<>();
                boolean converged = false;
                if (fullBatch) {
                    Minimization r;
                    try {
                        r = optimizer.minimize(full, 1, tolerance * Math.max(1, train.totalTokens()));
                    } catch (IllegalArgumentException e) {
                        throw new StageException(type + ": iteration " + (it + 1) + ": " + e.getMessage(), e);
                    }
                    objective = r.value();
                    converged = r.converged();
                    m.put("objective", objective);
                    m.put("objectivePerToken", objective / train.totalTokens());
                    m.put("gradientNorm", r.gradientNorm());
                    m.put("evaluations", (double) evaluations[0]);
                } else {
                    int[] order = shuffle(rng, train.size());
                    double sum = 0;
                    for (int b = 0; b < order.length; b += batchSize) {
                        context.checkCancelled();
                        int[] batch = java.util.Arrays.copyOfRange(order, b, Math.min(order.length, b + batchSize));
                        sum += model.lossAndGradient(data, batch, l2, (double) batch.length / train.size(), chunks);
                        try {
                            optimizer.step(model.blocks);
                        } catch (UnsupportedOperationException e) {
                            throw new StageException(type + ": the optimizer does not take stochastic steps (" + e.getMessage()
                                    + "); use training.batchSize 0 for full-batch minimisation", e);
                        } catch (IllegalArgumentException e) {
                            throw new StageException(type + ": epoch " + (it + 1) + ": " + e.getMessage(), e);
                        }
                    }
                    objective = sum;
                    m.put("objective", objective);
                    m.put("objectivePerToken", objective / train.totalTokens());
                }
                if (!Double.isFinite(objective)) {
                    throw new StageException(type + ": the objective became " + objective + " at iteration " + (it + 1));
                }
                iterations = it + 1;
                boolean last = converged || iterations == epochs;
                if ((accuracyEvery > 0 && iterations % accuracyEvery == 0) || last) {
                    trainAccuracy = FeatureCrf.accuracy(model.decode(data, chunks), data.tags);
                    m.put("trainAccuracy", trainAccuracy);
                }
                context.metrics(iterations, m);
                progress.set(iterations);
                if (every > 0 && iterations % every == 0) {
                    int done = iterations;
                    context.checkpoint(CHECKPOINT, out -> writeCheckpoint(out, model, optimizer, done));
                }
                if (converged) {
                    context.log(type + ": converged after " + iterations + " iterations");
                    break;
                }
            }
        }
        long trainMillis = (System.nanoTime() - t0) / 1_000_000;

        TaggedSentences eval = test != null ? test : train;
        FeatureCrf.Data evalData = test != null ? model.new Data(test) : data;
        int[] predicted = model.decode(evalData, chunks);
        double accuracy = FeatureCrf.accuracy(predicted, evalData.tags);
        Set<String> vocabulary = new HashSet<>();
        for (int i = 0; i < train.size(); i++) {
            for (String w : train.words(i)) {
                vocabulary.add(w.toLowerCase(Locale.ROOT));
            }
        }
        int oov = 0;
        int oovRight = 0;
        for (int i = 0; i < eval.size(); i++) {
            for (int j = 0; j < eval.length(i); j++) {
                if (!vocabulary.contains(eval.word(i, j).toLowerCase(Locale.ROOT))) {
                    oov++;
                    int r = eval.offset(i) + j;
                    if (predicted[r] == evalData.tags[r]) {
                        oovRight++;
                    }
                }
            }
        }
        double oovAccuracy = oov == 0 ? Double.NaN : (double) oovRight / oov;
        String prefix = test != null ? "test" : "train";
        Map<String, Double> fm = new LinkedHashMap<>();
        fm.put(prefix + "Accuracy", accuracy);
        if (oov > 0) {
            fm.put(prefix + "OovAccuracy", oovAccuracy);
        }
        fm.put(prefix + "OovTokens", (double) oov);
        fm.put("trainSeconds", trainMillis / 1000.0);
        context.metrics(iterations, fm);
        context.log(String.format(Locale.ROOT, "%s: %d iterations in %.1f s, objective %.4f; %s accuracy %.4f on %d tokens, OOV "
                + "accuracy %.4f on %d tokens", type, iterations, trainMillis / 1000.0, objective, prefix, accuracy, evalData.tokens(),
                oovAccuracy, oov));
        result = new Result(objective, iterations, trainAccuracy, accuracy, oovAccuracy, oov, features.size(), trainMillis);

        Map<String, Object> training = new LinkedHashMap<>();
        training.put("sentences", train.name());
        training.put("tokens", train.totalTokens());
        training.put("test", test == null ? null : test.name());
        training.put("iterations", iterations);
        training.put("batchSize", batchSize);
        training.put("objective", objective);
        training.put("l2", l2);
        training.put("minCount", minCount);
        training.put(prefix + "Accuracy", accuracy);
        training.put(prefix + "OovAccuracy", oovAccuracy);
        training.put("trainSeconds", trainMillis / 1000.0);
        training.put("seed", context.stageSeed());
        context.saveArtifact("model-" + context.stageName() + ".json", out -> ModelJson.write(out, model, train, training));
        io.output("predictions", PortTypes.PREDICTIONS, new Predictions(predicted, evalData.tags.clone(), k, train.tagNames()));
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

    static void writeCheckpoint(java.io.OutputStream os, FeatureCrf model, Optimizer optimizer, int iteration) throws IOException {
        TrainingCheckpoint.write(os, MAGIC, iteration, model.blocks, optimizer);
    }

    static int readCheckpoint(java.io.InputStream is, FeatureCrf model, Optimizer optimizer) throws IOException {
        return TrainingCheckpoint.read(is, MAGIC, model.blocks, optimizer, "the " + FeatureCrfStageProvider.TYPE + " checkpoint");
    }
}
