package org.hybridbench.convnet;

import java.util.List;
import java.util.Locale;

import org.hybridbench.api.ConfigParam;
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
 * Stage type {@code encoder.dense}: hands a fresh, not yet built {@link DenseNetwork} to the trainer wired to it (no
 * ND4J class is touched until the trainer's first forward pass, as for {@link ConvEncoderStageProvider}).
 */
@Component(service = StageProvider.class)
@StageType(DenseStageProvider.TYPE)
public class DenseStageProvider implements StageProvider {
    static final String TYPE = "encoder.dense";
    static final StageDescriptor DESCRIPTOR = StageDescriptor.builder(TYPE, StageRole.NETWORK)
            .description("A dense (fully connected) network on ND4J GEMMs as a trainable network (port type network), for "
                    + "encoders and decoders: rows of d values (d taken from the first input) -> hidden layers with the "
                    + "non-linearity -> a linear layer of outputs values. Like encoder.mlp without DL4J's layer machinery "
                    + "(no dropout; outputs fixed here, not by a trainer): the fast choice for a VAE (encoder 784-400-40, "
                    + "decoder 20-400-784), whose encoder's input gradient it also skips. Xavier-normal weights, zero "
                    + "biases; built by its first forward pass; seeded by the run seed.")
            .config(ConfigParam.string("hidden", "400", "Units of each hidden layer, comma-separated (empty: a linear map)."))
            .config(ConfigParam.choice("activation", "relu", List.of("relu", "leakyrelu", "tanh", "sigmoid"),
                    "Non-linearity of the hidden layers."))
            .config(ConfigParam.integer("outputs", 40L, 1, 1_000_000,
                    "Size of the last, linear layer (a VAE's encoder: 2 x latent; its decoder: the pixels)."))
            .config(NetworkStages.PRECISION)
            .output(NetworkStages.NETWORK)
            .build();

    @Override
    public StageDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Stage create(StageConfig c) throws StageException {
        DenseNetwork.Architecture arch;
        try {
            arch = new DenseNetwork.Architecture(ConvEncoderStageProvider.ints(TYPE, c.getString("hidden"), "hidden"),
                    c.getString("activation"), c.getInt("outputs"), "double".equals(c.getString("precision")));
        } catch (IllegalArgumentException e) {
            throw new StageException(TYPE + ": " + e.getMessage(), e);
        }
        return (io, context) -> {
            io.output("network", PortTypes.NETWORK, new DenseNetwork(arch, context.stageSeed()));
            context.log(String.format(Locale.ROOT, "%s: %s (built by its first forward pass)", TYPE, arch));
        };
    }
}
