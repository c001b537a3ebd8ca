package org.hybridbench.convnet;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;

import org.hybridbench.api.model.ParameterBlock;
import org.hybridbench.dl4j.NdConversions;
import org.nd4j.linalg.api.buffer.DataBuffer;
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
    private DataBuffer storage;
    private INDArray array;
    private FloatBuffer floats;
    private DoubleBuffer doubles;
    /** One image and a zero slot after it (see {@link ConvGeometry#im2colIndex}). */
    private double[] image;
    /** Heap staging for reading the native buffer in bulk (see {@link #addTo}). */
    private float[] floatScratch;
    private double[] doubleScratchArray;
    /** {@link #col2im}'s inverse of the im2col index {@link #inverseOf} (see {@link #inverse}). */
    private int[] inverseOf;
    private int[] inverseSources;
    private int inverseWidth;

    Slab(DataType type) {
        this.type = type;
        this.single = type == DataType.FLOAT;
    }

    /**
     * The array, of shape {@code [rows, cols]} (its values are left over from the last use: overwrite them). The native
     * memory is kept at the largest size asked for and a smaller shape is an array over its start: a shape that alternates
     * (the last, smaller mini-batch of an epoch; IWAE-5000's draws in chunks of 2,000, 2,000 and 1,000) used to allocate
     * and zero a new buffer each time, a quarter of the conv VAE's evaluation time (JFR).
     */
    INDArray shape(int rows, int cols) {
        if (array == null || array.rows() != rows || array.columns() != cols) {
            long n = Math.max(1, (long) rows * cols);
            if (storage == null || storage.length() < n) {
                storage = Nd4j.createBuffer(type, n, false);
            }
            array = Nd4j.create(storage, new long[] {rows, cols}, new long[] {cols, 1}, 0, 'c');
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
                    float[] run = scratch(positions); // converted on the heap, then one bulk copy per run: 2× faster
                    for (int p = 0; p < positions; p++) {
                        run[p] = (float) maps[from + p];
                    }
                    floats.put(to, run, 0, positions);
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
                    float[] run = scratch(positions);
                    floats.get(from, run, 0, positions);
                    for (int p = 0; p < positions; p++) {
                        maps[to + p] = run[p];
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
        int[] sources = inverse(index, imageSize);
        int width = inverseWidth;
        int n = index.length;
        for (int s = 0; s < samples; s++) {
            int from = s * n;
            int to = s * imageSize;
            // the sample's columns in one bulk copy (plus a zero at [n]), then every image value as the sum of the entries
            // gathered from it, in increasing j as a scatter-add would add them (so the same sums, but for the sign of a
            // zero): the scatter-add's read-modify-writes were half the conv decoder's evaluation time (JFR)
            if (single) {
                float[] block = scratch(n + 1);
                floats.get(from, block, 0, n);
                block[n] = 0;
                gatherSums(block, sources, width, images, to, imageSize);
            } else {
                double[] block = doubleScratch(n + 1);
                doubles.get(from, block, 0, n);
                block[n] = 0;
                gatherSums(block, sources, width, images, to, imageSize);
            }
        }
    }

    private static void gatherSums(float[] block, int[] sources, int width, double[] images, int to, int imageSize) {
        if (width == 4) { // a stride-2, 4 × 4 kernel (the VAE decoders): at most 4 entries per value, unrolled
            for (int q = 0, t = 0; q < imageSize; q++, t += 4) {
                images[to + q] = (((double) block[sources[t]] + block[sources[t + 1]]) + block[sources[t + 2]]) + block[sources[t + 3]];
            }
            return;
        }
        for (int q = 0, t = 0; q < imageSize; q++, t += width) {
            double sum = 0;
            for (int k = 0; k < width; k++) {
                sum += block[sources[t + k]];
            }
            images[to + q] = sum;
        }
    }

    private static void gatherSums(double[] block, int[] sources, int width, double[] images, int to, int imageSize) {
        for (int q = 0, t = 0; q < imageSize; q++, t += width) {
            double sum = 0;
            for (int k = 0; k < width; k++) {
                sum += block[sources[t + k]];
            }
            images[to + q] = sum;
        }
    }

    /**
     * The inverse of an im2col index, built once per index array: for image value q, the entries j with {@code index[j]
     * == q} in increasing order at {@code [q·w … q·w + w − 1]}, w = {@link #inverseWidth} the most any value has, the
     * rest pointing at entry n = {@code index.length} (a zero the caller appends); the padding slot's entries are left out.
     */
    private int[] inverse(int[] index, int imageSize) {
        if (inverseOf != index) {
            int[] count = new int[imageSize + 1];
            for (int q : index) {
                count[q]++;
            }
            int width = 1;
            for (int q = 0; q < imageSize; q++) {
                width = Math.max(width, count[q]);
            }
            int[] sources = new int[imageSize * width];
            Arrays.fill(sources, index.length);
            Arrays.fill(count, 0);
            for (int j = 0; j < index.length; j++) {
                int q = index[j];
                if (q < imageSize) {
                    sources[q * width + count[q]++] = j;
                }
            }
            inverseSources = sources;
            inverseWidth = width;
            inverseOf = index;
        }
        return inverseSources;
    }
}
