package org.hybridbench.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.hybridbench.api.PortType;
import org.hybridbench.api.PortTypes;
import org.hybridbench.api.ProgressMonitor;
import org.hybridbench.api.RunContext;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageIO;
import org.hybridbench.api.StageRole;
import org.hybridbench.api.StreamReader;
import org.hybridbench.api.StreamWriter;
import org.hybridbench.api.TrainingRegime;
import org.hybridbench.api.model.ChainInference;
import org.hybridbench.api.model.ChainNumerics;
import org.junit.jupiter.api.Test;

/** The stage type: descriptor, configuration and the component on its output port. */
class ChainInferenceStageTest {

    @Test
    void stageOutputsTheConfiguredInference() throws Exception {
        ChainInferenceStageProvider provider = new ChainInferenceStageProvider();
        assertEquals("inference.chain", provider.descriptor().type());
        assertEquals(StageRole.INFERENCE, provider.descriptor().role());
        assertEquals(List.of("scaled", "log", "verify"), provider.descriptor().configParam("numerics").orElseThrow().allowedValues());
        assertSame(PortTypes.CHAIN_INFERENCE, provider.descriptor().output("inference").orElseThrow().type());
        for (String n : List.of("scaled", "log", "verify")) {
            Map<String, Object> cfg = new HashMap<>();
            cfg.put("numerics", n);
            cfg.put("threads", 2L);
            Map<String, Object> out = new HashMap<>();
            List<String> log = new ArrayList<>();
            provider.create(new StageConfig("chain", cfg)).run(new StageIO() {
                @Override
                public <T> T input(String port, PortType<T> type) {
                    throw new IllegalArgumentException(port);
                }

                @Override
                public <T> Optional<T> optionalInput(String port, PortType<T> type) {
                    return Optional.empty();
                }

                @Override
                public <T> void output(String port, PortType<T> type, T value) {
                    out.put(port, value);
                }
            }, context(log));
            ChainInference inference = (ChainInference) out.get("inference");
            assertEquals(ChainNumerics.fromName(n), inference.numerics());
            assertEquals(2, ((ChainEngine) inference).threads());
            assertEquals(1, log.size());
        }
    }

    private static RunContext context(List<String> log) {
        return new RunContext() {
            @Override
            public String runId() {
                return "test";
            }

            @Override
            public String stageName() {
                return "chain";
            }

            @Override
            public Path runDirectory() {
                throw new UnsupportedOperationException();
            }

            @Override
            public Path dataCache() {
                throw new UnsupportedOperationException();
            }

            @Override
            public TrainingRegime regime() {
                throw new UnsupportedOperationException();
            }

            @Override
            public long stageSeed() {
                return 1;
            }

            @Override
            public void metrics(long step, Map<String, ? extends Number> values) {
            }

            @Override
            public void log(String message) {
                log.add(message);
            }

            @Override
            public ProgressMonitor progress(String task, long total, String unit) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void checkpoint(String name, StreamWriter writer) {
                throw new UnsupportedOperationException();
            }

            @Override
            public <T> Optional<T> restore(String name, StreamReader<T> reader) {
                return Optional.empty();
            }

            @Override
            public Path saveArtifact(String fileName, StreamWriter writer) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void checkCancelled() {
            }
        };
    }
}
