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
 * Stage type {@code encoder.conv}: hands a fresh, not yet built {@link ConvEncoderNetwork} to the trainer wired to it.
 * The geometry is checked here in plain Java; running the stage touches no ND4J class (the network is built by its
 * first forward pass, inside the trainer, which holds the DL4J readiness service), so, like encoder.mlp, this
 * component needs no reference to that service.
 */
@Component(service = StageProvider.class)
@StageType(ConvEncoderStageProvider.TYPE)
public class ConvEncoderStageProvider implements StageProvider {
    static final String TYPE = "encoder.conv";
    static final StageDescriptor DESCRIPTOR = StageDescriptor.builder(TYPE, StageRole.NETWORK)
            .description("A convolutional encoder on ND4J as a trainable network (port type network): rows of height x width x "
                    + "channels pixels (channel-first; for one channel the row-major image, as dataset.images gives), 2-D "
                    + "convolutions of the filters sizes (kernel, stride, zero padding; truncating) with the non-linearity, flatten, an "
                    + "optional dense hidden layer, then a linear layer of outputs values (e.g. mu and log sigma^2 of a VAE's "
                    + "latent: 2 x latent). Built by its first forward pass; parameters are SDK blocks updated by the trainer's "
                    + "optimizer; seeded by the run seed.")
            .config(ConfigParam.integer("height", 28L, 1, 100_000, "Image height in pixels."))
            .config(ConfigParam.integer("width", 28L, 1, 100_000, "Image width in pixels."))
            .config(ConfigParam.integer("channels", 1L, 1, 10_000, "Channels per pixel (1 = grey)."))
            .config(ConfigParam.string("filters", "32,64", "Feature maps of each convolution, comma-separated (at least one)."))
            .config(ConfigParam.integer("kernel", 4L, 1, 1_000, "Square kernel size of every convolution."))
            .config(ConfigParam.integer("stride", 2L, 1, 1_000, "Stride of every convolution."))
            .config(ConfigParam.integer("padding", 1L, 0, 1_000, "Zero padding on each side of every convolution."))
            .config(ConfigParam.choice("activation", "relu", List.of("relu", "leakyrelu", "tanh", "sigmoid"),
                    "Non-linearity of the convolutions and the hidden layer."))
            .config(ConfigParam.integer("hidden", 0L, 0, 1_000_000, "Units of a dense layer after the convolutions (0 = none)."))
            .config(ConfigParam.integer("outputs", 40L, 1, 1_000_000, "Size of the last, linear layer (a VAE: 2 x latent)."))
            .config(NetworkStages.PRECISION)
            .output(NetworkStages.NETWORK)
            .build();

    @Override
    public StageDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Stage create(StageConfig c) throws StageException {
        ConvEncoderNetwork.Architecture arch;
        try {
            arch = new ConvEncoderNetwork.Architecture(c.getInt("height"), c.getInt("width"), c.getInt("channels"),
                    ints(TYPE, c.getString("filters"), "filters"), c.getInt("kernel"), c.getInt("stride"), c.getInt("padding"),
                    c.getString("activation"), c.getInt("hidden"), c.getInt("outputs"), "double".equals(c.getString("precision")));
        } catch (IllegalArgumentException e) {
            throw new StageException(TYPE + ": " + e.getMessage(), e);
        }
        return (io, context) -> {
            io.output("network", PortTypes.NETWORK, new ConvEncoderNetwork(arch, context.stageSeed()));
            context.log(String.format(Locale.ROOT, "%s: %s (built by its first forward pass)", TYPE, arch));
        };
    }

    /** A comma-separated list of positive integers ("32,64"); empty gives none. */
    static int[] ints(String type, String text, String field) throws StageException {
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
                throw new StageException(type + ": " + field + " entry " + i + " '" + p + "' is not an integer (e.g. \"32,64\")");
            }
            if (out[i] < 1 || out[i] > 100_000) {
                throw new StageException(type + ": " + field + " entry " + i + " is " + out[i] + ", expected 1…100000");
            }
        }
        return out;
    }
}
