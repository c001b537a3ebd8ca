package org.hybridbench.acoustic;

import java.util.List;
import java.util.Locale;

import org.hybridbench.api.ConfigParam;
import org.hybridbench.api.PortSpec;
import org.hybridbench.api.PortTypes;
import org.hybridbench.api.Stage;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageDescriptor;
import org.hybridbench.api.StageException;
import org.hybridbench.api.StageProvider;
import org.hybridbench.api.StageRole;
import org.hybridbench.api.StageType;
import org.osgi.service.component.annotations.Component;

/**
 * Stage type {@code encoder.mlp}: hands a fresh, not yet built {@link MlpNetwork} to the trainer wired to it. Running
 * the stage touches no ND4J class (the network is created when its sizes are known, inside the trainer, which holds
 * the DL4J readiness service), so this component needs no reference to it.
 */
@Component(service = StageProvider.class)
@StageType(MlpStageProvider.TYPE)
public class MlpStageProvider implements StageProvider {
    static final String TYPE = "encoder.mlp";
    static final StageDescriptor DESCRIPTOR = StageDescriptor.builder(TYPE, StageRole.NETWORK)
            .description("A multilayer perceptron on DL4J as a trainable network (port type network): dense layers of the "
                    + "hidden sizes with a non-linearity, then a linear layer of outputs scores (no softmax; the trainer's loss "
                    + "applies it). Its input width is set by the trainer from the data (e.g. spliced frames x features) and, with "
                    + "outputs = 0, its output width too (e.g. the number of phones); used by other callers it is built by its "
                    + "first forward pass. Parameters are SDK blocks updated by the trainer's optimizer; seeded by the run seed.")
            .config(ConfigParam.string("hidden", "512,512", "Hidden units per layer, comma-separated (empty = a linear model)."))
            .config(ConfigParam.choice("activation", "sigmoid", List.of("sigmoid", "tanh", "relu"),
                    "Non-linearity of the hidden layers."))
            .config(ConfigParam.integer("outputs", 0L, 0, 1_000_000,
                    "Size of the last, linear layer; 0 = decided by the trainer (e.g. the number of classes)."))
            .config(ConfigParam.choice("precision", "float", List.of("float", "double"),
                    "Network arithmetic: float (fast) or double (for gradient checks)."))
            .config(ConfigParam.number("dropout", 0.0, 0, 0.95, "Probability of dropping a hidden unit during training."))
            .output(PortSpec.output("network", PortTypes.NETWORK, "The network (DifferentiableNetwork), for a trainer."))
            .build();

    @Override
    public StageDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Stage create(StageConfig c) throws StageException {
        MlpNetwork.Architecture arch;
        try {
            arch = new MlpNetwork.Architecture(ints(c.getString("hidden"), "hidden"), c.getString("activation"), c.getInt("outputs"),
                    c.getDouble("dropout"), "double".equals(c.getString("precision")));
        } catch (IllegalArgumentException e) {
            throw new StageException(TYPE + ": " + e.getMessage(), e);
        }
        return (io, context) -> {
            io.output("network", PortTypes.NETWORK, new MlpNetwork(arch, context.stageSeed()));
            context.log(String.format(Locale.ROOT, "%s: %s (built by the trainer)", TYPE, arch));
        };
    }

    /** A comma-separated list of positive integers ("512,512"); empty gives none. */
    static int[] ints(String text, String field) throws StageException {
        String s = text.trim();
        if (s.isEmpty()) {
            return new int[0];
        }
        String[] parts = s.split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].trim();
            try {
                out[i] = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new StageException(TYPE + ": " + field + " entry " + i + " '" + p + "' is not an integer (e.g. \"512,512\")");
            }
            if (out[i] < 1 || out[i] > 100_000) {
                throw new StageException(TYPE + ": " + field + " entry " + i + " is " + out[i] + ", expected 1…100000");
            }
        }
        return out;
    }
}
