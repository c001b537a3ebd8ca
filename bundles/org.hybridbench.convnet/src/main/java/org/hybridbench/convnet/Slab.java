package org.hybridbench.convnet;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;

import org.hybridbench.api.model.ParameterBlock;
import org.hybridbench.dl4j.NdConversions;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One operand of a layer's GEMM: a row-major {@code [rows, cols]} ND4J array of the network's precision, kept and
 * reused while the batch size stays the same (another mini-batch size reallocates it). The layers' other arithmetic
 * runs in Java on {@code double[]}; this class moves values between those arrays and the native buffer through an
 * NIO view, converting to and from float on the way, and does im2col / col2im and the channel-first ↔ channel-major
 * reordering while copying. Writing the native buffer element by element measured as fast as filling a heap array
 * and copying it in bulk, or faster (3.3 against 6 ms for conv 2's im2col at batch 128); reading it element by element
 * was 4× slower than one bulk copy to the heap, so reads go through {@link #floatScratch}.
 */
final class Slab {
    private final boolean single;
    private final DataType type;
    private INDArray array;
    private FloatBuffer floats;
    private DoubleBuffer doubles;
    /** One image and a zero slot after it (see {@link ConvGeometry#im2colIndex}). */
    private double[] image;
    /** Heap staging for reading the native buffer in bulk (see {@link #addTo}). */
    private float[] floatScratch;
    private double[] doubleScratchArray;

    Slab(DataType type) {
        this.type = type;
        this.single = type == DataType.FLOAT;
    }

    /** The array, of shape {@code [rows, cols]} (its values are left over from the last use: overwrite them). */
    INDArray shape(int rows, int cols) {
        if (array == null || array.rows() != rows || array.columns() != cols) {
            array = Nd4j.create(type, rows, cols); // 'c' order
            floats = single ? NdConversions.floatView(array) : null;
            doubles = single ? null : NdConversions.doubleView(array);
        }
        return array;
    }

    INDArray array() {
        return array;
    }

    /**
     * Copies a parameter block of the slab's precision into the array (row-major, rows × cols values): one bulk copy.
     */
    void load(ParameterBlock block) {
        if (single) {
            floats.put(0, block.floatValues());
        } else {
            doubles.put(0, block.values());
        }
    }

    /** Adds the array to the gradient of a parameter block of the slab's precision (see {@link #addTo(double[])}). */
    void addTo(ParameterBlock block) {
        if (!single) {
            addTo(block.gradient());
            return;
        }
        float[] dst = block.floatGradient();
        int chunk = 4096;
        float[] f = scratch(Math.min(chunk, dst.length));
        for (int from = 0; from < dst.length; from += chunk) {
            int n = Math.min(chunk, dst.length - from);
            floats.get(from, f, 0, n);
            for (int i = 0; i < n; i++) {
                dst[from + i] += f[i];
            }
        }
    }

    /** Copies float rows into a float array: one bulk copy. */
    void load(float[] src) {
        floats.put(0, src);
    }

    /** Copies a float array into {@code dst}: one bulk copy. */
    void store(float[] dst) {
        floats.get(0, dst);
    }

    /** Copies {@code src} (row-major, rows × cols values) into the array. */
    void load(double[] src) {
        if (single) {
            FloatBuffer f = floats;
            for (int i = 0; i < src.length; i++) {
                f.put(i, (float) src[i]);
            }
        } else {
            doubles.put(0, src);
        }
    }

    /** Copies the array into {@code dst}. */
    void store(double[] dst) {
        if (single) {
            float[] f = scratch(dst.length);
            floats.get(0, f, 0, dst.length);
            for (int i = 0; i < dst.length; i++) {
                dst[i] = f[i];
            }
        } else {
            doubles.get(0, dst);
        }
    }

    /**
     * Adds a double array to {@code dst} (a double block's gradient: the SDK contract is that backward adds), through a
     * bulk copy to the heap in chunks that stay in the L1 cache between the copy and the adding: 4× faster than adding
     * {@code get(i)} element by element (0.5 against 2 ms for a 784 × 400 block).
     */
    private void addTo(double[] dst) {
        int chunk = 4096;
        double[] d = doubleScratch(Math.min(chunk, dst.length));
        for (int from = 0; from < dst.length; from += chunk) {
            int n = Math.min(chunk, dst.length - from);
            doubles.get(from, d, 0, n);
            for (int i = 0; i < n; i++) {
                dst[from + i] += d[i];
            }
        }
    }

    private float[] scratch(int n) {
        if (floatScratch == null || floatScratch.length < n) {
            floatScratch = new float[n];
        }
        return floatScratch;
    }

    private double[] doubleScratch(int n) {
        if (doubleScratchArray == null || doubleScratchArray.length < n) {
            doubleScratchArray = new double[n];
        }
        return doubleScratchArray;
    }

    /**
     * Loads maps {@code [samples, channels, positions]} (channel-first rows) as the {@code [channels,
     * samples·positions]} matrix, channel-major, whose rows a GEMM with the weights works on.
     */
    void loadChannelMajor(double[] maps, int samples, int channels, int positions) {
        int width = samples * positions;
        for (int s = 0; s < samples; s++) {
            for (int c = 0; c < channels; c++) {
                int from = (s * channels + c) * positions;
                int to = c * width + s * positions;
                if (single) {
                    FloatBuffer f = floats;
                    for (int p = 0; p < positions; p++) {
                        f.put(to + p, (float) maps[from + p]);
                    }
                } else {
                    doubles.put(to, maps, from, positions);
                }
            }
        }
    }

    /** The inverse of {@link #loadChannelMajor}: the array {@code [channels, samples·positions]} into maps. */
    void storeChannelMajor(double[] maps, int samples, int channels, int positions) {
        int width = samples * positions;
        for (int s = 0; s < samples; s++) {
            for (int c = 0; c < channels; c++) {
                int to = (s * channels + c) * positions;
                int from = c * width + s * positions;
                if (single) {
                    FloatBuffer f = floats;
                    for (int p = 0; p < positions; p++) {
                        maps[to + p] = f.get(from + p);
                    }
                } else {
                    doubles.get(from, maps, to, positions);
                }
            }
        }
    }

    private double[] image(int imageSize) {
        if (image == null || image.length != imageSize + 1) {
            image = new double[imageSize + 1];
        }
        return image;
    }

    /**
     * im2col: for each of {@code samples} images of {@code imageSize} values in {@code images}, writes the
     * {@code index.length} values {@code image[index[j]]} (0 where {@code index[j] == imageSize}, the zero padding) as
     * the next {@code index.length} values of the array.
     */
    void gather(double[] images, int samples, int imageSize, int[] index) {
        double[] one = image(imageSize);
        one[imageSize] = 0;
        int n = index.length;
        for (int s = 0; s < samples; s++) {
            System.arraycopy(images, s * imageSize, one, 0, imageSize);
            int to = s * n;
            if (single) {
                FloatBuffer f = floats;
                for (int j = 0; j < n; j++) {
                    f.put(to + j, (float) one[index[j]]);
                }
            } else {
                DoubleBuffer d = doubles;
                for (int j = 0; j < n; j++) {
                    d.put(to + j, one[index[j]]);
                }
            }
        }
    }

    /**
     * col2im, the adjoint of {@link #gather}: sets every value of the {@code samples} images to the sum of the array
     * values gathered from it (value j of sample s's block was {@code images[s·imageSize + index[j]]}). Overwrites
     * {@code images}, so callers need not zero it.
     */
    void col2im(double[] images, int samples, int imageSize, int[] index) {
        double[] one = image(imageSize);
        int n = index.length;
        for (int s = 0; s < samples; s++) {
            Arrays.fill(one, 0);
            int from = s * n;
            if (single) {
                FloatBuffer f = floats;
                for (int j = 0; j < n; j++) {
                    one[index[j]] += f.get(from + j);
                }
            } else {
                DoubleBuffer d = doubles;
                for (int j = 0; j < n; j++) {
                    one[index[j]] += d.get(from + j);
                }
            }
            System.arraycopy(one, 0, images, s * imageSize, imageSize); // the padding slot one[imageSize] is dropped
        }
    }
}
