package org.hybridbench.convnet;

import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * A 2-D convolution (square kernel, stride, zero padding, truncating), lowered to im2col + one GEMM per mini-batch:
 * the input maps {@code [rows, C, H, W]} become the columns {@code [rows·P, C·k·k]} (P = outH·outW output positions),
 * the weights {@code [O, C·k·k]} times their transpose give {@code [O, rows·P]}, read back channel-first as
 * {@code [rows, O, outH, outW]} with the bias and non-linearity. Backward, with dZ the {@code [O, rows·P]}
 * d pre-activation: d W = dZ · columns, d columns = dZᵀ · W, then col2im (the adjoint of im2col) gives d input. Weights {@code [O, C, k, k]}.
 */
final class Convolution extends Layer {
    private final int outChannels;
    private final int imageSize;
    private final int positions;
    private final int columnWidth;
    private final int[] index;
    private final Slab columns;
    private final Slab result;
    private final Slab weightGradient;
    private final Slab columnGradient;

    Convolution(DataType type, Nonlinearity f, int index, int inChannels, int height, int width, int outChannels, int kernel, int stride,
            int padding, SplittableRandom rng) {
        super(type, f, index, new int[] {outChannels, inChannels, kernel, kernel}, outChannels);
        int outHeight = ConvGeometry.convOut(height, kernel, stride, padding);
        int outWidth = ConvGeometry.convOut(width, kernel, stride, padding);
        this.outChannels = outChannels;
        this.imageSize = inChannels * height * width;
        this.positions = outHeight * outWidth;
        this.columnWidth = inChannels * kernel * kernel;
        this.index = ConvGeometry.im2colIndex(inChannels, height, width, kernel, stride, padding, outHeight, outWidth);
        this.columns = new Slab(type);
        this.result = new Slab(type);
        this.weightGradient = new Slab(type);
        this.columnGradient = new Slab(type);
        initialise(rng, inChannels * kernel * kernel, outChannels * kernel * kernel);
    }

    @Override
    int inputs() {
        return imageSize;
    }

    @Override
    int outputs() {
        return outChannels * positions;
    }

    @Override
    double[] forward(double[] x, int rows) {
        pushWeights(outChannels, columnWidth);
        int p = positions;
        columns.shape(rows * p, columnWidth);
        columns.gather(x, rows, imageSize, index);
        // [O, rows·P] = W · columnsᵀ: channel-major, so reading it back channel-first copies runs of P values
        gemm(weightArray.array(), columns.array(), result.shape(outChannels, rows * p), false, true);
        double[] y = sized(output, rows * outChannels * p);
        result.storeChannelMajor(y, rows, outChannels, p);
        double[] b = biasValues();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < outChannels; c++) {
                int from = (r * outChannels + c) * p;
                nonlinearity.applyInPlace(y, from, from + p, b[c]);
            }
        }
        output = y;
        return y;
    }

    @Override
    double[] backward(double[] dy, int rows, boolean wantInputGradient) {
        double[] dz = nonlinearity.backward(output, dy, preActivationGradient = sized(preActivationGradient, dy.length));
        double[] db = biasGradient();
        int p = positions;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < outChannels; c++) {
                int from = (r * outChannels + c) * p;
                double sum = 0;
                for (int q = from; q < from + p; q++) {
                    sum += dz[q];
                }
                db[c] += sum;
            }
        }
        result.shape(outChannels, rows * p);
        result.loadChannelMajor(dz, rows, outChannels, p);
        gemm(result.array(), columns.array(), weightGradient.shape(outChannels, columnWidth), false, false);
        addBiasGradient();
        weightGradient.addTo(weights);
        if (!wantInputGradient) {
            return null;
        }
        gemm(result.array(), weightArray.array(), columnGradient.shape(rows * p, columnWidth), true, false);
        double[] dx = inputGradientRows = sized(inputGradientRows, rows * imageSize);
        columnGradient.col2im(dx, rows, imageSize, index);
        return dx;
    }
}
