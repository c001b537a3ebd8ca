package org.hybridbench.optim;

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
import org.hybridbench.api.StageRole;
import org.hybridbench.api.TrainingRegime;
import org.hybridbench.api.model.Optimizer;
import org.hybridbench.testing.FakeRunContext;
import org.hybridbench.testing.FakeStageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The four stage types: descriptors, defaults, the optimizer on the output port, bad configuration. */
class OptimizerStagesTest {
    @TempDir
    Path tmp;

    static Map<String, Object> defaults(StageProvider p) {
        Map<String, Object> c = new HashMap<>();
        for (ConfigParam param : p.descriptor().config()) {
            c.put(param.name(), param.defaultValue());
        }
        return c;
    }

    Optimizer run(StageProvider p, Map<String, Object> config) throws Exception {
        FakeStageIO io = new FakeStageIO();
        p.create(new StageConfig("opt", config)).run(io, new FakeRunContext(tmp, new TrainingRegime(1, 0, 1, 0)));
        return io.output("optimizer", PortTypes.OPTIMIZER);
    }

    @Test
    void everyTypeOutputsItsOptimizerWithDefaults() throws Exception {
        Map<StageProvider, Class<?>> types = Map.of(new SgdStageProvider(), Sgd.class, new AdaGradStageProvider(), AdaGrad.class,
                new AdamStageProvider(), Adam.class, new LbfgsStageProvider(), Lbfgs.class);
        for (Map.Entry<StageProvider, Class<?>> e : types.entrySet()) {
            StageProvider p = e.getKey();
            assertEquals(StageRole.OPTIMIZER, p.descriptor().role());
            assertTrue(p.descriptor().type().startsWith("optimizer."));
            assertEquals(List.of(), p.descriptor().inputs());
            assertEquals(PortTypes.OPTIMIZER, p.descriptor().output("optimizer").orElseThrow().type());
            for (ConfigParam param : p.descriptor().config()) {
                assertTrue(param.defaultValue() != null, p.descriptor().type() + "." + param.name() + " has a default");
            }
            assertInstanceOf(e.getValue(), run(p, defaults(p)));
        }
    }

    @Test
    void configurationReachesTheOptimizer() throws Exception {
        Map<String, Object> c = defaults(new AdamStageProvider());
        c.put("learningRate", 0.5);
        c.put("schedule", "step");
        c.put("decaySteps", 2L);
        c.put("decayRate", 0.5);
        c.put("clipNorm", 3.0);
        Adam adam = (Adam) run(new AdamStageProvider(), c);
        assertEquals(Schedule.Kind.STEP, adam.schedule().kind());
        assertEquals(0.25, adam.schedule().rate(3), 0);
        assertEquals(3.0, adam.clipping().norm(), 0);
    }

    @Test
    void unusableCombinationsAreStageExceptionsNamingTheStage() {
        Map<String, Object> c = defaults(new SgdStageProvider());
        c.put("nesterov", true);
        StageException ex = assertThrows(StageException.class, () -> new SgdStageProvider().create(new StageConfig("opt", c)));
        assertEquals("stage 'opt' (optimizer.sgd): nesterov needs momentum > 0", ex.getMessage());
        Map<String, Object> a = defaults(new AdamStageProvider());
        a.put("learningRate", -0.1);
        ex = assertThrows(StageException.class, () -> new AdamStageProvider().create(new StageConfig("opt", a)));
        assertEquals("stage 'opt' (optimizer.adam): learningRate must be a finite number > 0, got -0.1", ex.getMessage());
        Map<String, Object> l = defaults(new LbfgsStageProvider());
        l.put("c1", 0.5);
        l.put("c2", 0.4);
        ex = assertThrows(StageException.class, () -> new LbfgsStageProvider().create(new StageConfig("opt", l)));
        assertTrue(ex.getMessage().contains("0 < c1 < c2 < 1"), ex.getMessage());
    }
}
