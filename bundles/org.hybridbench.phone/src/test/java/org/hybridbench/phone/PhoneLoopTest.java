package org.hybridbench.phone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.hybridbench.api.data.Matrix;
import org.junit.jupiter.api.Test;

/**
 * The phone-loop decoder against brute force: every phone sequence without immediate repeats and every
 * segmentation of its phone states over the frames, scored from the model parameters and the LM directly; the
 * best score must equal Viterbi's and its phones and frame phones the decoder's. Also the bigram LM.
 */
class PhoneLoopTest {

    /** The best (score, phones, frame phones) over all phone sequences and segmentations. */
    private record Best(double score, int[] phones, int[] frames) {
    }

    private static Best bruteForce(PhoneModelSet m, BigramLm lm, double scale, double penalty, Matrix logB) {
        int frames = logB.rows();
        int s = m.statesPerPhone();
        Best best = new Best(Double.NEGATIVE_INFINITY, null, null);
        for (int n = 1; n * s <= frames; n++) {
            for (int[] phones : sequences(m.numPhones(), n)) {
                double lmScore = scale * lm.logProb(lm.start(), phones[0]) + scale * lm.logProb(phones[n - 1], lm.end()) + n * penalty;
                for (int i = 1; i < n; i++) {
                    lmScore += scale * lm.logProb(phones[i - 1], phones[i]);
                }
                for (int[] d : Tiny.durations(n * s, frames)) {
                    double score = lmScore;
                    int[] framePhones = new int[frames];
                    int t = 0;
                    for (int j = 0; j < n * s; j++) {
                        int p = phones[j / s];
                        double a = m.selfLoop(p, j % s);
                        score += (d[j] - 1) * Math.log(a) + Math.log(1 - a);
                        for (int r = 0; r < d[j]; r++, t++) {
                            score += logB.get(t, m.emissionState(p, j % s));
                            framePhones[t] = p;
                        }
                    }
                    if (score > best.score()) {
                        best = new Best(score, phones, framePhones);
                    }
                }
            }
        }
        return best;
    }

    /** All sequences of n phones in which no phone follows itself. */
    private static List<int[]> sequences(int phones, int n) {
        List<int[]> out = new ArrayList<>();
        int[] s = new int[n];
        build(phones, s, 0, out);
        return out;
    }

    private static void build(int phones, int[] s, int i, List<int[]> out) {
        if (i == s.length) {
            out.add(s.clone());
            return;
        }
        for (int p = 0; p < phones; p++) {
            if (i == 0 || s[i - 1] != p) {
                s[i] = p;
                build(phones, s, i + 1, out);
            }
        }
    }

    private static List<int[]> randomTranscripts(int phones, Random rng) {
        List<int[]> out = new ArrayList<>();
        for (int u = 0; u < 6; u++) {
            int[] s = new int[1 + rng.nextInt(5)];
            for (int i = 0; i < s.length; i++) {
                do {
                    s[i] = rng.nextInt(phones);
                } while (i > 0 && s[i] == s[i - 1]);
            }
            out.add(s);
        }
        return out;
    }

    @Test
    void viterbiOverThePhoneLoopEqualsTheBestOfAllPhoneSequencesAndSegmentations() {
        Random rng = new Random(5);
        int[][] shapes = {{2, 2}, {3, 1}, {2, 3}};
        int cases = 0;
        for (int[] shape : shapes) {
            for (int trial = 0; trial < 10; trial++) {
                PhoneModelSet m = Tiny.random(shape[0], shape[1], rng);
                BigramLm lm = new BigramLm(shape[0], randomTranscripts(shape[0], rng), trial % 2 == 0 ? 0.5 : 0);
                double scale = trial < 5 ? 1 : 0.5 + 4 * rng.nextDouble();
                double penalty = trial < 5 ? 0 : 3 * rng.nextGaussian();
                PhoneLoop loop = new PhoneLoop(m, lm, scale, penalty);
                List<Matrix> utterances = new ArrayList<>();
                for (int frames = shape[1]; frames <= 7; frames++) {
                    utterances.add(Tiny.logB(m, Tiny.observations(frames, rng)));
                }
                List<PhoneLoop.Decoded> decoded = loop.decode(utterances, Tiny.CHAIN);
                for (int u = 0; u < utterances.size(); u++) {
                    Best best = bruteForce(m, lm, scale, penalty, utterances.get(u));
                    PhoneLoop.Decoded d = decoded.get(u);
                    String where = "shape " + shape[0] + "x" + shape[1] + ", trial " + trial + ", " + utterances.get(u).rows() + " frames";
                    assertEquals(best.score(), d.score(), 1e-9 * Math.max(1, Math.abs(best.score())), where);
                    assertArrayEquals(best.phones(), d.phones(), where);
                    assertArrayEquals(best.frames(), d.framePhones(), where);
                    cases++;
                }
            }
        }
        assertEquals(10 * (6 + 7 + 5), cases);
    }

    @Test
    void bigramProbabilitiesOfEveryContextSumToOneOverItsAllowedSuccessors() {
        Random rng = new Random(3);
        for (double k : new double[] {0, 0.5, 1, 7}) {
            BigramLm lm = new BigramLm(5, randomTranscripts(5, rng), k);
            for (int c = 0; c <= 5; c++) {
                double sum = 0;
                for (int x = 0; x <= 5; x++) {
                    sum += Math.exp(lm.logProb(c, x));
                }
                assertEquals(1, sum, 1e-12, "context " + c + ", k " + k);
                if (c < 5) {
                    assertEquals(Double.NEGATIVE_INFINITY, lm.logProb(c, c), "a phone never follows itself");
                }
            }
            assertEquals(Double.NEGATIVE_INFINITY, lm.logProb(lm.start(), lm.end()), "no empty utterance");
        }
    }

    @Test
    void bigramEstimatesAreCountsPlusKOverTheContextTotal() {
        // transcripts "0 1", "0", "1 0 1": start→0 ×2, start→1 ×1, 0→1 ×2, 0→end ×1, 1→0 ×1, 1→end ×2
        List<int[]> t = List.of(new int[] {0, 1}, new int[] {0}, new int[] {1, 0, 1});
        BigramLm ml = new BigramLm(2, t, 0);
        assertEquals(Math.log(2.0 / 3), ml.logProb(ml.start(), 0), 1e-15);
        assertEquals(Math.log(2.0 / 3), ml.logProb(0, 1), 1e-15);
        assertEquals(Math.log(1.0 / 3), ml.logProb(0, ml.end()), 1e-15);
        assertEquals(Math.log(2.0 / 3), ml.logProb(1, ml.end()), 1e-15);
        BigramLm add1 = new BigramLm(2, t, 1);
        assertEquals(Math.log(3.0 / 5), add1.logProb(add1.start(), 0), 1e-15);
        assertEquals(Math.log(2.0 / 5), add1.logProb(1, 0), 1e-15);
        var e = assertThrows(IllegalArgumentException.class, () -> new BigramLm(2, List.of(new int[] {0, 0}), 1));
        assertEquals("transcript 0, position 1: phone 0 repeats the previous one (transcripts have runs collapsed)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new BigramLm(2, List.of(new int[] {0}, new int[] {2}), 1));
        assertEquals("transcript 1, position 0: phone 2 outside [0, 2)", e.getMessage());
    }

    @Test
    void levenshteinCountsSubstitutionsDeletionsAndInsertions() {
        assertEquals(0, ErrorCount.levenshtein(new int[] {1, 2, 3}, new int[] {1, 2, 3}));
        assertEquals(1, ErrorCount.levenshtein(new int[] {1, 2, 3}, new int[] {1, 4, 3}));
        assertEquals(1, ErrorCount.levenshtein(new int[] {1, 2, 3}, new int[] {1, 3}));
        assertEquals(2, ErrorCount.levenshtein(new int[] {1, 2, 3}, new int[] {0, 1, 2, 3, 4}));
        assertEquals(3, ErrorCount.levenshtein(new int[] {1, 2, 3}, new int[0]));
        assertEquals(2, ErrorCount.levenshtein(new int[0], new int[] {5, 6}));
    }
}
