package org.hybridbench.crf;

import org.hybridbench.api.ConfigParam;
import org.hybridbench.api.PortSpec;
import org.hybridbench.api.PortTypes;
import org.hybridbench.api.Stage;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageDescriptor;
import org.hybridbench.api.StageProvider;
import org.hybridbench.api.StageRole;
import org.hybridbench.api.StageType;
import org.osgi.service.component.annotations.Component;

/**
 * Stage type {@code loss.softmax}: the word-level log-likelihood (per-position softmax) as a structured loss, the
 * baseline a CRF ({@code loss.crf}) is compared against with the same encoder.
 */
@Component(service = StageProvider.class)
@StageType(SoftmaxLossStageProvider.TYPE)
public class SoftmaxLossStageProvider implements StageProvider {
    static final String TYPE = "loss.softmax";
    static final StageDescriptor DESCRIPTOR = StageDescriptor.builder(TYPE, StageRole.LOSS)
            .description("Word-level log-likelihood (Collobert et al. 2011): each position classified on its own, loss "
                    + "−log softmax(scores)[target] with gradient softmax − onehot(target); no parameters of its own, no "
                    + "transitions; decoding is the per-position argmax. The baseline for loss.crf.")
            .config(ConfigParam.integer("tags", null, 1, 100_000, "Number of tags K (columns of the encoder's scores)."))
            .output(PortSpec.output("loss", PortTypes.STRUCTURED_LOSS,
                    "The softmax loss as a StructuredLoss (port type structured-loss); it has no parameter blocks."))
            .build();

    @Override
    public StageDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Stage create(StageConfig config) {
        int tags = config.getInt("tags");
        return (io, context) -> {
            io.output("loss", PortTypes.STRUCTURED_LOSS, new SoftmaxLoss(tags));
            context.log(TYPE + ": " + tags + " tags");
        };
    }
}
