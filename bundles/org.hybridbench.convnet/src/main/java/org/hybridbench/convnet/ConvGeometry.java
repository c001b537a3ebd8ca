package org.hybridbench.convnet;

import java.util.Arrays;
import java.util.Locale;

/**
 * Spatial sizes of square-kernel 2-D convolutions and transposed convolutions with explicit zero padding on every
 * side, truncating as DL4J's {@code ConvolutionMode.Truncate} (which the first version of these layers used),
 * computed in plain Java so a stage can reject an impossible geometry when it is configured, before ND4J is loaded.
 *
 * <ul>
 * <li>Convolution: out = ⌊(in + 2p − k) / s⌋ + 1 (truncating drops the last rows/columns that do not fill a stride).
 * <li>Transposed convolution: out = s·(in − 1) + k − 2p, so the input that gives a wanted output is
 * in = (out + 2p − k) / s + 1, which must be a whole number ≥ 1.
 * </ul>
 */
final class ConvGeometry {

    private ConvGeometry() {
    }

    /** Output size of a convolution, or 0 if the padded input is smaller than the kernel. */
    static int convOut(int in, int kernel, int stride, int padding) {
        int span = in + 2 * padding - kernel;
        return span < 0 ? 0 : span / stride + 1;
    }

    /** Output size of a transposed convolution (may be &lt; 1 for a padding too large for the input). */
    static int deconvOut(int in, int kernel, int stride, int padding) {
        return stride * (in - 1) + kernel - 2 * padding;
    }

    /**
     * Input sizes of {@code layers} stacked transposed convolutions that end at {@code out}: element 0 is the size of
     * the map the first one takes, element {@code layers} is {@code out}.
     *
     * @param field the configuration field {@code out} comes from ("height" or "width"), for the error
     * @throws IllegalArgumentException naming the field and the layer where working back gives no whole size ≥ 1
     */
    static int[] deconvInputs(String field, int out, int layers, int kernel, int stride, int padding) {
        int[] sizes = new int[layers + 1];
        sizes[layers] = out;
        for (int l = layers - 1; l >= 0; l--) {
            int next = sizes[l + 1];
            int span = next + 2 * padding - kernel;
            if (span < 0 || span % stride != 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s %d cannot be reached by %d transposed convolution%s of kernel %d, stride %d, padding %d (out = %d·(in − 1) + %d): "
                                + "transposed convolution %d would need an input of (%d + 2·%d − %d)/%d + 1 = %s; change kernel, stride, "
                                + "padding or the number of filters",
                        field, out, layers, layers == 1 ? "" : "s", kernel, stride, padding, stride, kernel - 2 * padding, l, next, padding,
                        kernel, stride, span < 0 ? "less than 1" : String.format(Locale.ROOT, "%.2f", (double) span / stride + 1)));
            }
            sizes[l] = span / stride + 1;
        }
        return sizes;
    }

    /**
     * Checks the fields both network kinds share and returns a copy of {@code filters}.
     *
     * @throws IllegalArgumentException naming the field
     */
    static int[] checkFields(int height, int width, int channels, int[] filters, int kernel, int stride, int padding, int hidden,
            String activation, String what) {
        positive("height", height);
        positive("width", width);
        positive("channels", channels);
        positive("kernel", kernel);
        positive("stride", stride);
        if (padding < 0) {
            throw new IllegalArgumentException("padding must be >= 0, got " + padding);
        }
        if (hidden < 0) {
            throw new IllegalArgumentException("hidden must be >= 0 (0 = no dense layer), got " + hidden);
        }
        int[] f = filters.clone();
        if (f.length == 0) {
            throw new IllegalArgumentException("filters must list at least one " + what);
        }
        for (int i = 0; i < f.length; i++) {
            if (f[i] < 1) {
                throw new IllegalArgumentException("filters entry " + i + " is " + f[i] + ", expected >= 1");
            }
        }
        ExternalErrorNetwork.activation(activation);
        return f;
    }

    static void positive(String field, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(field + " must be >= 1, got " + v);
        }
    }

    /**
     * Sizes of the maps of stacked convolutions from {@code in}: element 0 is {@code in}, element l + 1 the output of
     * convolution l.
     *
     * @throws IllegalArgumentException naming the field and the layer whose input is smaller than its padded kernel
     */
    static int[] convOutputs(String field, int in, int layers, int kernel, int stride, int padding) {
        int[] sizes = new int[layers + 1];
        sizes[0] = in;
        for (int l = 0; l < layers; l++) {
            sizes[l + 1] = convOut(sizes[l], kernel, stride, padding);
            if (sizes[l + 1] < 1) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s %d gives a map of %d before convolution %d (%s), less than its kernel %d with padding %d; use fewer filters, a "
                                + "smaller kernel or stride, or more padding", field, in, sizes[l], l,
                        chain(Arrays.copyOf(sizes, l + 1)), kernel, padding));
            }
        }
        return sizes;
    }

    /**
     * The im2col index of a convolution over images of {@code channels × height × width} values (channel-first,
     * row-major) to maps of {@code outHeight × outWidth}: row p = oy·outWidth + ox of the column matrix holds, at
     * column q = (c·kernel + ky)·kernel + kx, the image value at channel c, row oy·stride − padding + ky, column
     * ox·stride − padding + kx; entry {@code p·(channels·kernel²) + q} is that value's offset in the image, or
     * channels·height·width (one past the image: a slot that holds zero) where it falls in the zero padding, so the
     * copy loops need no branch.
     */
    static int[] im2colIndex(int channels, int height, int width, int kernel, int stride, int padding, int outHeight, int outWidth) {
        int columns = channels * kernel * kernel;
        int[] index = new int[outHeight * outWidth * columns];
        int padSlot = channels * height * width;
        for (int oy = 0; oy < outHeight; oy++) {
            for (int ox = 0; ox < outWidth; ox++) {
                int row = (oy * outWidth + ox) * columns;
                for (int c = 0; c < channels; c++) {
                    for (int ky = 0; ky < kernel; ky++) {
                        int y = oy * stride - padding + ky;
                        for (int kx = 0; kx < kernel; kx++) {
                            int x = ox * stride - padding + kx;
                            boolean inside = y >= 0 && y < height && x >= 0 && x < width;
                            index[row + (c * kernel + ky) * kernel + kx] = inside ? (c * height + y) * width + x : padSlot;
                        }
                    }
                }
            }
        }
        return index;
    }

    /** "28 → 14 → 7" */
    static String chain(int[] sizes) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < sizes.length; i++) {
            b.append(i == 0 ? "" : " → ").append(sizes[i]);
        }
        return b.toString();
    }
}
