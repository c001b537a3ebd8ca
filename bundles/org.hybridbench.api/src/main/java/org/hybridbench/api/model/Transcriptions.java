package org.hybridbench.api.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Recognised symbol sequences (phones, words) per utterance, with the reference sequences when known: what a
 * recogniser produces and an error-rate metric (phone/word error rate by Levenshtein alignment) consumes.
 * Symbol ids index {@code symbols}.
 *
 * @param ids an identifier per utterance (for reports)
 * @param hypotheses recognised symbol ids per utterance
 * @param references reference symbol ids per utterance, or {@code null}
 * @param symbols names of the symbols
 */
public record Transcriptions(List<String> ids, List<int[]> hypotheses, List<int[]> references, List<String> symbols) {
    public Transcriptions {
        if (ids.size() != hypotheses.size()) {
            throw new IllegalArgumentException(ids.size() + " utterance ids but " + hypotheses.size() + " hypotheses");
        }
        if (references != null && references.size() != hypotheses.size()) {
            throw new IllegalArgumentException(hypotheses.size() + " hypotheses but " + references.size() + " references");
        }
        int n = symbols.size();
        for (int u = 0; u < hypotheses.size(); u++) {
            check(hypotheses.get(u), n, "hypothesis", ids.get(u));
            if (references != null) {
                check(references.get(u), n, "reference", ids.get(u));
            }
        }
        ids = List.copyOf(ids);
        hypotheses = copy(hypotheses);
        references = references == null ? null : copy(references);
        symbols = List.copyOf(symbols);
    }

    private static void check(int[] s, int n, String what, String id) {
        for (int i = 0; i < s.length; i++) {
            if (s[i] < 0 || s[i] >= n) {
                throw new IllegalArgumentException("utterance " + id + ": " + what + " symbol " + s[i] + " at position " + i
                        + " is outside [0, " + n + ")");
            }
        }
    }

    private static List<int[]> copy(List<int[]> l) {
        List<int[]> out = new ArrayList<>(l.size());
        for (int[] a : l) {
            out.add(a.clone());
        }
        return List.copyOf(out);
    }
}
