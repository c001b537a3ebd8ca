package org.hybridbench.crf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.hybridbench.api.ConfigParam;
import org.hybridbench.api.PortTypes;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageException;
import org.hybridbench.api.StageRole;
import org.hybridbench.api.TrainingRegime;
import org.hybridbench.api.model.ChainNumerics;
import org.hybridbench.api.model.StructuredLoss;
import org.hybridbench.chain.ChainEngine;
import org.hybridbench.testing.FakeRunContext;
import org.hybridbench.testing.FakeStageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrfStageTest {
    @TempDir
    Path dir;

    static StageConfig config(Map<String, Object> overrides) {
        Map<String, Object> v = new HashMap<>();
        for (ConfigParam c : CrfLossStageProvider.DESCRIPTOR.config()) {
            if (c.defaultValue() != null) {
                v.put(c.name(), c.defaultValue());
            }
        }
        v.putAll(overrides);
        return new StageConfig("crf", v);
    }

    @Test
    void outputsTheCrfAsAStructuredLoss() throws Exception {
        CrfLossStageProvider p = new CrfLossStageProvider(new ChainEngine(ChainNumerics.SCALED));
        assertEquals("loss.crf", p.descriptor().type());
        assertEquals(StageRole.LOSS, p.descriptor().role());
        assertEquals("structured-loss", p.descriptor().output("loss").orElseThrow().type().name());
        FakeStageIO io = new FakeStageIO();
        FakeRunContext ctx = new FakeRunContext(dir, new TrainingRegime(1, 0, 1, 0));
        p.create(config(Map.of("tags", 4L, "forbidden", "0>3, 2>1", "init-scale", 0.1))).run(io, ctx);
        StructuredLoss loss = io.output("loss", PortTypes.STRUCTURED_LOSS);
        LinearChainCrf crf = assertInstanceOf(LinearChainCrf.class, loss);
        assertEquals(4, crf.numTags());
        assertTrue(crf.isForbidden(0, 3));
        assertTrue(crf.isForbidden(2, 1));
        assertEquals(3, crf.parameters().size());
        assertEquals(ChainNumerics.LOG, crf.inference().numerics());
        assertTrue(crf.start(0) != 0, "initialised from the stage seed");
        assertTrue(ctx.logs.get(0).contains("4 tags, 2 forbidden"), ctx.logs.toString());
    }

    @Test
    void wiredInferenceWins() throws Exception {
        CrfLossStageProvider p = new CrfLossStageProvider(new ChainEngine(ChainNumerics.SCALED));
        ChainEngine wired = new ChainEngine(ChainNumerics.VERIFY);
        FakeStageIO io = new FakeStageIO().with("inference", wired);
        p.create(config(Map.of("tags", 2L, "numerics", "verify"))).run(io, new FakeRunContext(dir, new TrainingRegime(1, 0, 1, 0)));
        LinearChainCrf crf = (LinearChainCrf) io.output("loss", PortTypes.STRUCTURED_LOSS);
        assertEquals(wired, crf.inference());
        assertEquals(0, crf.start(0));
        assertTrue(io.outputs.containsKey("loss"));
        assertEquals(PortTypes.CHAIN_INFERENCE, p.descriptor().input("inference").orElseThrow().type());
    }

    @Test
    void badForbiddenTransitionsAreRefused() {
        CrfLossStageProvider p = new CrfLossStageProvider(new ChainEngine(ChainNumerics.SCALED));
        StageException e = assertThrows(StageException.class, () -> p.create(config(Map.of("tags", 3L, "forbidden", "0>3"))));
        assertTrue(e.getMessage().contains("'0>3' names a tag outside [0, 3)"), e.getMessage());
        e = assertThrows(StageException.class, () -> p.create(config(Map.of("tags", 3L, "forbidden", "0-1"))));
        assertTrue(e.getMessage().contains("not of the form from>to"), e.getMessage());
    }
}
