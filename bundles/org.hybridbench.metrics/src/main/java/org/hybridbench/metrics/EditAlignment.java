package org.hybridbench.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A minimum-cost Levenshtein alignment of a hypothesis against a reference symbol sequence with unit costs
 * (match 0; substitution, deletion, insertion 1), so {@code errors()} is the edit distance.
 * <p>
 * Several alignments can share the minimum cost and differ in how they split it (ref "a b", hyp "b a" is two
 * substitutions or a deletion and an insertion). The back-trace from the ends of both sequences takes, at each
 * cell, the first move that achieves the cell's cost in the order match/substitution, deletion, insertion — the
 * order sclite uses — so the split is deterministic and substitutions are preferred.
 *
 * @param steps the alignment from the first symbols to the last
 */
record EditAlignment(List<Step> steps) {

    /** What one column of an alignment is. */
    enum Op {
        MATCH, SUBSTITUTION, DELETION, INSERTION
    }

    /**
     * One column: {@code ref} and {@code hyp} are positions in the two sequences, −1 for the side with a gap
     * (the hypothesis of a deletion, the reference of an insertion).
     */
    record Step(Op op, int ref, int hyp) {
    }

    static EditAlignment align(int[] ref, int[] hyp) {
        int n = ref.length;
        int m = hyp.length;
        // cost[i][j]: edit distance between the first i reference and the first j hypothesis symbols
        int[][] cost = new int[n + 1][m + 1];
        for (int i = 0; i <= n; i++) {
            cost[i][0] = i;
        }
        for (int j = 0; j <= m; j++) {
            cost[0][j] = j;
        }
        for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= m; j++) {
                int diagonal = cost[i - 1][j - 1] + (ref[i - 1] == hyp[j - 1] ? 0 : 1);
                cost[i][j] = Math.min(diagonal, Math.min(cost[i - 1][j], cost[i][j - 1]) + 1);
            }
        }
        List<Step> steps = new ArrayList<>(Math.max(n, m));
        int i = n;
        int j = m;
        while (i > 0 || j > 0) {
            if (i > 0 && j > 0 && cost[i][j] == cost[i - 1][j - 1] + (ref[i - 1] == hyp[j - 1] ? 0 : 1)) {
                steps.add(new Step(ref[i - 1] == hyp[j - 1] ? Op.MATCH : Op.SUBSTITUTION, i - 1, j - 1));
                i--;
                j--;
            } else if (i > 0 && cost[i][j] == cost[i - 1][j] + 1) {
                steps.add(new Step(Op.DELETION, i - 1, -1));
                i--;
            } else {
                steps.add(new Step(Op.INSERTION, -1, j - 1));
                j--;
            }
        }
        Collections.reverse(steps);
        return new EditAlignment(List.copyOf(steps));
    }

    long count(Op op) {
        return steps.stream().filter(s -> s.op() == op).count();
    }

    long substitutions() {
        return count(Op.SUBSTITUTION);
    }

    long deletions() {
        return count(Op.DELETION);
    }

    long insertions() {
        return count(Op.INSERTION);
    }

    long errors() {
        return steps.size() - count(Op.MATCH);
    }
}
