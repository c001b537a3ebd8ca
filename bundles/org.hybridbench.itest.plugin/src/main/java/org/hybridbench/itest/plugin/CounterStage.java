package org.hybridbench.itest.plugin;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.Map;

import org.hybridbench.api.ConfigParam;
import org.hybridbench.api.Stage;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageDescriptor;
import org.hybridbench.api.StageProvider;
import org.hybridbench.api.StageRole;
import org.hybridbench.api.StageType;
import org.osgi.service.component.annotations.Component;

/**
 * {@code test.counter}: counts epochs, logs the count as a metric, checkpoints every
 * {@code checkpointEvery} epochs and resumes from its checkpoint; {@code haltAt} makes it halt the JVM
 * (like kill -9) at that epoch so resume can be tested for real.
 */
@Component(service = StageProvider.class)
@StageType("test.counter")
public final class CounterStage implements StageProvider {
    private static final StageDescriptor DESCRIPTOR = StageDescriptor.builder("test.counter", StageRole.TRAINER)
            .description("Counts epochs with checkpoints.")
            .config(ConfigParam.integer("haltAt", 0L, 0, Integer.MAX_VALUE, "halt the JVM at this epoch (0 = never)"))
            .config(ConfigParam.number("sleepSeconds", 0.0, 0, 60, "pause per epoch")).build();

    @Override
    public StageDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Stage create(StageConfig config) {
        long haltAt = config.getLong("haltAt");
        double sleep = config.getDouble("sleepSeconds");
        return (io, ctx) -> {
            int epochs = ctx.regime().epochs();
            int every = ctx.regime().checkpointEvery();
            int start = ctx.restore("count", in -> new DataInputStream(in).readInt()).orElse(0);
            ctx.metrics(start, Map.of("resumedFrom", start));
            for (int e = start + 1; e <= epochs; e++) {
                ctx.checkCancelled();
                if (e == haltAt) {
                    Runtime.getRuntime().halt(137); // as abrupt as kill -9: no shutdown hooks, no flushing
                }
                if (sleep > 0) {
                    Thread.sleep((long) (sleep * 1000));
                }
                ctx.metrics(e, Map.of("count", e));
                if (every > 0 && e % every == 0) {
                    final int done = e;
                    ctx.checkpoint("count", out -> new DataOutputStream(out).writeInt(done));
                }
            }
        };
    }
}
