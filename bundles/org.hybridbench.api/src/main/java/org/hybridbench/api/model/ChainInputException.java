package org.hybridbench.api.model;

/**
 * Chain potentials that cannot be used: NaN or +Infinity anywhere (−Infinity is allowed and means
 * "impossible"), or a chain in which every path is impossible (for an HMM: observations of zero probability under
 * every state reachable at that position). The message names the sequence, the position and the values.
 */
public class ChainInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int sequence;
    private final int position;

    /**
     * @param sequence index of the sequence in its batch (0 for a single chain)
     * @param position the position in that sequence, or −1 when the initial or transition potentials are at fault
     */
    public ChainInputException(int sequence, int position, String message) {
        super(message);
        this.sequence = sequence;
        this.position = position;
    }

    /** Index of the sequence in its batch (0 for a single chain). */
    public int sequence() {
        return sequence;
    }

    /** Position in the sequence, or −1 for the initial or transition potentials. */
    public int position() {
        return position;
    }
}
