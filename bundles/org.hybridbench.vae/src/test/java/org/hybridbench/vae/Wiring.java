package org.hybridbench.vae;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.hybridbench.acoustic.MlpStageProvider;
import org.hybridbench.api.ConfigParam;
import org.hybridbench.api.PortTypes;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageProvider;
import org.hybridbench.api.TrainingRegime;
import org.hybridbench.api.model.DifferentiableNetwork;
import org.hybridbench.api.model.Optimizer;
import org.hybridbench.optim.AdamStageProvider;
import org.hybridbench.testing.FakeRunContext;
import org.hybridbench.testing.FakeStageIO;

/** The real wired stages (encoder.mlp, optimizer.adam) through their providers, as a pipeline would wire them. */
final class Wiring {
    private Wiring() {
    }

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

    static DifferentiableNetwork mlp(Path dir, long seed, String hidden, String activation, int outputs, String precision) throws Exception {
        FakeStageIO io = new FakeStageIO();
        MlpStageProvider p = new MlpStageProvider();
        p.create(config(p, Map.of("hidden", hidden, "activation", activation, "outputs", (long) outputs, "precision", precision)))
                .run(io, new FakeRunContext(dir, new TrainingRegime(1, 1, seed, 0)));
        return io.output("network", PortTypes.NETWORK);
    }

    static Optimizer adam(Path dir, double rate) throws Exception {
        FakeStageIO io = new FakeStageIO();
        AdamStageProvider p = new AdamStageProvider();
        p.create(config(p, Map.of("learningRate", rate))).run(io, new FakeRunContext(dir, new TrainingRegime(1, 1, 1, 0)));
        return io.output("optimizer", PortTypes.OPTIMIZER);
    }
}
