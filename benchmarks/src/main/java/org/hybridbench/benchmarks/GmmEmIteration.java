package org.hybridbench.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.hybridbench.api.data.Matrix;
import org.hybridbench.mixture.CovarianceType;
import org.hybridbench.mixture.GaussianMixture;
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
 * One EM iteration (E-step + M-step) of the Gaussian mixture on the shape of the digits-gmm pipeline: n = 10,000
 * rows of d = 30 PCA features, K = 10 components. Compare with {@link MatmulBaseline} from the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GmmEmIteration {
    @Param({"DIAGONAL", "FULL"})
    public CovarianceType covariance;
    @Param({"10000"})
    public int n;
    @Param({"30"})
    public int d;
    @Param({"10"})
    public int k;

    private Matrix x;
    private Matrix resp;
    private double[] rowLogLik;
    private GaussianMixture model;

    @Setup
    public void setup() {
        SplittableRandom r = new SplittableRandom(7);
        double[] data = new double[n * d];
        for (int i = 0; i < n; i++) {
            int c = i % k;
            for (int j = 0; j < d; j++) {
                data[i * d + j] = c * 0.5 + r.nextGaussian();
            }
        }
        x = new Matrix(n, d, data);
        resp = new Matrix(n, k);
        rowLogLik = new double[n];
        model = new GaussianMixture(k, d, covariance, 1e-3);
        for (int c = 0; c < k; c++) {
            double[] mean = new double[d];
            java.util.Arrays.fill(mean, c * 0.5);
            double[] cov = new double[d * d]; // setComponent takes a full d × d matrix and keeps what the type needs
            for (int j = 0; j < d; j++) {
                cov[j * d + j] = 1;
            }
            model.setComponent(c, 1.0 / k, mean, cov);
        }
    }

    @Benchmark
    public double emIteration() {
        double ll = model.eStep(x, resp, rowLogLik);
        model.accumulate(x, resp);
        model.maximize();
        return ll;
    }
}
