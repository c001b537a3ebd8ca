package org.hybridbench.phone;

import java.util.List;
import java.util.Random;

import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.DifferentiableNetwork;
import org.hybridbench.api.model.ParameterBlock;

/**
 * A one-hidden-layer tanh network in plain double arithmetic (z = W2 tanh(W1 x + b1) + b2) as a
 * {@link DifferentiableNetwork}, so the hybrid's tests run without DL4J; its own backward is checked against finite
 * differences in {@link HybridE2eTest}.
 */
final class TanhNetwork implements DifferentiableNetwork {
    final int in;
    final int hidden;
    final int out;
    final double[] w1;
    final double[] b1;
    final double[] w2;
    final double[] b2;
    private final List<ParameterBlock> blocks;
    private Matrix lastInput;
    private double[] lastHidden;

    TanhNetwork(int in, int hidden, int out, long seed) {
        this.in = in;
        this.hidden = hidden;
        this.out = out;
        Random rng = new Random(seed);
        w1 = new double[hidden * in];
        b1 = new double[hidden];
        w2 = new double[out * hidden];
        b2 = new double[out];
        for (int i = 0; i < w1.length; i++) {
            w1[i] = rng.nextGaussian() / Math.sqrt(in);
        }
        for (int i = 0; i < w2.length; i++) {
            w2[i] = rng.nextGaussian() / Math.sqrt(hidden);
        }
        for (int i = 0; i < b1.length; i++) {
            b1[i] = 0.1 * rng.nextGaussian();
        }
        blocks = List.of(new ParameterBlock("W1", new int[] {hidden, in}, w1, new double[w1.length]),
                new ParameterBlock("b1", new int[] {hidden}, b1, new double[hidden]),
                new ParameterBlock("W2", new int[] {out, hidden}, w2, new double[w2.length]),
                new ParameterBlock("b2", new int[] {out}, b2, new double[out]));
    }

    @Override
    public Matrix forward(Matrix x, boolean training) {
        int t = x.rows();
        double[] h = new double[t * hidden];
        double[] z = new double[t * out];
        for (int r = 0; r < t; r++) {
            for (int j = 0; j < hidden; j++) {
                double s = b1[j];
                for (int i = 0; i < in; i++) {
                    s += w1[j * in + i] * x.get(r, i);
                }
                h[r * hidden + j] = Math.tanh(s);
            }
            for (int o = 0; o < out; o++) {
                double s = b2[o];
                for (int j = 0; j < hidden; j++) {
                    s += w2[o * hidden + j] * h[r * hidden + j];
                }
                z[r * out + o] = s;
            }
        }
        if (training) {
            lastInput = x;
            lastHidden = h;
        }
        return new Matrix(t, out, z);
    }

    @Override
    public Matrix backward(Matrix dz) {
        int t = dz.rows();
        double[] gw1 = blocks.get(0).gradient();
        double[] gb1 = blocks.get(1).gradient();
        double[] gw2 = blocks.get(2).gradient();
        double[] gb2 = blocks.get(3).gradient();
        Matrix dx = new Matrix(t, in);
        for (int r = 0; r < t; r++) {
            double[] dh = new double[hidden];
            for (int o = 0; o < out; o++) {
                double g = dz.get(r, o);
                gb2[o] += g;
                for (int j = 0; j < hidden; j++) {
                    gw2[o * hidden + j] += g * lastHidden[r * hidden + j];
                    dh[j] += g * w2[o * hidden + j];
                }
            }
            for (int j = 0; j < hidden; j++) {
                double hv = lastHidden[r * hidden + j];
                double da = dh[j] * (1 - hv * hv);
                gb1[j] += da;
                for (int i = 0; i < in; i++) {
                    gw1[j * in + i] += da * lastInput.get(r, i);
                    dx.set(r, i, dx.get(r, i) + da * w1[j * in + i]);
                }
            }
        }
        return dx;
    }

    @Override
    public List<ParameterBlock> parameters() {
        return blocks;
    }
}
