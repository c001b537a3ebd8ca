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
        assertTrue(ex.getMessage().contains("init = data needs sequences on the 'data' input"), ex.getMessage());
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
}
