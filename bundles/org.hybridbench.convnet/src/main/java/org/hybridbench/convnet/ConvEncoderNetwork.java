package org.hybridbench.convnet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * Stage type {@code encoder.conv}'s network: rows of height × width × channels pixels (channel-first: channel 0's
 * image row by row, then channel 1's, …; for one channel simply the row-major image) → 2-D convolutions of
 * {@code filters} feature maps with the non-linearity → flatten → optional dense {@code hidden} layer with the
 * non-linearity → linear layer of {@code outputs} values (e.g. μ and log σ² of a VAE's latent).
 */
final class ConvEncoderNetwork extends ExternalErrorNetwork {

    /**
     * @param filters feature maps of each convolution (at least one)
     * @param hidden units of the dense layer after the convolutions; 0 = none
     * @throws IllegalArgumentException naming the field, e.g. a kernel larger than the (padded) map it meets
     */
    record Architecture(int height, int width, int channels, int[] filters, int kernel, int stride, int padding, String activation,
            int hidden, int outputs, boolean doublePrecision) {
        Architecture {
            filters = ConvGeometry.checkFields(height, width, channels, filters, kernel, stride, padding, hidden, activation,
                    "convolution (e.g. \"32,64\")");
            ConvGeometry.positive("outputs", outputs);
            ConvGeometry.convOutputs("height", height, filters.length, kernel, stride, padding);
            ConvGeometry.convOutputs("width", width, filters.length, kernel, stride, padding);
        }

        @Override
        public int[] filters() {
            return filters.clone();
        }

        int pixels() {
            return height * width * channels;
        }

        int[] heights() {
            return ConvGeometry.convOutputs("height", height, filters.length, kernel, stride, padding);
        }

        int[] widths() {
            return ConvGeometry.convOutputs("width", width, filters.length, kernel, stride, padding);
        }

        /** Values the last convolution's maps flatten to. */
        int flattened() {
            int[] h = heights();
            int[] w = widths();
            return filters[filters.length - 1] * h[h.length - 1] * w[w.length - 1];
        }

        @Override
        public String toString() {
            int[] h = heights();
            int[] w = widths();
            return String.format(Locale.ROOT, "%dx%dx%d, conv %s k%d s%d p%d %s (height %s, width %s) -> %d%s -> %d, %s", height, width, channels,
                    Arrays.toString(filters), kernel, stride, padding, activation, ConvGeometry.chain(h), ConvGeometry.chain(w), flattened(),
                    hidden > 0 ? " -> " + hidden : "", outputs, doublePrecision ? "double" : "float");
        }
    }

    final Architecture arch;

    ConvEncoderNetwork(Architecture arch, long seed) {
        super(seed, arch.doublePrecision());
        this.arch = arch;
    }

    @Override
    String stageType() {
        return ConvEncoderStageProvider.TYPE;
    }

    @Override
    void checkInputWidth(int inputs) {
        if (inputs != arch.pixels()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: rows of %d values, but height x width x channels = %d x %d x %d = %d; set height, width and channels to the images' size",
                    stageType(), inputs, arch.height(), arch.width(), arch.channels(), arch.pixels()));
        }
    }

    @Override
    List<Layer> layers(DataType type, int inputs, SplittableRandom rng) {
        Nonlinearity f = activation(arch.activation());
        int[] filters = arch.filters();
        int[] h = arch.heights();
        int[] w = arch.widths();
        List<Layer> layers = new ArrayList<>();
        int channels = arch.channels();
        for (int l = 0; l < filters.length; l++) {
            layers.add(new Convolution(type, f, layers.size(), channels, h[l], w[l], filters[l], arch.kernel(), arch.stride(), arch.padding(), rng));
            channels = filters[l];
        }
        int width = arch.flattened(); // the maps [c, h, w] in row-major order are the dense layer's input
        if (arch.hidden() > 0) {
            layers.add(new Dense(type, f, layers.size(), width, arch.hidden(), rng));
            width = arch.hidden();
        }
        layers.add(new Dense(type, Nonlinearity.IDENTITY, layers.size(), width, arch.outputs(), rng));
        return layers;
    }

    @Override
    int outputs() {
        return arch.outputs();
    }
}
