package org.hybridbench.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.hybridbench.api.ConfigParam;
import org.hybridbench.api.PortTypes;
import org.hybridbench.api.Stage;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.TrainingRegime;
import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.data.TaggedSentences;
import org.hybridbench.api.model.ChainNumerics;
import org.hybridbench.api.model.Predictions;
import org.hybridbench.api.model.StructuredLoss;
import org.hybridbench.chain.ChainEngine;
import org.hybridbench.crf.LinearChainCrf;
import org.hybridbench.crf.SoftmaxLoss;
import org.hybridbench.optim.Adam;
import org.hybridbench.testing.FakeRunContext;
import org.hybridbench.testing.FakeStageIO;
import org.hybridbench.text.BrownStageProvider;
import org.hybridbench.textcnn.CnnTaggerStageProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The POS tagger's costs (issue 4: training and decoding throughput; forward-backward + gradient time per
 * sentence). The outer benchmarks take one ragged batch of 256 sentences with Brown-like lengths (1…60 tokens,
 * mean about 22) and random unary scores, as an encoder hands them to the loss: the CRF's sentence-level
 * loss and gradient (one batched forward-backward), the word-level softmax loss on the same scores (what the CRF
 * adds is the difference), and Viterbi decoding of the batch. K = 12 is the universal tag set, K = 87 the
 * collapsed Brown tags. Times are per batch of 256 sentences; compare with {@link MatmulBaseline} from the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TaggerBench {
    static final int SENTENCES = 256;

    @Param({"12", "87"})
    public int k;
    @Param({"log", "scaled"})
    public String numerics;

    private Matrix scores;
    private int[] lengths;
    private int[] gold;
    private Matrix gradient;
    private LinearChainCrf crf;
    private SoftmaxLoss softmax;

    @Setup
    public void setup() {
        SplittableRandom r = new SplittableRandom(4);
        lengths = brownLikeLengths(r, SENTENCES);
        int total = 0;
        for (int len : lengths) {
            total += len;
        }
        double[] u = new double[total * k];
        for (int i = 0; i < u.length; i++) {
            u[i] = 4 * r.nextDouble() - 2;
        }
        scores = new Matrix(total, k, u);
        gold = new int[total];
        for (int i = 0; i < total; i++) {
            gold[i] = r.nextInt(k);
        }
        gradient = new Matrix(total, k);
        ChainNumerics n = switch (numerics) {
            case "log" -> ChainNumerics.LOG;
            case "scaled" -> ChainNumerics.SCALED;
            default -> throw new IllegalArgumentException("numerics must be log or scaled, got '" + numerics + "'");
        };
        // one thread, as the CNN tagger's loss runs inside a training step
        crf = new LinearChainCrf(k, new ChainEngine(n, 1));
        crf.initialize(new SplittableRandom(5), 1.0);
        softmax = new SoftmaxLoss(k);
    }

    /**
     * Sentence lengths from a log-normal with median 19 (mean ≈ 22 after clipping to 1…60), close to the Brown
     * corpus's distribution of sentence lengths in tokens.
     */
    public static int[] brownLikeLengths(SplittableRandom r, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            long len = Math.round(Math.exp(Math.log(19) + 0.55 * r.nextGaussian()));
            out[i] = (int) Math.max(1, Math.min(60, len));
        }
        return out;
    }

    /** Loss and unary gradient of the batch, parameter gradients accumulated: the CRF's part of one training step. */
    @Benchmark
    public double[] crfLossAndGradient() {
        crf.zeroGradients();
        return crf.lossAndGradient(scores, lengths, gold, gradient);
    }

    @Benchmark
    public double[] softmaxLossAndGradient() {
        return softmax.lossAndGradient(scores, lengths, gold, gradient);
    }

    @Benchmark
    public int[] crfViterbiDecode() {
        return crf.decode(scores, lengths);
    }

    /**
     * The CNN tagger stage ({@code model.tagger.cnn}, DL4J) on the Brown fixture's 798 training sentences
     * (universal tags), run as the workbench runs it: one epoch in mini-batches of 16 with Adam, under loss.crf
     * (sentence-level likelihood) or loss.softmax (word-level), default architecture. Every call is a whole stage
     * run: vocabulary and network set-up, the epoch, decoding the {@code test} input, writing the model file.
     * {@code trainEpoch} decodes one sentence, so its time is set-up + epoch; {@code trainEpochDecodeTest} decodes the
     * fixture's 305 test sentences too, so the difference between the two is the decoding time. Tokens/s = training
     * (or test) tokens over that time; the stage's own epoch and decoding timers are printed at the end of the trial.
     * ND4J is set to one thread (as the workbench does); start JMH with OMP_NUM_THREADS=1 so OpenMP starts that way too.
     */
    @State(Scope.Benchmark)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 2, time = 1)
    @Measurement(iterations = 3, time = 1)
    @Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
    public static class Cnn {
        @Param({"crf", "softmax"})
        public String loss;

        private Path dir;
        private TaggedSentences train;
        private TaggedSentences test;
        private TaggedSentences oneSentence;
        private Stage stage;
        private int runs;
        private final Map<String, double[]> stageTimers = new HashMap<>();

        @Setup
        public void setup() throws Exception {
            StageBenchmarks.oneNd4jThread("TaggerBench.Cnn");
            dir = Files.createTempDirectory("tagger-bench");
            train = brown("train");
            test = brown("test");
            oneSentence = test.subList(test.name() + "[0]", 0, 1);
            CnnTaggerStageProvider provider = new CnnTaggerStageProvider(null); // null: no OSGi readiness service (as tests do)
            Map<String, Object> defaults = new HashMap<>();
            for (ConfigParam c : provider.descriptor().config()) {
                if (c.defaultValue() != null) {
                    defaults.put(c.name(), c.defaultValue());
                }
            }
            stage = provider.create(new StageConfig("tagger", defaults));
        }

        private TaggedSentences brown(String split) throws Exception {
            FakeStageIO io = new FakeStageIO();
            new BrownStageProvider().create(new StageConfig("brown", Map.of("tagset", "universal", "split", split, "limitSentences", 0L,
                    "source", "fixture", "lowercase", false)))
                    .run(io, new FakeRunContext(dir.resolve("brown-" + split), new TrainingRegime(1, 0, 1, 0)));
            return io.output("sentences", PortTypes.TAGGED_SENTENCES);
        }

        /** A fresh, untrained loss every run: the CRF's transition scores are trained by the stage. */
        private StructuredLoss freshLoss() {
            return switch (loss) {
                case "crf" -> new LinearChainCrf(train.tagCount(), new ChainEngine(ChainNumerics.LOG, 1));
                case "softmax" -> new SoftmaxLoss(train.tagCount());
                default -> throw new IllegalArgumentException("loss must be crf or softmax, got '" + loss + "'");
            };
        }

        private Predictions run(TaggedSentences decoded) throws Exception {
            FakeStageIO io = new FakeStageIO().with("sentences", train).with("test", decoded).with("loss", freshLoss())
                    .with("optimizer", Adam.standard(2e-3));
            FakeRunContext ctx = new FakeRunContext(dir.resolve("run"), new TrainingRegime(1, 16, 1, 0));
            stage.run(io, ctx);
            // the stage's own timers (last metric line): epoch-only training rate and decoding rate
            Map<String, Number> last = ctx.metrics.get(ctx.metrics.size() - 1).values();
            String key = decoded == test ? "test" : "one";
            double[] sums = stageTimers.computeIfAbsent(key, x -> new double[3]);
            sums[0] += last.get("trainTokensPerSecond").doubleValue();
            sums[1] += last.get("decodeTokensPerSecond").doubleValue();
            sums[2]++;
            runs++;
            return io.output("predictions", PortTypes.PREDICTIONS);
        }

        @Benchmark
        public Predictions trainEpoch() throws Exception {
            return run(oneSentence);
        }

        @Benchmark
        public Predictions trainEpochDecodeTest() throws Exception {
            return run(test);
        }

        @TearDown
        public void report() throws IOException {
            System.out.printf("%nTaggerBench.Cnn loss=%s: %d training tokens, %d test tokens, %d stage runs%n", loss, train.totalTokens(),
                    test.totalTokens(), runs);
            double[] t = stageTimers.get("test");
            if (t != null) {
                System.out.printf("  stage timers (mean over runs): epoch %.0f tokens/s, decoding %.0f tokens/s%n", t[0] / t[2],
                        t[1] / t[2]);
            }
            double[] o = stageTimers.get("one");
            if (o != null) {
                System.out.printf("  stage timers (mean over runs): epoch %.0f tokens/s%n", o[0] / o[2]);
            }
            stageTimers.clear();
            runs = 0;
            StageBenchmarks.deleteTree(dir);
        }
    }
}
