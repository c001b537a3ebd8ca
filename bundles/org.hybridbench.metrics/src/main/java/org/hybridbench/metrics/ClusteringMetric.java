package org.hybridbench.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

import org.hybridbench.api.model.Metric;
import org.hybridbench.api.model.Predictions;

/**
 * External clustering scores of predicted clusters against reference classes, from the contingency table n_ij
 * (cluster i, class j; row sums a_i, column sums b_j, N rows):
 * <ul>
 * <li>{@code purity} = (1/N) Σ_i max_j n_ij (Manning, Raghavan &amp; Schütze 2008, §16.3);</li>
 * <li>{@code nmi} = I(U;V) / ((H(U) + H(V)) / 2), natural logarithms, the arithmetic-mean normalisation
 * (scikit-learn's default); 1 when both labelings are a single cluster;</li>
 * <li>{@code ari} = (Σ C(n_ij,2) − E) / (½(Σ C(a_i,2) + Σ C(b_j,2)) − E) with
 * E = Σ C(a_i,2) Σ C(b_j,2) / C(N,2) (Hubert &amp; Arabie 1985); 1 when the denominator is 0 (both labelings
 * all in one cluster, or all singletons), as in scikit-learn.</li>
 * </ul>
 */
public final class ClusteringMetric implements Metric {

    @Override
    public Map<String, Double> evaluate(Predictions predictions) {
        if (predictions.reference() == null) {
            throw new IllegalArgumentException("clustering scores need reference labels");
        }
        return evaluate(Contingency.of(predictions));
    }

    static Map<String, Double> evaluate(Contingency c) {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("purity", purity(c));
        out.put("nmi", nmi(c));
        out.put("ari", ari(c));
        out.put("clusters", (double) c.a.length);
        out.put("classes", (double) c.b.length);
        return out;
    }

    static double purity(Contingency c) {
        if (c.total == 0) {
            return Double.NaN;
        }
        long sum = 0;
        for (long[] row : c.n) {
            long max = 0;
            for (long v : row) {
                max = Math.max(max, v);
            }
            sum += max;
        }
        return sum / (double) c.total;
    }

    static double entropy(long[] counts, long total) {
        double h = 0;
        for (long v : counts) {
            if (v > 0) {
                double p = v / (double) total;
                h -= p * Math.log(p);
            }
        }
        return h;
    }

    static double mutualInformation(Contingency c) {
        double mi = 0;
        double n = c.total;
        for (int i = 0; i < c.a.length; i++) {
            for (int j = 0; j < c.b.length; j++) {
                long v = c.n[i][j];
                if (v > 0) {
                    mi += v / n * Math.log(n * v / ((double) c.a[i] * c.b[j]));
                }
            }
        }
        return Math.max(0, mi); // exact MI is ≥ 0; clamp round-off
    }

    static double nmi(Contingency c) {
        if (c.a.length <= 1 && c.b.length <= 1) {
            return 1.0;
        }
        double hu = entropy(c.a, c.total);
        double hv = entropy(c.b, c.total);
        double denom = (hu + hv) / 2;
        return denom > 0 ? mutualInformation(c) / denom : 0;
    }

    private static double pairs(long v) {
        return v * (v - 1) / 2.0;
    }

    static double ari(Contingency c) {
        double index = 0;
        for (long[] row : c.n) {
            for (long v : row) {
                index += pairs(v);
            }
        }
        double sa = 0;
        for (long v : c.a) {
            sa += pairs(v);
        }
        double sb = 0;
        for (long v : c.b) {
            sb += pairs(v);
        }
        double all = pairs(c.total);
        double expected = all > 0 ? sa * sb / all : 0;
        double max = (sa + sb) / 2;
        return max == expected ? 1.0 : (index - expected) / (max - expected);
    }
}
