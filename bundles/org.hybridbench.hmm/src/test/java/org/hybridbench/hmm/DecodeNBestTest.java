package org.hybridbench.hmm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.hybridbench.api.PortTypes;
import org.hybridbench.api.StageException;
import org.hybridbench.api.TrainingRegime;
import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.data.SequenceBatch;
import org.hybridbench.api.model.LabelledSequences;
import org.hybridbench.api.model.Predictions;
import org.hybridbench.testing.FakeRunContext;
import org.hybridbench.testing.FakeStageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * model.hmm.decode with nBest > 1 against brute force: every one of the K^T state paths of each short sequence scored
 * from the definition log π[s₀] + Σ log b_t(s_t) + Σ log A[s_t, s_{t+1}] (log b from the emission model), sorted.
 */
class DecodeNBestTest {
    @TempDir
    Path dir;

    /** A path and its score from the definition. */
    record Scored(int[] states, double logScore) {
    }

    /** Every possible path (score above −∞) of sequence {@code s}, best first. */
    static List<Scored> enumerate(HiddenMarkovModel m, SequenceBatch seqs, int s) {
        int k = m.numStates();
        int len = seqs.length(s);
        Matrix logB = new Matrix(len, k);
        if (len > 0) {
            m.emission().logDensity(seqs.sequence(s), logB);
        }
        List<Scored> out = new ArrayList<>();
        int total = (int) Math.pow(k, len);
        for (int code = 0; code < total; code++) {
            int[] z = new int[len];
            int rest = code;
            for (int t = 0; t < len; t++) {
                z[t] = rest % k;
                rest /= k;
            }
            double score = 0;
            for (int t = 0; t < len; t++) {
                score += (t == 0 ? Math.log(m.initial[z[0]]) : Math.log(m.transitions[z[t - 1] * k + z[t]])) + logB.get(t, z[t]);
            }
            if (score > Double.NEGATIVE_INFINITY) {
                out.add(new Scored(z, score));
            }
        }
        out.sort(Comparator.comparingDouble(Scored::logScore).reversed());
        return out;
    }

    static double logSumExp(List<Scored> paths) {
        double max = paths.get(0).logScore();
        double sum = 0;
        for (Scored p : paths) {
            sum += Math.exp(p.logScore() - max);
        }
        return max + Math.log(sum);
    }

    /** 103 sequences of lengths 0 … 5 (so 3 beyond the artifact's first 100), drawn from {@code m}. */
    static LabelledSequences shortSequences(HiddenMarkovModel m, long seed) {
        int[] lengths = new int[103];
        for (int s = 0; s < lengths.length; s++) {
            lengths[s] = s % 6;
        }
        return m.sample(lengths, new SplittableRandom(seed));
    }

    static HiddenMarkovModel leftToRight() {
        HiddenMarkovModel truth = HmmTrainerTest.truth();
        return new HiddenMarkovModel(new double[] {1, 0, 0}, new double[][] {{0.7, 0.3, 0}, {0, 0.8, 0.2}, {0, 0, 1}},
                truth.emission());
    }

    @SuppressWarnings("unchecked")
    private void checkAgainstEnumeration(HiddenMarkovModel m, LabelledSequences d, int n, String method) throws Exception {
        HmmDecodeStageProvider p = new HmmDecodeStageProvider(HmmTrainerTest.CHAIN);
        FakeStageIO io = new FakeStageIO().with("hmm", m).with("sequences", d);
        FakeRunContext ctx = new FakeRunContext(dir.resolve(method + n), new TrainingRegime(1, 0, 1, 0));
        p.create(HmmStagesTest.config(p, Map.of("method", method, "nBest", (long) n))).run(io, ctx);
        SequenceBatch seqs = d.observations();

        Map<String, Object> f = (Map<String, Object>) Json.parse(Files.readString(ctx.runDir.resolve("nbest-stage.json")));
        assertEquals("hybridbench.hmm.nbest", f.get("format"));
        assertEquals(1.0, f.get("version"));
        assertEquals((double) n, f.get("n"));
        assertEquals(103.0, f.get("sequences"));
        assertEquals(100.0, f.get("listed"));
        assertEquals(List.of("0", "1", "2"), f.get("stateNames"));
        List<Object> lists = (List<Object>) f.get("lists");
        assertEquals(100, lists.size(), "only the first 100 sequences are listed");
        int fewer = 0;
        for (int s = 0; s < lists.size(); s++) {
            Map<String, Object> list = (Map<String, Object>) lists.get(s);
            List<Scored> all = enumerate(m, seqs, s);
            assertEquals((double) s, list.get("sequence"));
            assertEquals((double) seqs.length(s), list.get("length"));
            assertEquals(logSumExp(all), Json.toDouble(list.get("logLikelihood")), 1e-9 * Math.max(1, Math.abs(logSumExp(all))),
                    "sequence " + s);
            List<Object> paths = (List<Object>) list.get("paths");
            assertEquals(Math.min(n, all.size()), paths.size(), "sequence " + s + " has " + all.size() + " possible paths");
            fewer += all.size() < n ? 1 : 0;
            for (int r = 0; r < paths.size(); r++) {
                Map<String, Object> path = (Map<String, Object>) paths.get(r);
                int[] z = expand((List<Object>) path.get("segments"), seqs.length(s));
                String where = "sequence " + s + ", rank " + (r + 1);
                assertArrayEquals(all.get(r).states(), z, where + ": " + Arrays.toString(z));
                assertEquals(all.get(r).logScore(), Json.toDouble(path.get("logScore")), 1e-9 * Math.max(1, Math.abs(all.get(r).logScore())),
                        where);
            }
        }
        assertTrue(fewer > 0, "some sequences have fewer than n possible paths (length 0, or 1 under left-to-right)");

        if (method.equals("viterbi")) {
            Predictions pr = io.output("predictions", PortTypes.PREDICTIONS);
            for (int s = 0; s < seqs.size(); s++) { // all 103: the predictions do not depend on the artifact's cut
                int[] best = enumerate(m, seqs, s).get(0).states();
                assertArrayEquals(best, Arrays.copyOfRange(pr.predicted(), seqs.offset(s), seqs.offset(s) + seqs.length(s)),
                        "predictions of sequence " + s + " = the best path");
            }
        }
    }

    /** Segments [state, start, length] back to the state of every position; they must tile 0 … length−1 as maximal runs. */
    @SuppressWarnings("unchecked")
    private static int[] expand(List<Object> segments, int length) {
        int[] z = new int[length];
        int at = 0;
        int previous = -1;
        for (Object o : segments) {
            List<Object> seg = (List<Object>) o;
            int state = (int) Json.toDouble(seg.get(0));
            int start = (int) Json.toDouble(seg.get(1));
            int len = (int) Json.toDouble(seg.get(2));
            assertEquals(at, start, "segments are contiguous");
            assertTrue(len > 0, "segments are not empty");
            assertTrue(state != previous, "segments are maximal runs");
            Arrays.fill(z, start, start + len, state);
            at += len;
            previous = state;
        }
        assertEquals(length, at, "segments cover the sequence");
        return z;
    }

    @Test
    void nBestListsOfAnErgodicModelMatchEnumeration() throws Exception {
        HiddenMarkovModel m = HmmTrainerTest.truth();
        checkAgainstEnumeration(m, shortSequences(m, 41), 5, "viterbi");
    }

    @Test
    void nBestListsOfALeftToRightModelMatchEnumerationWithFewerPathsThanN() throws Exception {
        HiddenMarkovModel m = leftToRight();
        checkAgainstEnumeration(m, shortSequences(m, 42), 7, "posterior");
    }

    @Test
    void nBestOfOneWritesNoListsAndLongListsAreRefused() throws Exception {
        HiddenMarkovModel m = HmmTrainerTest.truth();
        LabelledSequences d = shortSequences(m, 43);
        HmmDecodeStageProvider p = new HmmDecodeStageProvider(HmmTrainerTest.CHAIN);
        FakeRunContext ctx = new FakeRunContext(dir.resolve("one"), new TrainingRegime(1, 0, 1, 0));
        p.create(HmmStagesTest.config(p, Map.of())).run(new FakeStageIO().with("hmm", m).with("sequences", d), ctx);
        assertTrue(Files.exists(ctx.runDir.resolve("decode-stage.txt")));
        assertFalse(Files.exists(ctx.runDir.resolve("nbest-stage.json")));

        // 2^25 back-pointers / (3 states × 100) = 111,848 positions at most
        LabelledSequences longOne = m.sample(new int[] {10, 111_849}, new SplittableRandom(2));
        FakeRunContext big = new FakeRunContext(dir.resolve("big"), new TrainingRegime(1, 0, 1, 0));
        StageException ex = assertThrows(StageException.class,
                () -> p.create(HmmStagesTest.config(p, Map.of("nBest", 100L))).run(
                        new FakeStageIO().with("hmm", m).with("sequences", longOne), big));
        assertEquals("model.hmm.decode: sampled: nBest = 100 for sequence 1 (111849 positions, 3 states) needs more than 33554432 "
                + "back-pointers (positions × states × n); lower nBest", ex.getMessage());
    }
}
