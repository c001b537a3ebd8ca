package org.hybridbench.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

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
 * The baseline every kernel is compared with: a plain Java (i, k, j)-ordered matrix product, n × n, 2n³ flops.
 * Its GFLOP/s is what one core attains in plain Java on this machine; kernels are reported as a fraction of it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MatmulBaseline {
    @Param({"256"})
    public int n;
    private double[] a;
    private double[] b;
    private double[] c;

    @Setup
    public void setup() {
        SplittableRandom r = new SplittableRandom(1);
        a = r.doubles((long) n * n).toArray();
        b = r.doubles((long) n * n).toArray();
        c = new double[n * n];
    }

    @Benchmark
    public double[] matmul() {
        multiply(a, b, c, n);
        return c;
    }

    /** c = a · b for n × n row-major matrices; the i-k-j order streams rows of b and c. */
    static void multiply(double[] a, double[] b, double[] c, int n) {
        java.util.Arrays.fill(c, 0);
        for (int i = 0; i < n; i++) {
            int ci = i * n;
            for (int k = 0; k < n; k++) {
                double aik = a[i * n + k];
                int bk = k * n;
                for (int j = 0; j < n; j++) {
                    c[ci + j] += aik * b[bk + j];
                }
            }
        }
    }
}
