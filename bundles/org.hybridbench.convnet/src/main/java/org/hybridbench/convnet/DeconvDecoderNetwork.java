package org.hybridbench.convnet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * Stage type {@code decoder.deconv}'s network: rows of d values (e.g. a VAE's latent z) → optional dense
 * {@code hidden} layer → dense layer reshaped to a map of {@code filters[0]} channels × h₀ × w₀ → one transposed
 * convolution per {@code filters} entry (to the next entry's channels, the last one to {@code channels}), all with the
 * non-linearity but the last, which is linear → height × width × channels values per row in the layout
 * {@code encoder.conv} takes (channel-first). h₀ and w₀ are worked back from height and width
 * ({@link ConvGeometry#deconvInputs}); d is the width of the first input rows.
 */
final class DeconvDecoderNetwork extends ExternalErrorNetwork {

    /**
     * @param filters channels of the map the dense layer is reshaped to, then of each transposed convolution's output
     *            but the last (at least one entry: one transposed convolution per entry)
     * @param hidden units of a dense layer before the one that makes the map; 0 = none
     * @throws IllegalArgumentException naming the field, e.g. a height the transposed convolutions cannot reach
     */
    record Architecture(int height, int width, int channels, int[] filters, int kernel, int stride, int padding, String activation,
            int hidden, boolean doublePrecision) {
        Architecture {
            filters = ConvGeometry.checkFields(height, width, channels, filters, kernel, stride, padding, hidden, activation,
                    "map (e.g. \"64,32\")");
            ConvGeometry.deconvInputs("height", height, filters.length, kernel, stride, padding);
            ConvGeometry.deconvInputs("width", width, filters.length, kernel, stride, padding);
        }

        @Override
        public int[] filters() {
            return filters.clone();
        }

        int pixels() {
            return height * width * channels;
        }

        int[] heights() {
            return ConvGeometry.deconvInputs("height", height, filters.length, kernel, stride, padding);
        }

        int[] widths() {
            return ConvGeometry.deconvInputs("width", width, filters.length, kernel, stride, padding);
        }

        /** Values of the first map (the dense layer's width). */
        int mapSize() {
            return filters[0] * heights()[0] * widths()[0];
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s%d = %dx%dx%d, deconv %s k%d s%d p%d %s (height %s, width %s) -> %dx%dx%d, %s",
                    hidden > 0 ? hidden + " -> " : "", mapSize(), filters[0], heights()[0], widths()[0], Arrays.toString(filters), kernel, stride,
                    padding, activation, ConvGeometry.chain(heights()), ConvGeometry.chain(widths()), height, width, channels,
                    doublePrecision ? "double" : "float");
        }
    }

    final Architecture arch;

    DeconvDecoderNetwork(Architecture arch, long seed) {
        super(seed, arch.doublePrecision());
        this.arch = arch;
    }

    @Override
    String stageType() {
        return DeconvDecoderStageProvider.TYPE;
    }

    @Override
    void checkInputWidth(int inputs) {
        if (inputs < 1) {
            throw new IllegalArgumentException(stageType() + ": input rows have no values (the latent width must be >= 1)");
        }
    }

    @Override
    List<Layer> layers(DataType type, int inputs, SplittableRandom rng) {
        Nonlinearity f = activation(arch.activation());
        int[] filters = arch.filters();
        int[] h = arch.heights();
        int[] w = arch.widths();
        List<Layer> layers = new ArrayList<>();
        int width = inputs;
        if (arch.hidden() > 0) {
            layers.add(new Dense(type, f, layers.size(), width, arch.hidden(), rng));
            width = arch.hidden();
        }
        // the dense output [rows, c·h0·w0] is read as the maps [rows, c, h0, w0] in row-major order
        layers.add(new Dense(type, f, layers.size(), width, arch.mapSize(), rng));
        for (int l = 0; l < filters.length; l++) {
            boolean last = l == filters.length - 1;
            layers.add(new TransposedConvolution(type, last ? Nonlinearity.IDENTITY : f, layers.size(), filters[l], h[l], w[l],
                    last ? arch.channels() : filters[l + 1], arch.kernel(), arch.stride(), arch.padding(), rng));
        }
        return layers;
    }

    @Override
    int outputs() {
        return arch.pixels();
    }
}
