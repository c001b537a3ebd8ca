package org.hybridbench.optim;

import java.util.List;

import org.hybridbench.api.ConfigParam;
import org.hybridbench.api.PortSpec;
import org.hybridbench.api.PortTypes;
import org.hybridbench.api.Stage;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageDescriptor;
import org.hybridbench.api.StageException;
import org.hybridbench.api.StageRole;
import org.hybridbench.api.model.Optimizer;

/** The configuration fields and the stage body the optimizer stage types share. */
final class OptimizerStages {
    private OptimizerStages() {
    }

    /** A builder with the role, the output port and, for first-order methods, the schedule and clipping fields. */
    static StageDescriptor.Builder builder(String type, String description, boolean firstOrder, double defaultRate) {
        StageDescriptor.Builder b = StageDescriptor.builder(type, StageRole.OPTIMIZER).description(description);
        if (firstOrder) {
            b.config(ConfigParam.number("learningRate", defaultRate, 0, Double.MAX_VALUE, "Base learning rate η₀ (> 0)."))
                    .config(ConfigParam.choice("schedule", "constant", List.of("constant", "step", "exponential", "cosine"),
                            "Learning-rate decay after the warm-up, with s = t − warmupSteps − 1: constant η₀; step η₀·γ^⌊s/S⌋; "
                                    + "exponential η₀·γ^(s/S); cosine η_min + (η₀ − η_min)(1 + cos(π·min(s,S)/S))/2."))
                    .config(ConfigParam.integer("warmupSteps", 0L, 0, Integer.MAX_VALUE,
                            "Linear warm-up: η(t) = η₀·t/W for the first W updates (0 = none)."))
                    .config(ConfigParam.number("decayRate", 0.1, 0, 1, "γ of the step and exponential schedules, in (0, 1]."))
                    .config(ConfigParam.integer("decaySteps", 1000L, 1, Long.MAX_VALUE,
                            "S: updates per decay (step, exponential) or length of the cosine."))
                    .config(ConfigParam.number("minLearningRate", 0.0, 0, Double.MAX_VALUE, "η_min of the cosine schedule."))
                    .config(ConfigParam.number("clipNorm", 0.0, 0, Double.MAX_VALUE,
                            "Scale the gradient of all blocks together to this Euclidean norm when larger (0 = off)."))
                    .config(ConfigParam.number("clipValue", 0.0, 0, Double.MAX_VALUE,
                            "Clamp every gradient entry to [−clipValue, clipValue] before the norm rule (0 = off)."));
        }
        return b.output(PortSpec.output("optimizer", PortTypes.OPTIMIZER,
                "The optimizer, for a trainer: step() per mini-batch, minimize() for full-batch fits; state()/restore() for checkpoints."));
    }

    static Schedule schedule(StageConfig c) {
        return new Schedule(c.getDouble("learningRate"), Schedule.Kind.fromConfig(c.getString("schedule")), c.getLong("warmupSteps"),
                c.getDouble("decayRate"), c.getLong("decaySteps"), c.getDouble("minLearningRate"));
    }

    static Clipping clipping(StageConfig c) {
        return new Clipping(c.getDouble("clipNorm"), c.getDouble("clipValue"));
    }

    /** Builds the optimizer now (so bad combinations fail at creation) and outputs it when the stage runs. */
    static Stage stage(String type, StageConfig config, java.util.function.Function<StageConfig, Optimizer> factory) throws StageException {
        Optimizer optimizer;
        try {
            optimizer = factory.apply(config);
        } catch (IllegalArgumentException e) {
            throw new StageException("stage '" + config.stageName() + "' (" + type + "): " + e.getMessage(), e);
        }
        return (io, context) -> io.output("optimizer", PortTypes.OPTIMIZER, optimizer);
    }
}
