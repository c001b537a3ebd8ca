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
 * Stage type {@code decoder.deconv}: hands a fresh, not yet built {@link DeconvDecoderNetwork} to the trainer wired to
 * it. As for {@link ConvEncoderStageProvider}, the geometry is checked here in plain Java and no ND4J class is touched
 * until the trainer's first forward pass.
 */
@Component(service = StageProvider.class)
@StageType(DeconvDecoderStageProvider.TYPE)
public class DeconvDecoderStageProvider implements StageProvider {
    static final String TYPE = "decoder.deconv";
    static final StageDescriptor DESCRIPTOR = StageDescriptor.builder(TYPE, StageRole.NETWORK)
            .description("A transposed-convolution decoder on ND4J as a trainable network (port type network): rows of d values "
                    + "(e.g. a VAE's latent z; d is taken from the first input) -> optional dense hidden layer -> dense layer "
                    + "reshaped to a map of filters[0] channels whose size is worked back from height and width -> one transposed "
                    + "convolution per filters entry (to the next entry's channels, the last to channels; kernel, stride, padding: "
                    + "out = stride(in - 1) + kernel - 2 padding) with the non-linearity, the last one linear -> height x width x "
                    + "channels values per row, channel-first (e.g. Bernoulli logits of the pixels: no output non-linearity). "
                    + "Defaults: 64 x 7 x 7 -> 32 x 14 x 14 -> 1 x 28 x 28. Built by its first forward pass; seeded by the run seed.")
            .config(ConfigParam.integer("height", 28L, 1, 100_000, "Output image height in pixels."))
            .config(ConfigParam.integer("width", 28L, 1, 100_000, "Output image width in pixels."))
            .config(ConfigParam.integer("channels", 1L, 1, 10_000, "Output channels per pixel (1 = grey)."))
            .config(ConfigParam.string("filters", "64,32",
                    "Channels of the first map, then of each transposed convolution's output but the last, comma-separated (one "
                            + "transposed convolution per entry)."))
            .config(ConfigParam.integer("kernel", 4L, 1, 1_000, "Square kernel size of every transposed convolution."))
            .config(ConfigParam.integer("stride", 2L, 1, 1_000, "Stride (upsampling factor) of every transposed convolution."))
            .config(ConfigParam.integer("padding", 1L, 0, 1_000, "Padding cropped from each side of every transposed convolution."))
            .config(ConfigParam.choice("activation", "relu", List.of("relu", "leakyrelu", "tanh", "sigmoid"),
                    "Non-linearity of the dense layers and all transposed convolutions but the last."))
            .config(ConfigParam.integer("hidden", 0L, 0, 1_000_000, "Units of a dense layer before the one that makes the map (0 = none)."))
            .config(NetworkStages.PRECISION)
            .output(NetworkStages.NETWORK)
            .build();

    @Override
    public StageDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Stage create(StageConfig c) throws StageException {
        DeconvDecoderNetwork.Architecture arch;
        try {
            arch = new DeconvDecoderNetwork.Architecture(c.getInt("height"), c.getInt("width"), c.getInt("channels"),
                    ConvEncoderStageProvider.ints(TYPE, c.getString("filters"), "filters"), c.getInt("kernel"), c.getInt("stride"),
                    c.getInt("padding"), c.getString("activation"), c.getInt("hidden"), "double".equals(c.getString("precision")));
        } catch (IllegalArgumentException e) {
            throw new StageException(TYPE + ": " + e.getMessage(), e);
        }
        return (io, context) -> {
            io.output("network", PortTypes.NETWORK, new DeconvDecoderNetwork(arch, context.stageSeed()));
            context.log(String.format(Locale.ROOT, "%s: %s (built by its first forward pass)", TYPE, arch));
        };
    }
}
