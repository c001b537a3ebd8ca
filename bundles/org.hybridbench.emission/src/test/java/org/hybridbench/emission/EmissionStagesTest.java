package org.hybridbench.emission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.hybridbench.api.ConfigParam;
import org.hybridbench.api.PortTypes;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageException;
import org.hybridbench.api.StageProvider;
import org.hybridbench.api.TrainingRegime;
import org.hybridbench.api.data.SequenceBatch;
import org.hybridbench.api.model.EmissionModel;
import org.hybridbench.api.model.LabelledSequences;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.hybridbench.testing.FakeRunContext;
import org.hybridbench.testing.FakeStageIO;

class EmissionStagesTest {
    @TempDir
    Path dir;

    private static StageConfig config(StageProvider p, Map<String, Object> overrides) {
        Map<String, Object> v = new HashMap<>();
        for (ConfigParam c : p.descriptor().config()) {
            if (c.defaultValue() != null) {
                v.put(c.name(), c.defaultValue());
            }
        }
        v.putAll(overrides);
        return new StageConfig("e", v);
    }

    private static LabelledSequences data(int d, double[] values) {
        return new LabelledSequences("toy", new SequenceBatch(d, new int[] {values.length / d}, values), null, List.of(), Map.of());
    }

    @Test
    void everyTypeBuildsItsModelFromData() throws Exception {
        Object[][] cases = {
            {new GaussianStageProvider(), Map.of("covariance", "full"), GaussianEmission.class, 2},
            {new GaussianMixtureStageProvider(), Map.of("components", 2L), GaussianMixtureEmission.class, 2},
            {new CategoricalStageProvider(), Map.of("symbols", 5L), CategoricalEmission.class, 1},
            {new PoissonStageProvider(), Map.of(), PoissonEmission.class, 2},
        };
        for (Object[] c : cases) {
            StageProvider p = (StageProvider) c[0];
            @SuppressWarnings("unchecked")
            Map<String, Object> o = (Map<String, Object>) c[1];
            int d = (Integer) c[3];
            double[] values = new double[12 * d];
            for (int q = 0; q < values.length; q++) {
                values[q] = q % 5;
            }
            FakeStageIO io = new FakeStageIO().with("data", data(d, values));
            FakeRunContext ctx = new FakeRunContext(dir, new TrainingRegime(1, 0, 1, 0));
            p.create(config(p, o)).run(io, ctx);
            EmissionModel m = io.output("model", PortTypes.EMISSION_MODEL);
            assertInstanceOf((Class<?>) c[2], m);
            assertEquals(3, m.numStates());
            assertEquals(d, m.dimension());
            assertTrue(ctx.logs.get(0).contains("initialised from 12 positions"), ctx.logs.toString());
        }
    }

    @Test
    void initFromDataWithoutDataIsAClearError() {
        StageProvider p = new GaussianStageProvider();
        StageException ex = assertThrows(StageException.class,
                () -> p.create(config(p, Map.of())).run(new FakeStageIO(), new FakeRunContext(dir, new TrainingRegime(1, 0, 1, 0))));
        assertTrue(ex.getMessage().contains("init = auto needs sequences on the 'data' input (or set init = random)"), ex.getMessage());
    }

    @Test
    void randomInitNeedsOnlyADimension() throws Exception {
        StageProvider p = new PoissonStageProvider();
        FakeStageIO io = new FakeStageIO();
        p.create(config(p, Map.of("init", "random", "dimension", 4L))).run(io, new FakeRunContext(dir, new TrainingRegime(1, 0, 1, 0)));
        assertEquals(4, io.output("model", PortTypes.EMISSION_MODEL).dimension());
    }

    @Test
    void badDataIsReportedWithThePosition() {
        StageProvider p = new CategoricalStageProvider();
        FakeStageIO io = new FakeStageIO().with("data", data(1, new double[] {0, 1, 7}));
        StageException ex = assertThrows(StageException.class,
                () -> p.create(config(p, Map.of("symbols", 3L))).run(io, new FakeRunContext(dir, new TrainingRegime(1, 0, 1, 0))));
        assertTrue(ex.getMessage().contains("position 2, column 0 is 7.0"), ex.getMessage());
    }

    private static LabelledSequences labelled(int d, double[] values, int[] states, List<String> names) {
        return new LabelledSequences("toy", new SequenceBatch(d, new int[] {values.length / d}, values), states, names, Map.of());
    }

    /** State 0 lives at +5, state 1 at −5 (pooled k-means sorted by x would give them the other way round), state 2 has no rows. */
    @Test
    void labelledDataInitialisesEachStateFromItsOwnPositionsByDefault() throws Exception {
        int n = 40;
        double[] y = new double[n];
        int[] z = new int[n];
        for (int t = 0; t < n; t++) {
            z[t] = t % 2;
            y[t] = (z[t] == 0 ? 5 : -5) + 0.1 * (t % 7);
        }
        StageProvider p = new GaussianMixtureStageProvider();
        FakeStageIO io = new FakeStageIO().with("data", labelled(1, y, z, List.of("a", "b", "c")));
        FakeRunContext ctx = new FakeRunContext(dir, new TrainingRegime(1, 0, 1, 0));
        p.create(config(p, Map.of("components", 2L))).run(io, ctx);
        GaussianMixtureEmission m = (GaussianMixtureEmission) io.output("model", PortTypes.EMISSION_MODEL);
        assertTrue(ctx.logs.get(0).contains("initialised per state from 40 labelled of 40 positions (init = auto)"), ctx.logs.toString());
        assertTrue(ctx.logs.get(1).startsWith("emission.gmm: state 2 (c): no labelled positions"), ctx.logs.toString());
        for (int j = 0; j < 2; j++) {
            assertTrue(m.mean(0, j)[0] > 4.9 && m.mean(1, j)[0] < -4.3, "state 0 at +5, state 1 at -5");
        }

        FakeStageIO blindIo = new FakeStageIO().with("data", labelled(1, y, z, List.of("a", "b", "c")));
        FakeRunContext blindCtx = new FakeRunContext(dir, new TrainingRegime(1, 0, 1, 0));
        p.create(config(p, Map.of("components", 2L, "init", "data"))).run(blindIo, blindCtx);
        GaussianMixtureEmission blind = (GaussianMixtureEmission) blindIo.output("model", PortTypes.EMISSION_MODEL);
        assertTrue(blindCtx.logs.get(0).contains("initialised from 40 positions, state labels ignored (init = data)"), blindCtx.logs.toString());
        assertTrue(blind.mean(0, 0)[0] < 0, "label-blind k-means sorts centres by x, so state 0 starts among state 1's rows");
    }

    @Test
    void initLabelsWithoutLabelsIsAClearError() {
        StageProvider p = new GaussianStageProvider();
        FakeStageIO io = new FakeStageIO().with("data", data(1, new double[] {0, 1, 2}));
        StageException ex = assertThrows(StageException.class, () -> p.create(config(p, Map.of("init", "labels")))
                .run(io, new FakeRunContext(dir, new TrainingRegime(1, 0, 1, 0))));
        assertTrue(ex.getMessage().contains("init = labels needs state labels, and the sequences 'toy' have none (use init = data)"),
                ex.getMessage());
    }

    @Test
    void categoricalAndPoissonStatesStartFromTheirOwnLabelledCounts() throws Exception {
        double[] y = {0, 2, 0, 2, 0, 1};
        int[] z = {0, 1, 0, 1, 0, LabelledSequences.UNLABELLED};
        StageProvider cp = new CategoricalStageProvider();
        FakeStageIO cio = new FakeStageIO().with("data", labelled(1, y, z, List.of("x", "y")));
        cp.create(config(cp, Map.of("symbols", 3L, "states", 2L, "pseudocount", 1.0))).run(cio, new FakeRunContext(dir, new TrainingRegime(1, 0, 1, 0)));
        CategoricalEmission c = (CategoricalEmission) cio.output("model", PortTypes.EMISSION_MODEL);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {4.0 / 6, 1.0 / 6, 1.0 / 6}, c.probabilities(0), 1e-12);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {1.0 / 5, 1.0 / 5, 3.0 / 5}, c.probabilities(1), 1e-12);

        StageProvider pp = new PoissonStageProvider();
        FakeStageIO pio = new FakeStageIO().with("data", labelled(1, y, z, List.of("x", "y")));
        pp.create(config(pp, Map.of("states", 2L))).run(pio, new FakeRunContext(dir, new TrainingRegime(1, 0, 1, 0)));
        PoissonEmission po = (PoissonEmission) pio.output("model", PortTypes.EMISSION_MODEL);
        assertEquals(1e-6, po.rates(0)[0], 1e-18, "state 0 saw only zeros: the rate floor");
        assertEquals(2, po.rates(1)[0], 1e-12);
    }
}
