package org.hybridbench.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.hybridbench.api.model.Transcriptions;

/**
 * Symbol error rate of recognised against reference sequences, as HTK's HResults and NIST sclite report it:
 * each utterance is aligned on its own ({@link EditAlignment}), and the substitutions S, deletions D and
 * insertions I are summed over the set before dividing by the number of reference symbols N, so long
 * utterances weigh more than short ones (it is not the mean of per-utterance rates). Ignored symbols are removed
 * from both sides before aligning.
 */
final class ErrorRate {

    /** One utterance after removing ignored symbols, and its alignment. */
    record Utterance(String id, int[] reference, int[] hypothesis, EditAlignment alignment) {
    }

    /** {@code count} substitutions of reference symbol {@code reference} by hypothesis symbol {@code hypothesis}. */
    record Confusion(int reference, int hypothesis, long count) {
    }

    final List<String> symbols;
    final boolean[] ignored;
    final List<Utterance> utterances = new ArrayList<>();
    long substitutions;
    long deletions;
    long insertions;
    long referenceSymbols;
    long hypothesisSymbols;
    /** Utterances with at least one error. */
    long sentenceErrors;
    /** Per symbol: occurrences in the references, and how often it was recognised, substituted, deleted, inserted. */
    final long[] referenceCount;
    final long[] correctCount;
    final long[] substitutedCount;
    final long[] deletedCount;
    final long[] insertedCount;
    /** Substitution counts keyed by {@code reference * symbols + hypothesis}; sparse, as word vocabularies are large. */
    private final Map<Long, Long> confusions = new TreeMap<>();

    private ErrorRate(List<String> symbols, boolean[] ignored) {
        this.symbols = symbols;
        this.ignored = ignored;
        int n = symbols.size();
        referenceCount = new long[n];
        correctCount = new long[n];
        substitutedCount = new long[n];
        deletedCount = new long[n];
        insertedCount = new long[n];
    }

    /**
     * Scores every utterance of {@code t}; {@code ignored[s]} removes symbol s from both sides.
     *
     * @throws IllegalArgumentException if {@code t} has no references
     */
    static ErrorRate score(Transcriptions t, boolean[] ignored) {
        if (t.references() == null) {
            throw new IllegalArgumentException("the transcriptions carry no references");
        }
        ErrorRate r = new ErrorRate(t.symbols(), ignored);
        for (int u = 0; u < t.hypotheses().size(); u++) {
            r.add(t.ids().get(u), without(t.references().get(u), ignored), without(t.hypotheses().get(u), ignored));
        }
        return r;
    }

    static int[] without(int[] sequence, boolean[] ignored) {
        return java.util.Arrays.stream(sequence).filter(s -> !ignored[s]).toArray();
    }

    private void add(String id, int[] ref, int[] hyp) {
        EditAlignment a = EditAlignment.align(ref, hyp);
        utterances.add(new Utterance(id, ref, hyp, a));
        referenceSymbols += ref.length;
        hypothesisSymbols += hyp.length;
        for (int s : ref) {
            referenceCount[s]++;
        }
        for (EditAlignment.Step step : a.steps()) {
            switch (step.op()) {
                case MATCH -> correctCount[ref[step.ref()]]++;
                case SUBSTITUTION -> {
                    substitutions++;
                    substitutedCount[ref[step.ref()]]++;
                    confusions.merge((long) ref[step.ref()] * symbols.size() + hyp[step.hyp()], 1L, Long::sum);
                }
                case DELETION -> {
                    deletions++;
                    deletedCount[ref[step.ref()]]++;
                }
                case INSERTION -> {
                    insertions++;
                    insertedCount[hyp[step.hyp()]]++;
                }
            }
        }
        if (a.errors() > 0) {
            sentenceErrors++;
        }
    }

    long errors() {
        return substitutions + deletions + insertions;
    }

    /** (S + D + I) / N; NaN when there are no reference symbols at all. */
    double errorRate() {
        return ratio(errors(), referenceSymbols);
    }

    /** HTK's %Corr as a fraction: (N − S − D) / N. */
    double correct() {
        return ratio(referenceSymbols - substitutions - deletions, referenceSymbols);
    }

    /** HTK's %Acc as a fraction: (N − S − D − I) / N = 1 − error rate; negative when insertions abound. */
    double accuracy() {
        return ratio(referenceSymbols - substitutions - deletions - insertions, referenceSymbols);
    }

    double sentenceErrorRate() {
        return ratio(sentenceErrors, utterances.size());
    }

    private static double ratio(long count, long total) {
        return total > 0 ? count / (double) total : Double.NaN;
    }

    /** The values recorded in {@code metrics.jsonl}: rates as fractions, counts as whole numbers. */
    Map<String, Number> values() {
        Map<String, Number> v = new LinkedHashMap<>();
        v.put("errorRate", errorRate());
        v.put("correct", correct());
        v.put("accuracy", accuracy());
        v.put("sentenceErrorRate", sentenceErrorRate());
        v.put("substitutions", substitutions);
        v.put("deletions", deletions);
        v.put("insertions", insertions);
        v.put("referenceSymbols", referenceSymbols);
        v.put("hypothesisSymbols", hypothesisSymbols);
        v.put("utterances", (long) utterances.size());
        return v;
    }

    /** The {@code limit} most frequent substitutions, largest first, ties in symbol order (reference, then hypothesis). */
    List<Confusion> topConfusions(int limit) {
        List<Confusion> all = new ArrayList<>();
        int n = symbols.size();
        // the TreeMap iterates in key order = symbol order, and the sort is stable
        confusions.forEach((key, count) -> all.add(new Confusion((int) (key / n), (int) (key % n), count)));
        all.sort(Comparator.comparingLong(Confusion::count).reversed());
        return all.subList(0, Math.min(limit, all.size()));
    }
}
