package org.hybridbench.optim;

import java.util.List;
import java.util.SplittableRandom;

import org.hybridbench.api.model.Objective;
import org.hybridbench.api.model.ParameterBlock;

/** Test objectives with known minima. */
final class Problems {
    private Problems() {
    }

    static ParameterBlock block(String name, double... values) {
        return new ParameterBlock(name, new int[] {values.length}, values, new double[values.length]);
    }

    /** The SPD quadratic f = ½(x − c)ᵀA(x − c) over one block "x", minimum 0 at c. */
    static final class Quadratic implements Objective {
        final double[][] a;
        final double[] c;
        final ParameterBlock x;

        Quadratic(double[][] a, double[] c, double[] start) {
            this.a = a;
            this.c = c;
            this.x = block("x", start.clone());
        }

        static Quadratic standard() {
            return new Quadratic(new double[][] {{4, 1, 0}, {1, 3, 0.5}, {0, 0.5, 1}}, new double[] {1, -2, 3}, new double[] {0, 0, 0});
        }

        @Override
        public List<ParameterBlock> parameters() {
            return List.of(x);
        }

        @Override
        public double evaluate() {
            double[] v = x.values();
            double[] g = x.gradient();
            double f = 0;
            for (int i = 0; i < v.length; i++) {
                g[i] = 0;
                for (int j = 0; j < v.length; j++) {
                    g[i] += a[i][j] * (v[j] - c[j]);
                }
                f += 0.5 * (v[i] - c[i]) * g[i];
            }
            return f;
        }
    }

    /** Rosenbrock's function Σ 100(x_{i+1} − x_i²)² + (1 − x_i)², minimum 0 at (1, …, 1); two blocks to check the split. */
    static final class Rosenbrock implements Objective {
        final ParameterBlock first;
        final ParameterBlock rest;
        int evaluations;

        Rosenbrock(double[] start) {
            first = block("head", start[0]);
            double[] r = new double[start.length - 1];
            System.arraycopy(start, 1, r, 0, r.length);
            rest = block("tail", r);
        }

        double[] x() {
            double[] x = new double[1 + rest.size()];
            x[0] = first.values()[0];
            System.arraycopy(rest.values(), 0, x, 1, rest.size());
            return x;
        }

        @Override
        public List<ParameterBlock> parameters() {
            return List.of(first, rest);
        }

        @Override
        public double evaluate() {
            evaluations++;
            double[] x = x();
            double[] g = new double[x.length];
            double f = 0;
            for (int i = 0; i + 1 < x.length; i++) {
                double t = x[i + 1] - x[i] * x[i];
                f += 100 * t * t + (1 - x[i]) * (1 - x[i]);
                g[i] += -400 * x[i] * t - 2 * (1 - x[i]);
                g[i + 1] += 200 * t;
            }
            first.gradient()[0] = g[0];
            System.arraycopy(g, 1, rest.gradient(), 0, rest.size());
            return f;
        }
    }

    /**
     * L2-regularised logistic regression, mean log-loss + (λ/2)‖w‖² (bias not penalised), on noisy synthetic data
     * (not separable, and λ &gt; 0, so the optimum is unique). Blocks "weights" (d) and "bias" (1).
     */
    static final class Logistic implements Objective {
        final double[][] xs;
        final int[] ys;
        final double lambda;
        final ParameterBlock w;
        final ParameterBlock b;

        Logistic(int n, int d, double lambda, long seed) {
            SplittableRandom rng = new SplittableRandom(seed);
            double[] truth = new double[d];
            for (int j = 0; j < d; j++) {
                truth[j] = rng.nextDouble(-2, 2);
            }
            xs = new double[n][d];
            ys = new int[n];
            for (int i = 0; i < n; i++) {
                double z = 0.5;
                for (int j = 0; j < d; j++) {
                    xs[i][j] = rng.nextGaussian();
                    z += truth[j] * xs[i][j];
                }
                ys[i] = rng.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
            }
            this.lambda = lambda;
            w = new ParameterBlock("weights", new int[] {d}, new double[d], new double[d]);
            b = new ParameterBlock("bias", new int[] {1}, new double[1], new double[1]);
        }

        /** An upper bound of the gradient's Lipschitz constant: λ + max row norm² (with the bias) / 4. */
        double lipschitz() {
            double m = 0;
            for (double[] x : xs) {
                double s = 1;
                for (double v : x) {
                    s += v * v;
                }
                m = Math.max(m, s);
            }
            return lambda + m / 4;
        }

        @Override
        public List<ParameterBlock> parameters() {
            return List.of(w, b);
        }

        @Override
        public double evaluate() {
            double[] wv = w.values();
            double[] gw = w.gradient();
            double bias = b.values()[0];
            int n = xs.length;
            double f = 0;
            double gb = 0;
            java.util.Arrays.fill(gw, 0);
            for (int i = 0; i < n; i++) {
                double z = bias;
                for (int j = 0; j < wv.length; j++) {
                    z += wv[j] * xs[i][j];
                }
                // log(1 + e^z) − y z, stably
                f += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - ys[i] * z;
                double r = 1 / (1 + Math.exp(-z)) - ys[i];
                for (int j = 0; j < wv.length; j++) {
                    gw[j] += r * xs[i][j] / n;
                }
                gb += r / n;
            }
            f /= n;
            for (int j = 0; j < wv.length; j++) {
                f += 0.5 * lambda * wv[j] * wv[j];
                gw[j] += lambda * wv[j];
            }
            b.gradient()[0] = gb;
            return f;
        }
    }
}
