package org.hybridbench.dl4j;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;

import org.hybridbench.api.data.Matrix;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Conversions between the SDK's row-major {@link Matrix} (Java heap, {@code double}) and ND4J's {@link INDArray}
 * (native memory, {@code DOUBLE} or {@code FLOAT}).
 *
 * <h2>Copy or view</h2>
 * A Java {@code double[]} cannot alias native memory, so every conversion between a {@code Matrix} and an
 * {@code INDArray} is a <b>copy</b> ({@link #toINDArray}, {@link #toMatrix}, {@link #copyInto(INDArray, Matrix)},
 * {@link #copyInto(Matrix, INDArray)}); the copies are single bulk transfers through NIO buffers when the array is
 * contiguous in row-major order, not element-wise JNI calls. The only <b>views</b> are {@link #doubleView} and
 * {@link #floatView}: NIO buffers over an array's native memory, in the array's own storage order, that read and
 * write the array directly (no copy) — for code that can work with a {@link DoubleBuffer}.
 *
 * <h2>Shapes</h2>
 * A matrix becomes a rank-2 array {@code [rows, cols]} (DL4J's {@code [batch, features]}). An array of rank 2
 * becomes a matrix of the same shape; rank 0 and 1 become one row; rank &gt; 2 keeps its first dimension as rows and
 * flattens the others in row-major (C) order, e.g. {@code [N, C, H, W]} → N × (C·H·W).
 */
public final class NdConversions {

    private NdConversions() {
    }

    /** A new {@code DOUBLE} {@code [rows, cols]} array holding a copy of {@code m}. */
    public static INDArray toINDArray(Matrix m) {
        return toINDArray(m, DataType.DOUBLE);
    }

    /** A new {@code [rows, cols]} array of {@code type} ({@code DOUBLE}, {@code FLOAT}, …) holding a copy of {@code m}. */
    public static INDArray toINDArray(Matrix m, DataType type) {
        long[] shape = {m.rows(), m.cols()};
        if (m.rows() == 0 || m.cols() == 0) {
            return Nd4j.create(type, shape);
        }
        // Nd4j.create(double[] / float[], …) fills its buffer element by element; one bulk NIO put is much cheaper
        if (type == DataType.DOUBLE) {
            INDArray a = Nd4j.createUninitialized(DataType.DOUBLE, shape, 'c');
            doubleView(a).put(m.data());
            return a;
        }
        if (type == DataType.FLOAT) {
            double[] d = m.data();
            float[] f = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                f[i] = (float) d[i];
            }
            INDArray a = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
            floatView(a).put(f);
            return a;
        }
        return Nd4j.create(m.data(), shape, 'c').castTo(type);
    }

    /** A new matrix holding a copy of {@code a} (see the class comment for shapes). */
    public static Matrix toMatrix(INDArray a) {
        int[] rc = matrixShape(a);
        Matrix m = new Matrix(rc[0], rc[1]);
        copyInto(a, m);
        return m;
    }

    /** Copies {@code src} into {@code dst}, which must have {@code src}'s matrix shape. */
    public static void copyInto(INDArray src, Matrix dst) {
        int[] rc = matrixShape(src);
        if (rc[0] != dst.rows() || rc[1] != dst.cols()) {
            throw new IllegalArgumentException("cannot copy an array of shape " + Arrays.toString(src.shape())
                    + " into a " + dst.rows() + "x" + dst.cols() + " matrix");
        }
        if (dst.data().length == 0) {
            return;
        }
        INDArray a = rowMajorContiguous(src) ? src : src.dup('c');
        double[] out = dst.data();
        if (a.dataType() == DataType.DOUBLE) {
            doubleView(a).get(out);
        } else if (a.dataType() == DataType.FLOAT) {
            FloatBuffer fb = floatView(a);
            for (int i = 0; i < out.length; i++) {
                out[i] = fb.get(i);
            }
        } else {
            doubleView(a.castTo(DataType.DOUBLE)).get(out);
        }
    }

    /**
     * Copies {@code src} into the existing array {@code dst} (same matrix shape, any floating type and order),
     * e.g. to refill a network's input or an epsilon buffer without allocating native memory.
     */
    public static void copyInto(Matrix src, INDArray dst) {
        int[] rc = matrixShape(dst);
        if (rc[0] != src.rows() || rc[1] != src.cols()) {
            throw new IllegalArgumentException("cannot copy a " + src.rows() + "x" + src.cols()
                    + " matrix into an array of shape " + Arrays.toString(dst.shape()));
        }
        if (src.data().length == 0) {
            return;
        }
        if (rowMajorContiguous(dst) && dst.dataType() == DataType.DOUBLE) {
            doubleView(dst).put(src.data());
        } else if (rowMajorContiguous(dst) && dst.dataType() == DataType.FLOAT) {
            FloatBuffer fb = floatView(dst);
            double[] d = src.data();
            for (int i = 0; i < d.length; i++) {
                fb.put(i, (float) d[i]);
            }
        } else {
            dst.assign(toINDArray(src, dst.dataType()).reshape('c', dst.shape()));
        }
    }

    /**
     * A view (no copy) of a {@code DOUBLE} array's native memory: element {@code i} of the buffer is element
     * {@code i} of {@code a} in {@code a}'s storage order ({@link INDArray#ordering()}). Writing the buffer writes
     * the array. Requires a contiguous array ({@code elementWiseStride() == 1}).
     */
    public static DoubleBuffer doubleView(INDArray a) {
        requireView(a, DataType.DOUBLE);
        DoubleBuffer all = a.data().asNioDouble();
        int from = Math.toIntExact(a.offset());
        return all.position(from).limit(from + Math.toIntExact(a.length())).slice();
    }

    /** As {@link #doubleView} for a {@code FLOAT} array. */
    public static FloatBuffer floatView(INDArray a) {
        requireView(a, DataType.FLOAT);
        FloatBuffer all = a.data().asNioFloat();
        int from = Math.toIntExact(a.offset());
        return all.position(from).limit(from + Math.toIntExact(a.length())).slice();
    }

    private static void requireView(INDArray a, DataType type) {
        if (a.dataType() != type) {
            throw new IllegalArgumentException("a " + type + " view needs a " + type + " array, not " + a.dataType());
        }
        if (a.length() > 0 && a.elementWiseStride() != 1) {
            throw new IllegalArgumentException("array of shape " + Arrays.toString(a.shape()) + " with strides "
                    + Arrays.toString(a.stride()) + " is not contiguous; dup() it first");
        }
    }

    /** Whether {@code a}'s elements lie contiguously in native memory in row-major order. */
    static boolean rowMajorContiguous(INDArray a) {
        if (a.length() == 0) {
            return true;
        }
        if (a.elementWiseStride() != 1) {
            return false;
        }
        if (a.ordering() == 'c' || a.rank() <= 1) {
            return true;
        }
        // an 'f' array is also row-major when at most one of its dimensions is larger than one
        int larger = 0;
        for (long d : a.shape()) {
            if (d > 1) {
                larger++;
            }
        }
        return larger <= 1;
    }

    /** rows, cols of {@code a} seen as a matrix. */
    static int[] matrixShape(INDArray a) {
        long[] s = a.shape();
        if (s.length == 0) {
            return new int[] {1, 1};
        }
        if (s.length == 1) {
            return new int[] {1, Math.toIntExact(s[0])};
        }
        long cols = 1;
        for (int i = 1; i < s.length; i++) {
            cols *= s[i];
        }
        return new int[] {Math.toIntExact(s[0]), Math.toIntExact(cols)};
    }
}
