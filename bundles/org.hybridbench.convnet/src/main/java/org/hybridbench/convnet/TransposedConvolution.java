package org.hybridbench.convnet;

import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * A 2-D transposed convolution: the adjoint (input gradient) of the convolution from its output maps back to its
 * input maps, with its own bias and non-linearity. Lowered to one GEMM + col2im: the input maps {@code [rows, C,
 * inH, inW]} read channel-major as X {@code [C, rows·P]} (P = inH·inW); Xᵀ times the weights {@code [C, O·k·k]}
 * gives the columns {@code [rows·P, O·k·k]}, which col2im adds up into {@code [rows, O, outH, outW]}. Backward:
 * im2col of d pre-activation gives the columns again, d W = X · columns, d X = W · columnsᵀ. Weights
 * {@code [C, O, k, k]} (input channels first, as DL4J's Deconvolution2D and PyTorch's ConvTranspose2d).
 */
final class TransposedConvolution extends Layer {
    private final int inChannels;
    private final int outChannels;
    private final int positions;
    private final int imageSize;
    private final int columnWidth;
    private final int[] index;
    private final Slab input;
    private final Slab columns;
    private final Slab weightGradient;
    private final Slab inputGradient;

    /** From {@code inChannels} maps of inHeight × inWidth to {@code outChannels} maps of the sizes out = s·(in − 1) + k − 2p. */
    TransposedConvolution(DataType type, Nonlinearity f, int index, int inChannels, int inHeight, int inWidth, int outChannels, int kernel,
            int stride, int padding, SplittableRandom rng) {
        super(type, f, index, new int[] {inChannels, outChannels, kernel, kernel}, outChannels);
        int outHeight = ConvGeometry.deconvOut(inHeight, kernel, stride, padding);
        int outWidth = ConvGeometry.deconvOut(inWidth, kernel, stride, padding);
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.positions = inHeight * inWidth;
        this.imageSize = outChannels * outHeight * outWidth;
        this.columnWidth = outChannels * kernel * kernel;
        // the convolution this one is the adjoint of maps outHeight x outWidth back to exactly inHeight x inWidth
        this.index = ConvGeometry.im2colIndex(outChannels, outHeight, outWidth, kernel, stride, padding, inHeight, inWidth);
        this.input = new Slab(type);
        this.columns = new Slab(type);
        this.weightGradient = new Slab(type);
        this.inputGradient = new Slab(type);
        initialise(rng, inChannels * kernel * kernel, outChannels * kernel * kernel);
    }

    @Override
    int inputs() {
        return inChannels * positions;
    }

    @Override
    int outputs() {
        return imageSize;
    }

    @Override
    double[] forward(double[] x, int rows) {
        pushWeights(inChannels, columnWidth);
        int p = positions;
        input.shape(inChannels, rows * p);
        input.loadChannelMajor(x, rows, inChannels, p);
        gemm(input.array(), weightArray.array(), columns.shape(rows * p, columnWidth), true, false);
        double[] y = sized(output, rows * imageSize);
        columns.col2im(y, rows, imageSize, index);
        double[] b = biasValues();
        int plane = imageSize / outChannels;
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < outChannels; o++) {
                int from = (r * outChannels + o) * plane;
                nonlinearity.applyInPlace(y, from, from + plane, b[o]);
            }
        }
        output = y;
        return y;
    }

    @Override
    double[] backward(double[] dy, int rows, boolean wantInputGradient) {
        double[] dz = nonlinearity.backward(output, dy, preActivationGradient = sized(preActivationGradient, dy.length));
        double[] db = biasGradient();
        int plane = imageSize / outChannels;
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < outChannels; o++) {
                int from = (r * outChannels + o) * plane;
                double sum = 0;
                for (int i = from; i < from + plane; i++) {
                    sum += dz[i];
                }
                db[o] += sum;
            }
        }
        int p = positions;
        columns.shape(rows * p, columnWidth);
        columns.gather(dz, rows, imageSize, index);
        gemm(input.array(), columns.array(), weightGradient.shape(inChannels, columnWidth), false, false);
        addBiasGradient();
        weightGradient.addTo(weights);
        if (!wantInputGradient) {
            return null;
        }
        gemm(weightArray.array(), columns.array(), inputGradient.shape(inChannels, rows * p), false, true);
        double[] dx = inputGradientRows = sized(inputGradientRows, rows * inChannels * p);
        inputGradient.storeChannelMajor(dx, rows, inChannels, p);
        return dx;
    }
}
