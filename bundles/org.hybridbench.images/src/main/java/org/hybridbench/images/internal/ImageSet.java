package org.hybridbench.images.internal;

/**
 * Images of one split in output order: {@code pixels} holds {@code labels.length × 784} bytes; {@code keys[r]} identifies
 * row {@code r}'s image in its source (Fashion-MNIST: index in its IDX file; MNIST: class·100,000 + index within the
 * class) and seeds the image's fixed binarisation, so an image is binarised the same way whatever {@code limit} is and
 * in the fixture as in the full data.
 */
record ImageSet(byte[] pixels, int[] labels, long[] keys) {
    ImageSet {
        if (pixels.length != (long) labels.length * Idx.PIXELS || keys.length != labels.length) {
            throw new IllegalArgumentException(labels.length + " labels, " + keys.length + " keys but " + pixels.length
                    + " pixel bytes");
        }
    }

    int size() {
        return labels.length;
    }

    /** The first {@code limit} rows (all if {@code limit} is 0 or at least the size). */
    ImageSet first(int limit) {
        if (limit <= 0 || limit >= size()) {
            return this;
        }
        return new ImageSet(java.util.Arrays.copyOf(pixels, limit * Idx.PIXELS), java.util.Arrays.copyOf(labels, limit),
                java.util.Arrays.copyOf(keys, limit));
    }
}
