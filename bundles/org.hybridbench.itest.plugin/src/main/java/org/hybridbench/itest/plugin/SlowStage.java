package org.hybridbench.itest.plugin;

import java.nio.file.Files;

import org.hybridbench.api.ConfigParam;
import org.hybridbench.api.ProgressMonitor;
import org.hybridbench.api.Stage;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageDescriptor;
import org.hybridbench.api.StageProvider;
import org.hybridbench.api.StageRole;
import org.hybridbench.api.StageType;
import org.osgi.service.component.annotations.Component;

/**
 * {@code test.slow}: works in small steps, checking for cancellation between them, until {@code seconds} pass;
 * writes {@code started} into the run directory so a test knows it is running.
 */
@Component(service = StageProvider.class)
@StageType("test.slow")
public final class SlowStage implements StageProvider {
    private static final StageDescriptor DESCRIPTOR = StageDescriptor.builder("test.slow", StageRole.TRAINER)
            .description("Runs for a while, checking for cancellation.")
            .config(ConfigParam.number("seconds", 30.0, 0, 3600, "how long to run")).build();

    @Override
    public StageDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Stage create(StageConfig config) {
        double seconds = config.getDouble("seconds");
        return (io, ctx) -> {
            Files.writeString(ctx.runDirectory().resolve("started"), "yes");
            long end = System.nanoTime() + (long) (seconds * 1e9);
            long steps = (long) (seconds * 100);
            try (ProgressMonitor p = ctx.progress("sleeping", steps, "steps")) {
                while (System.nanoTime() < end) {
                    ctx.checkCancelled();
                    Thread.sleep(10);
                    p.advance(1);
                }
            }
        };
    }

}
