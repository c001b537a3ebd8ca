package org.hybridbench.phone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.hybridbench.api.PortTypes;
import org.hybridbench.api.StageException;
import org.hybridbench.api.TrainingRegime;
import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.data.SequenceBatch;
import org.hybridbench.api.model.LabelledSequences;
import org.hybridbench.api.model.Predictions;
import org.hybridbench.api.model.Transcriptions;
import org.hybridbench.emission.CovarianceType;
import org.hybridbench.emission.GaussianEmission;
import org.hybridbench.testing.FakeRunContext;
import org.hybridbench.testing.FakeStageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model 3 (scaled likelihoods): posteriors built by Bayes' rule from a known emission model whose states of one phone
 * share their density must decode exactly as decode.phone-loop does with that emission model; only the path score
 * differs, by Σ_t log p(x_t), which this test computes itself.
 */
class ScaledLoopTest {
    @TempDir
    Path dir;

    private static final int PHONES = EmbeddedTrainerTest.PHONES;
    private static final int STATES = EmbeddedTrainerTest.STATES;
    private static final double[] PRIORS = {0.5, 0.3, 0.2};

    /** Phone q's states all emit N(μ_q, variance I) (means on a circle of radius 2, so phones overlap and the LM matters). */
    private static PhoneModelSet tied(double variance) {
        GaussianEmission e = new GaussianEmission(PHONES * STATES, 2, CovarianceType.DIAGONAL, 1e-6);
        for (int q = 0; q < PHONES; q++) {
            double angle = 2 * Math.PI * q / PHONES;
            for (int s = 0; s < STATES; s++) {
                e.setMean(q * STATES + s, 0, new double[] {2 * Math.cos(angle), 2 * Math.sin(angle)});
                e.setCovariance(q * STATES + s, 0, new double[] {variance, 0, 0, variance});
            }
        }
        double[] a = {0.5, 0.8, 0.7, 0.6, 0.85, 0.55};
        LabelledSequences lmData = EmbeddedTrainerTest.sample(EmbeddedTrainerTest.truth(), 20, 9);
        return new PhoneModelSet(Tiny.names(PHONES), STATES, a, e, Transcripts.all(lmData));
    }

    /** log p(q | x_t) = log b_q(x_t) + log p(q) − log p(x_t), and Σ_t log p(x_t) in {@code evidence[0]}. */
    private static LabelledSequences posteriors(PhoneModelSet m, LabelledSequences data, double[] evidence) {
        SequenceBatch obs = data.observations();
        double[] out = new double[obs.totalLength() * PHONES];
        for (int u = 0; u < obs.size(); u++) {
            Matrix logB = Tiny.logB(m, obs.sequence(u));
            for (int t = 0; t < logB.rows(); t++) {
                double[] joint = new double[PHONES];
                double max = Double.NEGATIVE_INFINITY;
                for (int q = 0; q < PHONES; q++) {
                    joint[q] = logB.get(t, q * STATES) + Math.log(PRIORS[q]);
                    max = Math.max(max, joint[q]);
                }
                double sum = 0;
                for (double j : joint) {
                    sum += Math.exp(j - max);
                }
                double logEvidence = max + Math.log(sum);
                evidence[0] += logEvidence;
                for (int q = 0; q < PHONES; q++) {
                    out[(obs.offset(u) + t) * PHONES + q] = joint[q] - logEvidence;
                }
            }
        }
        int[] lengths = new int[obs.size()];
        for (int u = 0; u < lengths.length; u++) {
            lengths[u] = obs.length(u);
        }
        return new LabelledSequences("posteriors", new SequenceBatch(PHONES, lengths, out), data.states(), data.stateNames(), Map.of());
    }

    private record Run(Transcriptions transcriptions, Predictions predictions, double logScore) {
    }

    private Run emission(PhoneModelSet m, LabelledSequences data, Map<String, Object> config) throws Exception {
        PhoneLoopStageProvider p = new PhoneLoopStageProvider(Tiny.CHAIN);
        FakeStageIO io = new FakeStageIO().with("models", m).with("sequences", data);
        FakeRunContext context = new FakeRunContext(dir.resolve("emission" + System.nanoTime()), new TrainingRegime(1, 0, 1, 0));
        p.create(FixtureSpeechTest.config(p, config)).run(io, context);
        return new Run(io.output("transcriptions", PortTypes.TRANSCRIPTIONS), io.output("predictions", PortTypes.PREDICTIONS),
                context.series("logScore").get(0));
    }

    private Run scaled(PhoneModelSet m, LabelledSequences post, Matrix priors, Map<String, Object> config) throws Exception {
        ScaledLoopStageProvider p = new ScaledLoopStageProvider(Tiny.CHAIN);
        FakeStageIO io = new FakeStageIO().with("models", m).with("posteriors", post).with("priors", priors);
        FakeRunContext context = new FakeRunContext(dir.resolve("scaled" + System.nanoTime()), new TrainingRegime(1, 0, 1, 0));
        p.create(FixtureSpeechTest.config(p, config)).run(io, context);
        return new Run(io.output("transcriptions", PortTypes.TRANSCRIPTIONS), io.output("predictions", PortTypes.PREDICTIONS),
                context.series("logScore").get(0));
    }

    private static void assertSameDecoding(Run expected, Run actual) {
        assertEquals(expected.transcriptions().hypotheses().size(), actual.transcriptions().hypotheses().size());
        for (int u = 0; u < expected.transcriptions().hypotheses().size(); u++) {
            assertArrayEquals(expected.transcriptions().hypotheses().get(u), actual.transcriptions().hypotheses().get(u), "utterance " + u);
            assertArrayEquals(expected.transcriptions().references().get(u), actual.transcriptions().references().get(u), "utterance " + u);
        }
        assertArrayEquals(expected.predictions().predicted(), actual.predictions().predicted());
    }

    @Test
    void scaledPosteriorsOfAKnownEmissionDecodeExactlyAsThatEmission() throws Exception {
        PhoneModelSet m = tied(1.5);
        LabelledSequences data = EmbeddedTrainerTest.sample(m, 25, 3);
        double[] evidence = new double[1];
        LabelledSequences post = posteriors(m, data, evidence);
        Matrix priors = new Matrix(1, PHONES, PRIORS.clone());
        for (Map<String, Object> config : List.<Map<String, Object>>of(Map.of(), Map.of("lmScale", 3.0, "insertionPenalty", -2.0),
                Map.of("lmScale", 0.5, "insertionPenalty", 1.5, "lmSmoothing", 0.0))) {
            Run reference = emission(m, data, config);
            Run hybrid = scaled(m, post, priors, config);
            assertSameDecoding(reference, hybrid);
            // every path loses the same Σ_t log p(x_t)
            assertEquals(reference.logScore() - evidence[0], hybrid.logScore(), 1e-9 * Math.abs(reference.logScore()), config.toString());
            long errors = 0;
            for (int u = 0; u < reference.transcriptions().hypotheses().size(); u++) {
                errors += FixtureSpeechTest.editDistance(reference.transcriptions().references().get(u),
                        reference.transcriptions().hypotheses().get(u));
            }
            assertTrue(errors > 0, "the case must not be trivial (some errors to agree on): " + config);
        }
    }

    @Test
    void acousticScaleActsAsASharperDensity() throws Exception {
        // κ·log N(x; μ_q, v I) = log N(x; μ_q, (v/κ) I) + a constant shared by all phones when all share v, so κ-scaled
        // posteriors of the variance-v model decode as the emission of the variance-v/κ model
        double kappa = 0.4;
        PhoneModelSet m = tied(0.8);
        LabelledSequences data = EmbeddedTrainerTest.sample(m, 25, 5);
        LabelledSequences post = posteriors(m, data, new double[1]);
        Map<String, Object> config = Map.of("lmScale", 2.0, "insertionPenalty", -1.0);
        Run reference = emission(tied(0.8 / kappa), data, config);
        Map<String, Object> scaledConfig = new java.util.HashMap<>(config);
        scaledConfig.put("acousticScale", kappa);
        assertSameDecoding(reference, scaled(m, post, new Matrix(1, PHONES, PRIORS.clone()), scaledConfig));
    }

    @Test
    void badPriorsAndPosteriorsAreNamed() {
        PhoneModelSet m = tied(1);
        LabelledSequences data = EmbeddedTrainerTest.sample(m, 3, 5);
        LabelledSequences post = posteriors(m, data, new double[1]);
        StageException shape = assertThrows(StageException.class, () -> scaled(m, post, new Matrix(1, 2), Map.of()));
        assertTrue(shape.getMessage().contains("priors must be 1 x 3"), shape.getMessage());
        StageException negative = assertThrows(StageException.class,
                () -> scaled(m, post, new Matrix(1, 3, new double[] {0.5, -0.1, 0.6}), Map.of()));
        assertTrue(negative.getMessage().contains("prior of phone ph1 (column 1) is -0.1"), negative.getMessage());
        StageException columns = assertThrows(StageException.class,
                () -> scaled(m, data, new Matrix(1, 3, PRIORS.clone()), Map.of()));
        assertTrue(columns.getMessage().contains("have 2 columns, the models 3 phones"), columns.getMessage());
        double[] nan = post.observations().data().clone();
        nan[post.observations().offset(1) * PHONES + 3 * PHONES + 2] = Double.NaN;
        LabelledSequences bad = new LabelledSequences("posteriors", new SequenceBatch(PHONES, lengths(post), nan), post.states(),
                post.stateNames(), Map.of());
        StageException frame = assertThrows(StageException.class, () -> scaled(m, bad, new Matrix(1, 3, PRIORS.clone()), Map.of()));
        assertTrue(frame.getMessage().contains("posteriors: utterance 1: frame 3, phone ph2: log posterior NaN"), frame.getMessage());
    }

    private static int[] lengths(LabelledSequences s) {
        int[] l = new int[s.size()];
        for (int u = 0; u < l.length; u++) {
            l[u] = s.observations().length(u);
        }
        return l;
    }
}
