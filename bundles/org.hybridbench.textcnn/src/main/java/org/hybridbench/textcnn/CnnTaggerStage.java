package org.hybridbench.textcnn;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import org.hybridbench.api.PortTypes;
import org.hybridbench.api.ProgressMonitor;
import org.hybridbench.api.RunContext;
import org.hybridbench.api.StageException;
import org.hybridbench.api.StageIO;
import org.hybridbench.api.data.TaggedSentences;
import org.hybridbench.api.model.Optimizer;
import org.hybridbench.api.model.ParameterBlock;
import org.hybridbench.api.model.Predictions;
import org.hybridbench.api.model.StructuredLoss;
import org.hybridbench.api.model.TrainingCheckpoint;
import org.nd4j.linalg.factory.Nd4j;

/** One run of {@code model.tagger.cnn}. */
final class CnnTaggerStage {
    static final String CHECKPOINT = "cnn-tagger";
    private static final String MAGIC = "hybridbench-textcnn-checkpoint-1";

    private final CnnEncoder.Architecture arch;
    private final int minCount;
    private final double unkRate;
    private final int decodeChunk;

    /** What the last run measured, for tests and benchmarks. */
    Result result;
    CnnTagger model;

    record Result(int epochs, double lastLossPerToken, double devAccuracy, double testAccuracy, double oovAccuracy, int oovTokens,
            double trainSeconds, double trainTokensPerSecond, double decodeTokensPerSecond, double lossMillisPerSentence,
            long parameters) {
    }

    CnnTaggerStage(CnnEncoder.Architecture arch, int minCount, double unkRate, int decodeChunk) {
        this.arch = arch;
        this.minCount = minCount;
        this.unkRate = unkRate;
        this.decodeChunk = decodeChunk;
    }

    void run(StageIO io, RunContext context) throws Exception {
        String type = CnnTaggerStageProvider.TYPE;
        TaggedSentences train = io.input("sentences", PortTypes.TAGGED_SENTENCES);
        TaggedSentences dev = io.optionalInput("dev", PortTypes.TAGGED_SENTENCES).orElse(null);
        TaggedSentences test = io.optionalInput("test", PortTypes.TAGGED_SENTENCES).orElse(null);
        StructuredLoss loss = io.input("loss", PortTypes.STRUCTURED_LOSS);
        Optimizer optimizer = io.input("optimizer", PortTypes.OPTIMIZER);
        if (train.size() == 0 || train.totalTokens() == 0) {
            throw new StageException(type + ": the training sentences '" + train.name() + "' are empty");
        }
        for (TaggedSentences other : new TaggedSentences[] {dev, test}) {
            if (other != null && (!other.tagNames().equals(train.tagNames()) || !other.tagSet().equals(train.tagSet()))) {
                throw new StageException(type + ": the sentences '" + other.name() + "' use tag set " + other.tagSet() + " "
                        + other.tagNames() + ", the training sentences '" + train.name() + "' " + train.tagSet() + " "
                        + train.tagNames());
            }
        }
        int k = train.tagCount();
        TokenFeatures features = TokenFeatures.build(train, minCount, arch.suffixLengths());
        CnnEncoder encoder = new CnnEncoder(features, arch, k, context.stageSeed());
        CnnTagger tagger = new CnnTagger(encoder, loss);
        model = tagger;
        checkLoss(tagger, k);
        CnnTagger.Data data = tagger.new Data(train);
        CnnTagger.Data devData = dev == null ? null : tagger.new Data(dev);
        context.log(String.format(Locale.ROOT, "%s: %d sentences, %d tokens, %d tags; %d words (+pad, unknown), suffixes %s; "
                + "window %d x %d features, hidden %s %s, dropout %.2f, %s; %,d parameters (loss: %s)", type, train.size(),
                train.totalTokens(), k, features.wordCount() - 2, java.util.Arrays.toString(arch.suffixLengths()), arch.window(),
                encoder.tokenDim, java.util.Arrays.toString(arch.hidden()), arch.activation(), arch.dropout(),
                arch.doublePrecision() ? "double" : "float", tagger.blocks.stream().mapToLong(ParameterBlock::size).sum(),
                loss.parameters().isEmpty() ? "no parameters (word-level)" : "with parameters " + loss.parameters().stream()
                        .map(ParameterBlock::name).toList()));

        int epochs = context.regime().epochs();
        int batchSize = context.regime().batchSize() > 0 ? context.regime().batchSize() : 16;
        int every = context.regime().checkpointEvery();
        int start = 0;
        Optional<Integer> restored = context.restore(CHECKPOINT, in -> readCheckpoint(in, tagger, optimizer));
        if (restored.isPresent()) {
            start = restored.get();
            context.log(type + ": resuming from the checkpoint after epoch " + start);
        }
        long trainNanos = 0;
        long trainTokens = 0;
        double lossPerToken = Double.NaN;
        double devAccuracy = Double.NaN;
        try (ProgressMonitor progress = context.progress(type + " mini-batches of " + batchSize + " sentences", (long) epochs
                * train.totalTokens(), "tokens")) {
            progress.set((long) start * train.totalTokens());
            for (int epoch = start; epoch < epochs; epoch++) {
                // per-epoch generators: the same batches, dropout masks and unknown-word choices after a resume
                SplittableRandom rng = new SplittableRandom(context.stageSeed() * 1_000_003L + epoch);
                Nd4j.getRandom().setSeed(context.stageSeed() * 7_919L + epoch);
                int[] order = shuffle(rng, train.size());
                long t0 = System.nanoTime();
                double sum = 0;
                long done = (long) epoch * train.totalTokens();
                for (int b = 0; b < order.length; b += batchSize) {
                    context.checkCancelled();
                    int[] batch = java.util.Arrays.copyOfRange(order, b, Math.min(order.length, b + batchSize));
                    double l = tagger.lossAndGradient(data, batch, 1.0 / batch.length, true, rng, unkRate);
                    if (!Double.isFinite(l)) {
                        throw new StageException(type + ": the loss became " + l + " in epoch " + (epoch + 1) + " at sentence batch "
                                + (b / batchSize) + " (sentences " + java.util.Arrays.toString(batch) + "); the last checkpoint is kept");
                    }
                    sum += l;
                    try {
                        optimizer.step(tagger.blocks);
                    } catch (UnsupportedOperationException e) {
                        throw new StageException(type + ": the optimizer does not take stochastic steps (" + e.getMessage()
                                + "); wire optimizer.adam, optimizer.adagrad or optimizer.sgd", e);
                    }
                    encoder.parametersChanged();
                    for (int i : batch) {
                        done += data.offsets[i + 1] - data.offsets[i];
                    }
                    progress.set(done);
                }
                long nanos = System.nanoTime() - t0;
                trainNanos += nanos;
                trainTokens += train.totalTokens();
                lossPerToken = sum / train.totalTokens();
                Map<String, Double> m = new LinkedHashMap<>();
                m.put("loss", sum);
                m.put("lossPerToken", lossPerToken);
                m.put("tokensPerSecond", train.totalTokens() / (nanos / 1e9));
                if (devData != null) {
                    devAccuracy = accuracy(tagger.decode(devData, decodeChunk), devData.tags);
                    m.put("devAccuracy", devAccuracy);
                }
                context.metrics(epoch + 1, m);
                context.log(String.format(Locale.ROOT, "%s: epoch %d/%d loss/token %.4f%s, %.0f tokens/s", type, epoch + 1, epochs,
                        lossPerToken, devData == null ? "" : String.format(Locale.ROOT, ", dev accuracy %.4f", devAccuracy),
                        train.totalTokens() / (nanos / 1e9)));
                if (every > 0 && (epoch + 1) % every == 0) {
                    int e = epoch + 1;
                    context.checkpoint(CHECKPOINT, out -> writeCheckpoint(out, tagger, optimizer, e));
                }
            }
        }

        TaggedSentences eval = test != null ? test : train;
        CnnTagger.Data evalData = test != null ? tagger.new Data(test) : data;
        long d0 = System.nanoTime();
        int[] predicted = tagger.decode(evalData, decodeChunk);
        double decodeSeconds = (System.nanoTime() - d0) / 1e9;
        double accuracy = accuracy(predicted, evalData.tags);
        int oov = 0;
        int oovRight = 0;
        int r = 0;
        for (int i = 0; i < eval.size(); i++) {
            for (String w : eval.words(i)) {
                if (!features.known(w)) {
                    oov++;
                    if (predicted[r] == evalData.tags[r]) {
                        oovRight++;
                    }
                }
                r++;
            }
        }
        double oovAccuracy = oov == 0 ? Double.NaN : (double) oovRight / oov;
        String prefix = test != null ? "test" : "train";
        double trainSeconds = trainNanos / 1e9;
        double trainRate = trainTokens / Math.max(1e-9, trainSeconds);
        double decodeRate = evalData.tokens() / Math.max(1e-9, decodeSeconds);
        double lossMsPerSentence = trainTokens == 0 ? Double.NaN
                : tagger.lossNanos / 1e6 / ((double) trainTokens / train.totalTokens() * train.size());
        Map<String, Double> fm = new LinkedHashMap<>();
        fm.put(prefix + "Accuracy", accuracy);
        if (oov > 0) {
            fm.put(prefix + "OovAccuracy", oovAccuracy);
        }
        fm.put(prefix + "OovTokens", (double) oov);
        fm.put("trainSeconds", trainSeconds);
        fm.put("trainTokensPerSecond", trainRate);
        fm.put("decodeTokensPerSecond", decodeRate);
        fm.put("lossMillisPerSentence", lossMsPerSentence);
        context.metrics(Math.max(epochs, start), fm);
        context.log(String.format(Locale.ROOT, "%s: %d epochs in %.1f s (%.0f tokens/s; loss forward-backward + gradient %.3f ms per "
                + "sentence); %s accuracy %.4f on %d tokens, OOV accuracy %.4f on %d tokens; decoding %.0f tokens/s", type, epochs,
                trainSeconds, trainRate, lossMsPerSentence, prefix, accuracy, evalData.tokens(), oovAccuracy, oov, decodeRate));
        result = new Result(epochs, lossPerToken, devAccuracy, accuracy, oovAccuracy, oov, trainSeconds, trainRate, decodeRate,
                lossMsPerSentence, tagger.blocks.stream().mapToLong(ParameterBlock::size).sum());

        Map<String, Object> training = new LinkedHashMap<>();
        training.put("sentences", train.name());
        training.put("tokens", train.totalTokens());
        training.put("test", test == null ? null : test.name());
        training.put("epochs", epochs);
        training.put("batchSize", batchSize);
        training.put(prefix + "Accuracy", accuracy);
        training.put(prefix + "OovAccuracy", oovAccuracy);
        training.put("trainSeconds", trainSeconds);
        training.put("seed", context.stageSeed());
        context.saveArtifact("model-" + context.stageName() + ".bin", out -> ModelFile.write(out, tagger, train, minCount, training));
        // CoNLL-style columns for error analysis: word, reference tag, predicted tag; a blank line after each sentence
        context.saveArtifact("predictions-" + context.stageName() + ".conll", out -> {
            java.io.Writer w = new java.io.BufferedWriter(new java.io.OutputStreamWriter(out, java.nio.charset.StandardCharsets.UTF_8));
            java.util.List<String> names = train.tagNames();
            int row = 0;
            for (int i = 0; i < eval.size(); i++) {
                for (String word : eval.words(i)) {
                    w.write(word + "\t" + names.get(evalData.tags[row]) + "\t" + names.get(predicted[row]) + "\n");
                    row++;
                }
                w.write("\n");
            }
            w.flush();
        });
        io.output("predictions", PortTypes.PREDICTIONS, new Predictions(predicted, evalData.tags.clone(), k, train.tagNames()));
    }

    /** The wired loss must score K tags: one forward of a one-token sentence tells. */
    private static void checkLoss(CnnTagger tagger, int k) throws StageException {
        try {
            tagger.loss.lossAndGradient(new org.hybridbench.api.data.Matrix(1, k), new int[] {1}, new int[] {0}, null);
        } catch (IllegalArgumentException e) {
            throw new StageException(CnnTaggerStageProvider.TYPE + ": the wired loss does not take " + k + " tag scores (" + e.getMessage()
                    + "); set its tags to " + k + ", the training set's tag count", e);
        }
        for (ParameterBlock p : tagger.loss.parameters()) {
            p.zeroGradient();
        }
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

    static void writeCheckpoint(OutputStream os, CnnTagger tagger, Optimizer optimizer, int epoch) throws IOException {
        TrainingCheckpoint.write(os, MAGIC, epoch, tagger.blocks, optimizer);
    }

    static int readCheckpoint(InputStream is, CnnTagger tagger, Optimizer optimizer) throws IOException {
        int epoch = TrainingCheckpoint.read(is, MAGIC, tagger.blocks, optimizer, "the " + CnnTaggerStageProvider.TYPE + " checkpoint");
        tagger.encoder.parametersChanged();
        return epoch;
    }
}
