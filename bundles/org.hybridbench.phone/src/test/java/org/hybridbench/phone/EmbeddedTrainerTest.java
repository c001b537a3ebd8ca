package org.hybridbench.phone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.hybridbench.api.data.SequenceBatch;
import org.hybridbench.api.model.LabelledSequences;
import org.hybridbench.emission.CovarianceType;
import org.hybridbench.emission.GaussianEmission;
import org.junit.jupiter.api.Test;

/**
 * Embedded Baum-Welch on utterances drawn from a known set of 3 phones × 2 states (2-D Gaussians): from a flat start
 * (uniform segmentation, no frame boundaries) the log-likelihood never decreases, ends above the generating models',
 * and the means and self-loops are recovered.
 */
class EmbeddedTrainerTest {
    static final int PHONES = 3;
    static final int STATES = 2;

    /** The generating models: state means on a circle of radius 3, variances 0.3, self-loops 0.5–0.85. */
    static PhoneModelSet truth() {
        int k = PHONES * STATES;
        GaussianEmission e = new GaussianEmission(k, 2, CovarianceType.DIAGONAL, 1e-6);
        double[] a = {0.5, 0.8, 0.7, 0.6, 0.85, 0.55};
        for (int i = 0; i < k; i++) {
            double angle = 2 * Math.PI * i / k;
            e.setMean(i, 0, new double[] {3 * Math.cos(angle), 3 * Math.sin(angle)});
            e.setCovariance(i, 0, new double[] {0.3, 0, 0, 0.3});
        }
        return new PhoneModelSet(Tiny.names(PHONES), STATES, a, e, List.of());
    }

    /** Utterances of 3–7 phones (no immediate repeats) with geometric state durations; frames labelled with their phone. */
    static LabelledSequences sample(PhoneModelSet m, int utterances, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Integer> lengths = new ArrayList<>();
        List<Integer> states = new ArrayList<>();
        for (int u = 0; u < utterances; u++) {
            int n = 3 + rng.nextInt(5);
            int prev = -1;
            int frames = 0;
            for (int i = 0; i < n; i++) {
                int p;
                do {
                    p = rng.nextInt(PHONES);
                } while (p == prev);
                prev = p;
                for (int s = 0; s < STATES; s++) {
                    do {
                        states.add(m.emissionState(p, s));
                        frames++;
                    } while (rng.nextDouble() < m.selfLoop(p, s));
                }
            }
            lengths.add(frames);
        }
        int[] st = states.stream().mapToInt(Integer::intValue).toArray();
        double[] y = m.emission().sample(st, rng).data();
        int[] phone = Arrays.stream(st).map(s -> s / STATES).toArray();
        return new LabelledSequences("synthetic", new SequenceBatch(2, lengths.stream().mapToInt(Integer::intValue).toArray(), y),
                phone, Tiny.names(PHONES), Map.of());
    }

    static PhoneModelSet fresh(LabelledSequences data) {
        double[] a = new double[PHONES * STATES];
        Arrays.fill(a, EmbeddedTrainer.DEFAULT_SELF_LOOP);
        return new PhoneModelSet(Tiny.names(PHONES), STATES, a, new GaussianEmission(PHONES * STATES, 2, CovarianceType.DIAGONAL, 1e-3),
                Transcripts.all(data));
    }

    /** Runs {@code iterations} updates and returns the log-likelihood of every evaluation. */
    static List<Double> train(PhoneModelSet m, LabelledSequences data, int iterations, int threads) throws Exception {
        List<Double> ll = new ArrayList<>();
        new EmbeddedTrainer(Tiny.CHAIN, threads).train(m, data.observations(), Transcripts.all(data), 0, Double.NaN, iterations, 0,
                new EmbeddedTrainer.Listener() {
                    @Override
                    public void evaluated(EmbeddedTrainer.Iteration it) {
                        assertTrue(it.notes().isEmpty(), "no empty states or floors expected: " + it.notes());
                        assertFalse(it.decreased());
                        ll.add(it.logLikelihood());
                    }

                    @Override
                    public void updated(int updates, double logLikelihood) {
                    }
                });
        return ll;
    }

    @Test
    void flatStartBaumWelchIsMonotoneAndRecoversTheGeneratingPhoneModels() throws Exception {
        PhoneModelSet truth = truth();
        LabelledSequences data = sample(truth, 120, 17);
        double truthLl = train(truth, data, 0, 2).get(0);

        PhoneModelSet m = fresh(data);
        EmbeddedTrainer.initialise(m, data, Transcripts.all(data), EmbeddedTrainer.Init.FLAT, 1);
        List<Double> ll = train(m, data, 30, 2);
        assertEquals(31, ll.size());
        for (int i = 1; i < ll.size(); i++) {
            assertTrue(ll.get(i) >= ll.get(i - 1) - 1e-9 * Math.abs(ll.get(i - 1)), "iteration " + i + ": " + ll);
        }
        assertTrue(ll.get(30) > ll.get(0) + 100, "training must improve the flat start: " + ll);
        assertTrue(ll.get(30) >= truthLl, "the fit (" + ll.get(30) + ") must explain the data at least as well as the truth (" + truthLl + ")");

        GaussianEmission fit = (GaussianEmission) m.emission();
        GaussianEmission gen = (GaussianEmission) truth.emission();
        for (int i = 0; i < PHONES * STATES; i++) {
            double[] mu = fit.mean(i);
            double[] want = gen.mean(i);
            assertEquals(want[0], mu[0], 0.15, "state " + i + " mean x");
            assertEquals(want[1], mu[1], 0.15, "state " + i + " mean y");
            assertEquals(0.3, fit.covariance(i)[0], 0.08, "state " + i + " variance");
            assertEquals(truth.selfLoops()[i], m.selfLoops()[i], 0.06, "state " + i + " self-loop");
        }
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() throws Exception {
        LabelledSequences data = sample(truth(), 40, 3);
        PhoneModelSet one = fresh(data);
        PhoneModelSet two = fresh(data);
        EmbeddedTrainer.initialise(one, data, Transcripts.all(data), EmbeddedTrainer.Init.LABELS, 2);
        EmbeddedTrainer.initialise(two, data, Transcripts.all(data), EmbeddedTrainer.Init.LABELS, 2);
        assertEquals(train(one, data, 4, 1), train(two, data, 4, 3));
        assertTrue(Arrays.equals(one.selfLoops(), two.selfLoops()));
        assertTrue(Arrays.equals(one.emission().parameters().get(1).values(), two.emission().parameters().get(1).values()));
    }

    @Test
    void labelSegmentationStartsCloserThanFlat() throws Exception {
        LabelledSequences data = sample(truth(), 60, 9);
        PhoneModelSet flat = fresh(data);
        PhoneModelSet labels = fresh(data);
        EmbeddedTrainer.initialise(flat, data, Transcripts.all(data), EmbeddedTrainer.Init.FLAT, 1);
        EmbeddedTrainer.initialise(labels, data, Transcripts.all(data), EmbeddedTrainer.Init.LABELS, 1);
        assertTrue(train(labels, data, 0, 2).get(0) > train(flat, data, 0, 2).get(0));
    }
}
