package org.hybridbench.api.model;

import java.util.Arrays;
import java.util.List;

import org.hybridbench.api.data.Matrix;

/**
 * A ragged batch of chains that share their initial and transition log-potentials (an HMM over many sequences,
 * a CRF over a mini-batch): the unaries of all sequences end to end, sequence {@code b} in rows
 * {@link #offset(int) offset(b)} to {@code offset(b+1) − 1}. Lengths may be 0; there is no padding and no mask.
 */
public final class ChainBatch {
    private final double[] logInitial;
    private final Matrix logTransition;
    private final Matrix logUnary;
    private final int[] offsets;

    /**
     * @param logInitial K log-potentials of the first state
     * @param logTransition K × K, row = from state
     * @param logUnary (Σ lengths) × K, the sequences end to end
     * @param lengths length of every sequence (0 allowed)
     */
    public ChainBatch(double[] logInitial, Matrix logTransition, Matrix logUnary, int[] lengths) {
        int k = logInitial.length;
        if (logTransition.rows() != k || logTransition.cols() != k || logUnary.cols() != k) {
            throw new IllegalArgumentException("chain batch with " + k + " states needs a " + k + "x" + k
                    + " transition matrix and N x " + k + " unaries, got " + logTransition + " and " + logUnary);
        }
        offsets = new int[lengths.length + 1];
        for (int b = 0; b < lengths.length; b++) {
            if (lengths[b] < 0) {
                throw new IllegalArgumentException("sequence " + b + " has negative length " + lengths[b]);
            }
            offsets[b + 1] = Math.addExact(offsets[b], lengths[b]);
        }
        if (offsets[lengths.length] != logUnary.rows()) {
            throw new IllegalArgumentException("sequence lengths sum to " + offsets[lengths.length] + " but there are "
                    + logUnary.rows() + " unary rows");
        }
        this.logInitial = logInitial;
        this.logTransition = logTransition;
        this.logUnary = logUnary;
    }

    /** A batch of the given chains, which must share initial and transition potentials (compared by value). */
    public static ChainBatch of(List<ChainPotentials> chains) {
        if (chains.isEmpty()) {
            throw new IllegalArgumentException("a chain batch needs at least one chain to know its states");
        }
        ChainPotentials first = chains.get(0);
        int k = first.numStates();
        int[] lengths = new int[chains.size()];
        int total = 0;
        for (int b = 0; b < lengths.length; b++) {
            ChainPotentials c = chains.get(b);
            if (!Arrays.equals(c.logInitial(), first.logInitial())
                    || !Arrays.equals(c.logTransition().data(), first.logTransition().data())) {
                throw new IllegalArgumentException("chain " + b + " does not share the initial and transition potentials of chain 0");
            }
            lengths[b] = c.length();
            total = Math.addExact(total, lengths[b]);
        }
        double[] u = new double[Math.multiplyExact(total, k)];
        int at = 0;
        for (ChainPotentials c : chains) {
            double[] d = c.logUnary().data();
            System.arraycopy(d, 0, u, at, d.length);
            at += d.length;
        }
        return new ChainBatch(first.logInitial(), first.logTransition(), new Matrix(total, k, u), lengths);
    }

    public int numStates() {
        return logInitial.length;
    }

    /** Number of sequences. */
    public int size() {
        return offsets.length - 1;
    }

    public int length(int sequence) {
        return offsets[sequence + 1] - offsets[sequence];
    }

    /** Row of {@link #logUnary()} where {@code sequence} starts. */
    public int offset(int sequence) {
        return offsets[sequence];
    }

    /** Σ lengths. */
    public int totalLength() {
        return offsets[offsets.length - 1];
    }

    public double[] logInitial() {
        return logInitial;
    }

    public Matrix logTransition() {
        return logTransition;
    }

    /** All unaries end to end (not a copy). */
    public Matrix logUnary() {
        return logUnary;
    }

    /** Sequence {@code b} as a chain of its own (its unaries copied). */
    public ChainPotentials chain(int b) {
        int k = numStates();
        double[] u = Arrays.copyOfRange(logUnary.data(), offsets[b] * k, offsets[b + 1] * k);
        return new ChainPotentials(logInitial, logTransition, new Matrix(length(b), k, u));
    }
}
