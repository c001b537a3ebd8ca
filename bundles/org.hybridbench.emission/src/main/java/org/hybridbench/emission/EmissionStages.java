package org.hybridbench.emission;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import org.hybridbench.api.ConfigParam;
import org.hybridbench.api.PortSpec;
import org.hybridbench.api.PortTypes;
import org.hybridbench.api.RunContext;
import org.hybridbench.api.Stage;
import org.hybridbench.api.StageDescriptor;
import org.hybridbench.api.StageException;
import org.hybridbench.api.StageRole;
import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.EmissionModel;
import org.hybridbench.api.model.LabelledSequences;

/**
 * What the emission stage types share: the {@code data} input (optional; used when {@code init = data}), the
 * {@code model} output, the {@code states}/{@code init} fields, and the run logic: build the model, initialise
 * it (from the data, or from the stage seed), log what it is, output it.
 */
final class EmissionStages {
    private EmissionStages() {
    }

    static StageDescriptor.Builder descriptor(String type, String description) {
        return StageDescriptor.builder(type, StageRole.EMISSION)
                .description(description)
                .config(ConfigParam.integer("states", 3L, 1, 100_000, "Number of hidden states K."))
                .config(ConfigParam.choice("init", "data", List.of("data", "random"),
                        "data: initialise from the sequences on the 'data' input; random: from the stage seed only."))
                .input(PortSpec.optional("data", PortTypes.SEQUENCES,
                        "Sequences to initialise from (required when init = data); their dimension is used when 'dimension' is 0."))
                .output(PortSpec.output("model", PortTypes.EMISSION_MODEL, "The emission model, ready for an HMM trainer."));
    }

    /** Builds a model of the given dimension (the data's when {@code configured} is 0). */
    interface Factory {
        EmissionModel create(int dimension) throws StageException;
    }

    /** Initialises a model from data or at random. */
    interface Initializer {
        void init(EmissionModel model, Matrix data, RandomGenerator rng);
    }

    static Stage stage(String type, boolean fromData, int configuredDimension, Factory factory, Initializer fromDataInit,
            Initializer randomInit) {
        return (io, context) -> {
            Optional<LabelledSequences> data = io.optionalInput("data", PortTypes.SEQUENCES);
            if (fromData && data.isEmpty()) {
                throw new StageException(type + ": init = data needs sequences on the 'data' input (or set init = random)");
            }
            int dim = configuredDimension;
            Matrix all = null;
            if (data.isPresent()) {
                LabelledSequences s = data.get();
                all = new Matrix(s.observations().totalLength(), s.observations().dimension(), s.observations().data());
                if (dim == 0) {
                    dim = all.cols();
                } else if (dim != all.cols()) {
                    throw new StageException(type + ": configured dimension " + dim + " but the sequences '" + s.name() + "' have "
                            + all.cols() + " column(s)");
                }
            }
            if (dim == 0) {
                throw new StageException(type + ": set 'dimension' or wire sequences to the 'data' input");
            }
            EmissionModel model = factory.create(dim);
            RandomGenerator rng = new SplittableRandom(context.stageSeed());
            try {
                if (fromData) {
                    fromDataInit.init(model, all, rng);
                } else {
                    randomInit.init(model, null, rng);
                }
            } catch (IllegalArgumentException e) {
                throw new StageException(type + ": cannot initialise from '" + data.map(LabelledSequences::name).orElse("?") + "': "
                        + e.getMessage(), e);
            }
            log(context, type, model, fromData ? "initialised from " + all.rows() + " positions" : "random initialisation");
            io.output("model", PortTypes.EMISSION_MODEL, model);
        };
    }

    private static void log(RunContext context, String type, EmissionModel m, String how) {
        context.log(type + ": " + m.numStates() + " states, dimension " + m.dimension() + ", " + m.freeParameters()
                + " free parameters, " + how);
    }
}
