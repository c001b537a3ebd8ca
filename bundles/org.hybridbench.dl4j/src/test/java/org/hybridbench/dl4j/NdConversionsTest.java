package org.hybridbench.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.DoubleBuffer;

import org.hybridbench.api.data.Matrix;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class NdConversionsTest {

    private static Matrix sample(int rows, int cols) {
        Matrix m = new Matrix(rows, cols);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                m.set(r, c, r * 10 + c + 0.25);
            }
        }
        return m;
    }

    @Test
    void doubleRoundTripIsACopy() {
        Matrix m = sample(3, 4);
        INDArray a = NdConversions.toINDArray(m);
        assertEquals(DataType.DOUBLE, a.dataType());
        assertArrayEquals(new long[] {3, 4}, a.shape());
        assertEquals(12.25, a.getDouble(1, 2));
        m.set(1, 2, -1);
        assertEquals(12.25, a.getDouble(1, 2), "the array is a copy");
        Matrix back = NdConversions.toMatrix(a);
        assertNotSame(m.data(), back.data());
        assertEquals(12.25, back.get(1, 2));
        assertEquals(23.25, back.get(2, 3));
    }

    @Test
    void floatRoundTrip() {
        Matrix m = sample(2, 5);
        INDArray a = NdConversions.toINDArray(m, DataType.FLOAT);
        assertEquals(DataType.FLOAT, a.dataType());
        assertEquals(14.25f, a.getFloat(1, 4));
        assertArrayEquals(m.data(), NdConversions.toMatrix(a).data(), 1e-6);
        Matrix target = new Matrix(2, 5);
        NdConversions.copyInto(a, target);
        assertArrayEquals(m.data(), target.data(), 1e-6);
    }

    @Test
    void columnMajorTransposedAndRowViewsConvertInRowMajorOrder() {
        Matrix m = sample(3, 4);
        INDArray f = NdConversions.toINDArray(m).dup('f');
        assertEquals('f', f.ordering());
        assertArrayEquals(m.data(), NdConversions.toMatrix(f).data());

        INDArray t = NdConversions.toINDArray(m).transpose();
        Matrix mt = NdConversions.toMatrix(t);
        assertEquals(4, mt.rows());
        assertEquals(3, mt.cols());
        assertEquals(m.get(2, 1), mt.get(1, 2));

        INDArray row = NdConversions.toINDArray(m).get(NDArrayIndex.point(2), NDArrayIndex.all());
        assertArrayEquals(m.row(2), NdConversions.toMatrix(row).data());

        INDArray col = NdConversions.toINDArray(m).get(NDArrayIndex.all(), NDArrayIndex.point(1));
        assertArrayEquals(new double[] {1.25, 11.25, 21.25}, NdConversions.toMatrix(col).data());
    }

    @Test
    void higherRankFlattensTrailingDimensionsRowMajor() {
        INDArray a = Nd4j.linspace(1, 24, 24, DataType.DOUBLE).reshape('c', 2, 3, 2, 2);
        Matrix m = NdConversions.toMatrix(a);
        assertEquals(2, m.rows());
        assertEquals(12, m.cols());
        assertEquals(13.0, m.get(1, 0), 1e-12);
        assertEquals(24.0, m.get(1, 11), 1e-12);
        assertArrayEquals(m.data(), NdConversions.toMatrix(a.dup('f')).data());
    }

    @Test
    void copyIntoExistingArraysOfEveryKind() {
        Matrix m = sample(3, 2);
        for (char order : new char[] {'c', 'f'}) {
            for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
                INDArray dst = Nd4j.create(type, new long[] {3, 2}, order);
                NdConversions.copyInto(m, dst);
                assertArrayEquals(m.data(), NdConversions.toMatrix(dst).data(), 1e-6, order + " " + type);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> NdConversions.copyInto(m, Nd4j.create(DataType.DOUBLE, 2, 3)));
        assertThrows(IllegalArgumentException.class,
                () -> NdConversions.copyInto(Nd4j.create(DataType.DOUBLE, 2, 3), new Matrix(3, 2)));
    }

    @Test
    void doubleViewWritesThroughWithoutCopy() {
        INDArray a = Nd4j.create(DataType.DOUBLE, 4, 3);
        DoubleBuffer v = NdConversions.doubleView(a);
        assertEquals(12, v.capacity());
        v.put(5, 42.0);
        assertEquals(42.0, a.getDouble(1, 2), "row-major position 5 is (1,2)");
        a.putScalar(3, 0, -7.0);
        assertEquals(-7.0, v.get(9), "the view sees the array's writes");

        INDArray row = a.get(NDArrayIndex.point(1), NDArrayIndex.all());
        DoubleBuffer rv = NdConversions.doubleView(row);
        assertEquals(3, rv.capacity());
        assertEquals(42.0, rv.get(2), "a view of a view starts at its offset");

        INDArray col = a.get(NDArrayIndex.all(), NDArrayIndex.point(0));
        assertThrows(IllegalArgumentException.class, () -> NdConversions.doubleView(col));
        assertThrows(IllegalArgumentException.class, () -> NdConversions.doubleView(a.castTo(DataType.FLOAT)));
    }

    @Test
    void emptyMatrix() {
        INDArray a = NdConversions.toINDArray(new Matrix(0, 3));
        assertArrayEquals(new long[] {0, 3}, a.shape());
        assertEquals(0, NdConversions.toMatrix(a).rows());
    }
}
