package org.hybridbench.optim;

import org.hybridbench.api.ConfigParam;
import org.hybridbench.api.Stage;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageDescriptor;
import org.hybridbench.api.StageException;
import org.hybridbench.api.StageProvider;
import org.hybridbench.api.StageType;
import org.osgi.service.component.annotations.Component;

/** Stage type {@code optimizer.adagrad}: {@link AdaGrad}. */
@Component(service = StageProvider.class)
@StageType(AdaGradStageProvider.TYPE)
public class AdaGradStageProvider implements StageProvider {
    static final String TYPE = "optimizer.adagrad";
    private static final StageDescriptor DESCRIPTOR = OptimizerStages.builder(TYPE,
            "AdaGrad (Duchi et al. 2011): G += g²; x −= ηg/(√G + ε). Per-block state by block name; clipping and "
                    + "learning-rate schedule as configured.", true, 0.1)
            .config(ConfigParam.number("epsilon", 1e-10, 1e-300, 1, "ε added to √G."))
            .config(ConfigParam.number("initialAccumulator", 0.0, 0, Double.MAX_VALUE, "Starting value of G."))
            .build();

    @Override
    public StageDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Stage create(StageConfig config) throws StageException {
        return OptimizerStages.stage(TYPE, config, c -> new AdaGrad(OptimizerStages.schedule(c), OptimizerStages.clipping(c),
                c.getDouble("epsilon"), c.getDouble("initialAccumulator")));
    }
}
