package org.hybridbench.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.ChainBatch;
import org.hybridbench.api.model.ChainBatchMarginals;
import org.hybridbench.api.model.ChainMarginals;
import org.hybridbench.api.model.ChainNumerics;
import org.hybridbench.api.model.ChainPath;
import org.hybridbench.api.model.ChainPotentials;
import org.hybridbench.chain.ChainEngine;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Chain inference on one long sequence: K = 3 is the golden 3-state Gaussian HMM (T = 100,000 observations drawn
 * from its model with a fixed seed; log-densities precomputed, as the chain kernels take log b), K = 64 a dense
 * 64-state chain of the same length. Dense forward-backward does about 6·K² flops per position (forward and
 * backward vector-matrix products, ξ outer products); compare with {@link MatmulBaseline} from the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ChainInferenceBench {
    @Param({"3", "64"})
    public int k;
    @Param({"100000"})
    public int t;

    private ChainPotentials chain;
    private final ChainEngine scaled = new ChainEngine(ChainNumerics.SCALED);
    private final ChainEngine log = new ChainEngine(ChainNumerics.LOG);

    @Setup
    public void setup() {
        chain = k == 3 ? golden(t) : randomHmm(k, t, 11);
    }

    /** The golden model (π, A, Gaussian emissions) sampled for t steps; unaries are log N(x_t; μ_k, σ_k²). */
    static final double[] GOLDEN_PI = {0.6, 0.3, 0.1};
    static final double[] GOLDEN_A = {0.95, 0.04, 0.01, 0.03, 0.94, 0.03, 0.02, 0.03, 0.95};
    static final double[] GOLDEN_MU = {-2.0, 0.0, 2.5};
    static final double[] GOLDEN_SIGMA = {1.0, 0.7, 1.2};

    /** t observations sampled from the golden model with a fixed seed (same size and statistics as x.txt). */
    static double[] goldenObservations(int t) {
        SplittableRandom r = new SplittableRandom(0);
        double[] x = new double[t];
        int s = pick(r, GOLDEN_PI, 0);
        for (int i = 0; i < t; i++) {
            if (i > 0) {
                s = pick(r, GOLDEN_A, s * 3);
            }
            x[i] = GOLDEN_MU[s] + GOLDEN_SIGMA[s] * r.nextGaussian();
        }
        return x;
    }

    static ChainPotentials golden(int t) {
        double[] x = goldenObservations(t);
        double[] u = new double[t * 3];
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < 3; j++) {
                double d = (x[i] - GOLDEN_MU[j]) / GOLDEN_SIGMA[j];
                u[i * 3 + j] = -0.5 * Math.log(2 * Math.PI) - Math.log(GOLDEN_SIGMA[j]) - 0.5 * d * d;
            }
        }
        return new ChainPotentials(logOf(GOLDEN_PI), new Matrix(3, 3, logOf(GOLDEN_A)), new Matrix(t, 3, u));
    }

    /** A dense random HMM: sticky transitions, log b uniform in [−6, 0]. */
    static ChainPotentials randomHmm(int k, int t, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] pi = new double[k];
        java.util.Arrays.fill(pi, -Math.log(k));
        double[] a = new double[k * k];
        for (int i = 0; i < k; i++) {
            double sum = 0;
            for (int j = 0; j < k; j++) {
                a[i * k + j] = (i == j ? k : 0) + r.nextDouble();
                sum += a[i * k + j];
            }
            for (int j = 0; j < k; j++) {
                a[i * k + j] = Math.log(a[i * k + j] / sum);
            }
        }
        double[] u = new double[t * k];
        for (int i = 0; i < u.length; i++) {
            u[i] = -6 * r.nextDouble();
        }
        return new ChainPotentials(pi, new Matrix(k, k, a), new Matrix(t, k, u));
    }

    private static int pick(SplittableRandom r, double[] p, int off) {
        double x = r.nextDouble();
        int j = 0;
        while (j < 2 && x >= p[off + j]) {
            x -= p[off + j];
            j++;
        }
        return j;
    }

    private static double[] logOf(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.log(v[i]);
        }
        return out;
    }

    @Benchmark
    public ChainMarginals forwardBackwardScaled() {
        return scaled.marginals(chain);
    }

    @Benchmark
    public ChainMarginals forwardBackwardLog() {
        return log.marginals(chain);
    }

    @Benchmark
    public double logPartitionScaled() {
        return scaled.logPartition(chain);
    }

    @Benchmark
    public ChainPath viterbi() {
        return scaled.viterbi(chain);
    }

    /**
     * A ragged-free batch of 256 sequences × T = 1000 × K = 32 sharing A: lock-step groups turn each position into a
     * (rows × K)·(K × K) product (forward-backward: forward and backward products and ξ, 6·K² flops per position;
     * log Z: 2·K²). Compared with the same sequences one by one (the single-sequence kernels), on 1 and 2 threads.
     */
    @State(Scope.Benchmark)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 3, time = 1)
    @Measurement(iterations = 5, time = 1)
    @Fork(1)
    public static class Batch {
        @Param({"1", "2"})
        public int threads;

        private ChainBatch batch;
        private List<ChainPotentials> chains;
        private ChainEngine engine;

        @Setup
        public void setup() {
            ChainPotentials big = randomHmm(32, 256 * 1000, 5);
            int[] lengths = new int[256];
            java.util.Arrays.fill(lengths, 1000);
            batch = new ChainBatch(big.logInitial(), big.logTransition(), big.logUnary(), lengths);
            chains = new ArrayList<>();
            for (int b = 0; b < 256; b++) {
                chains.add(batch.chain(b));
            }
            engine = new ChainEngine(ChainNumerics.SCALED, threads);
        }

        @Benchmark
        public ChainBatchMarginals forwardBackwardBatched() {
            return engine.marginals(batch);
        }

        @Benchmark
        public double forwardBackwardOneByOne() {
            double s = 0;
            for (ChainPotentials c : chains) {
                s += engine.marginals(c).logPartition();
            }
            return s;
        }

        @Benchmark
        public double[] logPartitionBatched() {
            return engine.logPartition(batch);
        }

        @Benchmark
        public double logPartitionOneByOne() {
            double s = 0;
            for (ChainPotentials c : chains) {
                s += engine.logPartition(c);
            }
            return s;
        }

        @Benchmark
        public List<ChainPath> viterbiBatched() {
            return engine.viterbi(batch);
        }
    }
}
