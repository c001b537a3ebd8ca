package org.hybridbench.phone;

/** The edit distance behind the decoder's phone error rate: substitutions + deletions + insertions. */
final class ErrorCount {
    private ErrorCount() {
    }

    /** Minimum number of substitutions, deletions and insertions turning {@code reference} into {@code hypothesis}. */
    static int levenshtein(int[] reference, int[] hypothesis) {
        int[] row = new int[hypothesis.length + 1];
        for (int j = 0; j <= hypothesis.length; j++) {
            row[j] = j;
        }
        for (int i = 1; i <= reference.length; i++) {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= hypothesis.length; j++) {
                int up = row[j];
                row[j] = Math.min(Math.min(up + 1, row[j - 1] + 1), diagonal + (reference[i - 1] == hypothesis[j - 1] ? 0 : 1));
                diagonal = up;
            }
        }
        return row[hypothesis.length];
    }
}
