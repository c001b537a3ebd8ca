package org.hybridbench.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.hybridbench.api.PortTypes;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageRole;
import org.hybridbench.api.TrainingRegime;
import org.hybridbench.api.model.ChainInference;
import org.hybridbench.api.model.ChainNumerics;
import org.hybridbench.testing.FakeRunContext;
import org.hybridbench.testing.FakeStageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stage type: descriptor, configuration and the component on its output port. */
class ChainInferenceStageTest {

    @Test
    void stageOutputsTheConfiguredInference(@TempDir Path tmp) throws Exception {
        ChainInferenceStageProvider provider = new ChainInferenceStageProvider();
        assertEquals("inference.chain", provider.descriptor().type());
        assertEquals(StageRole.INFERENCE, provider.descriptor().role());
        assertEquals(List.of("scaled", "log", "verify"), provider.descriptor().configParam("numerics").orElseThrow().allowedValues());
        assertSame(PortTypes.CHAIN_INFERENCE, provider.descriptor().output("inference").orElseThrow().type());
        for (String n : List.of("scaled", "log", "verify")) {
            Map<String, Object> cfg = new HashMap<>();
            cfg.put("numerics", n);
            cfg.put("threads", 2L);
            FakeStageIO io = new FakeStageIO();
            FakeRunContext ctx = new FakeRunContext(tmp.resolve(n), new TrainingRegime(1, 0, 1, 0));
            provider.create(new StageConfig("chain", cfg)).run(io, ctx);
            ChainInference inference = io.output("inference", PortTypes.CHAIN_INFERENCE);
            assertEquals(ChainNumerics.fromName(n), inference.numerics());
            assertEquals(2, ((ChainEngine) inference).threads());
            assertEquals(1, ctx.logs.size(), ctx.logs::toString);
        }
    }
}
