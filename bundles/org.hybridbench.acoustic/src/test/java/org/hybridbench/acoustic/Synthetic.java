package org.hybridbench.acoustic;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.hybridbench.api.ConfigParam;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageProvider;
import org.hybridbench.api.data.SequenceBatch;
import org.hybridbench.api.model.LabelledSequences;

/** Test data: utterances of labelled frames whose labels come in runs, each class a Gaussian blob. */
final class Synthetic {
    private Synthetic() {
    }

    /**
     * {@code utterances} utterances of 5–20 frames, {@code k} classes with labels that keep their value with
     * probability 0.7 per frame, features = the class's mean (entries ±{@code separation}, fixed by {@code k} and
     * {@code d}) + N(0, 1) noise drawn from {@code seed}.
     */
    static LabelledSequences data(String name, int utterances, int k, int d, double separation, long seed) {
        SplittableRandom means = new SplittableRandom(k * 1000L + d);
        double[][] mu = new double[k][d];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                mu[c][j] = means.nextBoolean() ? separation : -separation;
            }
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int[] lengths = new int[utterances];
        List<Integer> states = new ArrayList<>();
        List<double[]> frames = new ArrayList<>();
        for (int u = 0; u < utterances; u++) {
            lengths[u] = 5 + rng.nextInt(16);
            int s = rng.nextInt(k);
            for (int t = 0; t < lengths[u]; t++) {
                if (t > 0 && rng.nextDouble() > 0.7) {
                    s = rng.nextInt(k);
                }
                double[] x = new double[d];
                for (int j = 0; j < d; j++) {
                    x[j] = mu[s][j] + gaussian(rng);
                }
                states.add(s);
                frames.add(x);
            }
        }
        double[] data = new double[frames.size() * d];
        for (int i = 0; i < frames.size(); i++) {
            System.arraycopy(frames.get(i), 0, data, i * d, d);
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            names.add("s" + c);
        }
        return new LabelledSequences(name, new SequenceBatch(d, lengths, data), states.stream().mapToInt(Integer::intValue).toArray(), names,
                Map.of("source", "synthetic"));
    }

    static double gaussian(SplittableRandom rng) {
        double u = 1 - rng.nextDouble();
        double v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** The provider's defaults with {@code overrides}. */
    static StageConfig config(StageProvider p, Map<String, Object> overrides) {
        Map<String, Object> v = new HashMap<>();
        for (ConfigParam c : p.descriptor().config()) {
            if (c.defaultValue() != null) {
                v.put(c.name(), c.defaultValue());
            }
        }
        v.putAll(overrides);
        return new StageConfig("stage", v);
    }
}
