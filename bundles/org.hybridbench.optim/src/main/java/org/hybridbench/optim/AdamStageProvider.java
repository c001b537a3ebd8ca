package org.hybridbench.optim;

import org.hybridbench.api.ConfigParam;
import org.hybridbench.api.Stage;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageDescriptor;
import org.hybridbench.api.StageException;
import org.hybridbench.api.StageProvider;
import org.hybridbench.api.StageType;
import org.osgi.service.component.annotations.Component;

/** Stage type {@code optimizer.adam}: {@link Adam}. */
@Component(service = StageProvider.class)
@StageType(AdamStageProvider.TYPE)
public class AdamStageProvider implements StageProvider {
    static final String TYPE = "optimizer.adam";
    private static final StageDescriptor DESCRIPTOR = OptimizerStages.builder(TYPE,
            "Adam (Kingma & Ba 2015) with bias correction; weightDecay > 0 gives AdamW's decoupled decay x −= ηλx "
                    + "(Loshchilov & Hutter 2019). Per-block state by block name; clipping and learning-rate schedule as configured.",
            true, 0.001)
            .config(ConfigParam.number("beta1", 0.9, 0, 0.999999999, "Decay of the first moment, in [0, 1)."))
            .config(ConfigParam.number("beta2", 0.999, 0, 0.999999999, "Decay of the second moment, in [0, 1)."))
            .config(ConfigParam.number("epsilon", 1e-8, 1e-300, 1, "ε added to √v̂."))
            .config(ConfigParam.number("weightDecay", 0.0, 0, Double.MAX_VALUE, "Decoupled weight decay λ (0 = plain Adam)."))
            .build();

    @Override
    public StageDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Stage create(StageConfig config) throws StageException {
        return OptimizerStages.stage(TYPE, config, c -> new Adam(OptimizerStages.schedule(c), OptimizerStages.clipping(c),
                c.getDouble("beta1"), c.getDouble("beta2"), c.getDouble("epsilon"), c.getDouble("weightDecay")));
    }
}
