package org.hybridbench.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.hybridbench.api.model.Metric;
import org.hybridbench.api.model.Predictions;

/**
 * Classification scores of predicted class indices against reference class indices: accuracy, and per class
 * c precision = TP/(TP+FP), recall = TP/(TP+FN), F1 = 2PR/(P+R) — each 0 when its denominator is 0 (scikit-learn's
 * {@code zero_division=0}) — and their unweighted (macro) means over the classes that occur in the reference or
 * the predictions. Keys: {@code accuracy, macroPrecision, macroRecall, macroF1, precision.<class>, recall.<class>,
 * f1.<class>}, class names from the predictions (or the index when there is none).
 */
public final class AccuracyMetric implements Metric {

    /** The confusion matrix C[reference][predicted] over classes 0…m−1, m covering names and both label arrays. */
    static long[][] confusion(Predictions p) {
        int m = classCount(p);
        long[][] c = new long[m][m];
        for (int t = 0; t < p.predicted().length; t++) {
            c[p.reference()[t]][p.predicted()[t]]++;
        }
        return c;
    }

    /** One off-diagonal cell of a confusion matrix: {@code count} tokens of {@code reference} predicted as {@code predicted}. */
    record Confusion(int reference, int predicted, long count, double shareOfErrors) {
    }

    /**
     * The {@code limit} largest off-diagonal cells of {@code c} with a count above 0, largest first; ties in
     * class order (reference, then predicted) so the list does not depend on hashing. {@code shareOfErrors} is
     * the cell's count over all off-diagonal counts.
     */
    static List<Confusion> topConfusions(long[][] c, int limit) {
        long errors = 0;
        List<Confusion> cells = new ArrayList<>();
        for (int i = 0; i < c.length; i++) {
            for (int j = 0; j < c[i].length; j++) {
                if (i != j && c[i][j] > 0) {
                    errors += c[i][j];
                    cells.add(new Confusion(i, j, c[i][j], 0));
                }
            }
        }
        // the list is built in class order and the sort is stable, so equal counts stay in class order
        cells.sort(Comparator.comparingLong(Confusion::count).reversed());
        List<Confusion> top = new ArrayList<>();
        for (Confusion e : cells.subList(0, Math.min(limit, cells.size()))) {
            top.add(new Confusion(e.reference(), e.predicted(), e.count(), e.count() / (double) errors));
        }
        return top;
    }

    static int classCount(Predictions p) {
        int m = p.referenceClassNames().size();
        for (int v : p.predicted()) {
            if (v < 0) {
                throw new IllegalArgumentException("predicted class " + v + " is negative");
            }
            m = Math.max(m, v + 1);
        }
        for (int v : p.reference()) {
            if (v < 0) {
                throw new IllegalArgumentException("reference class " + v + " is negative");
            }
            m = Math.max(m, v + 1);
        }
        return m;
    }

    static String className(List<String> names, int c) {
        return c < names.size() ? names.get(c) : Integer.toString(c);
    }

    @Override
    public Map<String, Double> evaluate(Predictions p) {
        if (p.reference() == null) {
            throw new IllegalArgumentException("accuracy needs reference labels");
        }
        long[][] c = confusion(p);
        int m = c.length;
        long correct = 0;
        long total = p.predicted().length;
        double sumP = 0;
        double sumR = 0;
        double sumF = 0;
        int present = 0;
        Map<String, Double> perClass = new LinkedHashMap<>();
        for (int k = 0; k < m; k++) {
            long tp = c[k][k];
            long support = 0;
            long predicted = 0;
            for (int j = 0; j < m; j++) {
                support += c[k][j];
                predicted += c[j][k];
            }
            correct += tp;
            double precision = predicted > 0 ? tp / (double) predicted : 0;
            double recall = support > 0 ? tp / (double) support : 0;
            double f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;
            String name = className(p.referenceClassNames(), k);
            perClass.put("precision." + name, precision);
            perClass.put("recall." + name, recall);
            perClass.put("f1." + name, f1);
            if (support > 0 || predicted > 0) {
                present++;
                sumP += precision;
                sumR += recall;
                sumF += f1;
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("accuracy", total > 0 ? correct / (double) total : Double.NaN);
        out.put("macroPrecision", present > 0 ? sumP / present : Double.NaN);
        out.put("macroRecall", present > 0 ? sumR / present : Double.NaN);
        out.put("macroF1", present > 0 ? sumF / present : Double.NaN);
        out.putAll(perClass);
        return out;
    }
}
