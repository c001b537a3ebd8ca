package org.hybridbench.benchmarks;

import java.util.concurrent.TimeUnit;

import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.data.SequenceBatch;
import org.hybridbench.api.model.ChainNumerics;
import org.hybridbench.chain.ChainEngine;
import org.hybridbench.emission.CovarianceType;
import org.hybridbench.emission.GaussianEmission;
import org.hybridbench.hmm.HiddenMarkovModel;
import org.hybridbench.hmm.HmmTrainer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One Baum-Welch iteration of the golden 3-state Gaussian HMM on T = 100,000 observations (the workload other
 * implementations take 92–125 ms for; target ≤ 20 ms), split into its parts: log-densities of the emissions, the
 * E-step (log b + forward-backward), and the whole iteration (E-step + M-step of π, A, μ, σ). One thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BaumWelchIteration {
    private SequenceBatch x;
    private HiddenMarkovModel model;
    private HmmTrainer trainer;
    private final ChainEngine engine = new ChainEngine(ChainNumerics.SCALED, 1);

    @Setup(Level.Trial)
    public void data() {
        // the observations of the golden case: the stated model sampled with a fixed seed
        double[] obs = ChainInferenceBench.goldenObservations(100_000);
        x = new SequenceBatch(1, new int[] {obs.length}, obs);
        trainer = new HmmTrainer(engine, new HmmTrainer.Options(HmmTrainer.Method.BAUM_WELCH, 1, 0, 0, 0, 1), null);
    }

    /** Each measured call starts from the stated model, so every iteration does the same work. */
    @Setup(Level.Invocation)
    public void model() {
        GaussianEmission e = new GaussianEmission(3, 1, CovarianceType.DIAGONAL, 1e-12);
        double[][] a = new double[3][3];
        for (int i = 0; i < 3; i++) {
            e.setMean(i, 0, new double[] {ChainInferenceBench.GOLDEN_MU[i]});
            double s = ChainInferenceBench.GOLDEN_SIGMA[i];
            e.setCovariance(i, 0, new double[] {s * s});
            System.arraycopy(ChainInferenceBench.GOLDEN_A, 3 * i, a[i], 0, 3);
        }
        model = new HiddenMarkovModel(ChainInferenceBench.GOLDEN_PI.clone(), a, e);
    }

    @Benchmark
    public Matrix logDensities() {
        Matrix out = new Matrix(x.totalLength(), 3);
        model.emission().logDensity(new Matrix(x.totalLength(), 1, x.data()), out);
        return out;
    }

    @Benchmark
    public double eStep() {
        return model.logLikelihood(x, engine, 1)[0];
    }

    @Benchmark
    public double iteration() {
        return trainer.iterate(model, x);
    }
}
