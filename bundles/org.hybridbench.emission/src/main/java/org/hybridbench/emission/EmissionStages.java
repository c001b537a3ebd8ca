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
 * What the emission stage types share: the {@code data} input (optional; used unless {@code init = random}), the
 * {@code model} output, the {@code states}/{@code init} fields, and the run logic: build the model, initialise
 * it (from each state's labelled positions, from all positions, or from the stage seed), log what it is, output it.
 */
final class EmissionStages {
    /** {@code init}: labels when the data has them, else data. */
    static final String AUTO = "auto";
    /** {@code init}: every state from its own labelled positions. */
    static final String LABELS = "labels";
    /** {@code init}: from all positions, labels ignored (k-means over everything for Gaussians). */
    static final String DATA = "data";
    /** {@code init}: from the stage seed only. */
    static final String RANDOM = "random";

    private EmissionStages() {
    }

    static StageDescriptor.Builder descriptor(String type, String description) {
        return StageDescriptor.builder(type, StageRole.EMISSION)
                .description(description)
                .config(ConfigParam.integer("states", 3L, 1, 100_000, "Number of hidden states K."))
                .config(ConfigParam.choice("init", AUTO, List.of(AUTO, LABELS, DATA, RANDOM),
                        "auto: 'labels' when the sequences on the 'data' input have state labels, else 'data'; labels: each state "
                                + "from its own labelled positions (needs state labels); data: from all positions, labels ignored; "
                                + "random: from the stage seed only."))
                .input(PortSpec.optional("data", PortTypes.SEQUENCES,
                        "Sequences to initialise from (required unless init = random); their dimension is used when 'dimension' is 0."))
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

    /** Initialises each state from its labelled rows; returns one line per state that had too few of them. */
    interface LabelInitializer {
        List<String> init(EmissionModel model, Matrix data, int[] labels, List<String> stateNames, RandomGenerator rng);
    }

    /** True when at least one position has a state label. */
    static boolean hasLabels(LabelledSequences s) {
        int[] states = s.states();
        if (states == null) {
            return false;
        }
        for (int v : states) {
            if (v != LabelledSequences.UNLABELLED) {
                return true;
            }
        }
        return false;
    }

    static Stage stage(String type, String init, int configuredDimension, Factory factory, Initializer fromDataInit,
            LabelInitializer fromLabelsInit, Initializer randomInit) {
        return (io, context) -> {
            Optional<LabelledSequences> data = io.optionalInput("data", PortTypes.SEQUENCES);
            if (!init.equals(RANDOM) && data.isEmpty()) {
                throw new StageException(type + ": init = " + init + " needs sequences on the 'data' input (or set init = random)");
            }
            String how = init;
            if (init.equals(AUTO)) {
                how = hasLabels(data.get()) ? LABELS : DATA;
            } else if (init.equals(LABELS) && !hasLabels(data.get())) {
                throw new StageException(type + ": init = labels needs state labels, and the sequences '" + data.get().name()
                        + "' have none (use init = data)");
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
            List<String> notes = List.of();
            try {
                switch (how) {
                    case LABELS -> notes = fromLabelsInit.init(model, all, data.get().states(), data.get().stateNames(), rng);
                    case DATA -> fromDataInit.init(model, all, rng);
                    default -> randomInit.init(model, null, rng);
                }
            } catch (IllegalArgumentException e) {
                throw new StageException(type + ": cannot initialise from '" + data.map(LabelledSequences::name).orElse("?") + "': "
                        + e.getMessage(), e);
            }
            String summary = switch (how) {
                case LABELS -> "initialised per state from " + labelled(data.get().states()) + " labelled of " + all.rows()
                        + " positions (init = " + init + ")";
                case DATA -> "initialised from " + all.rows() + " positions" + (data.isPresent() && hasLabels(data.get())
                        ? ", state labels ignored (init = data)" : "");
                default -> "random initialisation";
            };
            log(context, type, model, summary);
            for (String note : notes) {
                context.log(type + ": " + note);
            }
            io.output("model", PortTypes.EMISSION_MODEL, model);
        };
    }

    private static int labelled(int[] states) {
        int n = 0;
        for (int v : states) {
            if (v != LabelledSequences.UNLABELLED) {
                n++;
            }
        }
        return n;
    }

    private static void log(RunContext context, String type, EmissionModel m, String how) {
        context.log(type + ": " + m.numStates() + " states, dimension " + m.dimension() + ", " + m.freeParameters()
                + " free parameters, " + how);
    }
}
