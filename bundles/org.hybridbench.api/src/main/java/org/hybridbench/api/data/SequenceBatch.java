package org.hybridbench.api.data;

import java.util.Arrays;

/**
 * A ragged batch of sequences of d-dimensional vectors, stored end to end in one array: sequence {@code i}
 * occupies rows {@code offset(i)} to {@code offset(i+1) - 1}. Empty sequences are allowed.
 */
public final class SequenceBatch {
    private final int dimension;
    private final int[] offsets;
    private final double[] data;

    /**
     * @param dimension values per position
     * @param lengths length of every sequence (zero allowed)
     * @param data all positions end to end, row-major, length sum(lengths) × dimension
     */
    public SequenceBatch(int dimension, int[] lengths, double[] data) {
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be at least 1, was " + dimension);
        }
        this.dimension = dimension;
        this.offsets = new int[lengths.length + 1];
        for (int i = 0; i < lengths.length; i++) {
            if (lengths[i] < 0) {
                throw new IllegalArgumentException("sequence " + i + " has negative length " + lengths[i]);
            }
            offsets[i + 1] = Math.addExact(offsets[i], lengths[i]);
        }
        long expected = (long) offsets[lengths.length] * dimension;
        if (data.length != expected) {
            throw new IllegalArgumentException("sequence batch of total length " + offsets[lengths.length] + " and dimension "
                    + dimension + " needs " + expected + " values, got " + data.length);
        }
        this.data = data;
    }

    public int size() {
        return offsets.length - 1;
    }

    public int dimension() {
        return dimension;
    }

    public int length(int sequence) {
        return offsets[sequence + 1] - offsets[sequence];
    }

    /** Index of the first position of {@code sequence} among all positions. */
    public int offset(int sequence) {
        return offsets[sequence];
    }

    public int totalLength() {
        return offsets[offsets.length - 1];
    }

    /** The backing array (not a copy). */
    public double[] data() {
        return data;
    }

    /** A copy of one sequence as a length × dimension matrix. */
    public Matrix sequence(int i) {
        return new Matrix(length(i), dimension, Arrays.copyOfRange(data, offsets[i] * dimension, offsets[i + 1] * dimension));
    }
}
