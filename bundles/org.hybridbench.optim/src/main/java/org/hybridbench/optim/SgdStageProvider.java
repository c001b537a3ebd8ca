package org.hybridbench.optim;

import org.hybridbench.api.ConfigParam;
import org.hybridbench.api.Stage;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageDescriptor;
import org.hybridbench.api.StageException;
import org.hybridbench.api.StageProvider;
import org.hybridbench.api.StageType;
import org.osgi.service.component.annotations.Component;

/** Stage type {@code optimizer.sgd}: {@link Sgd}. */
@Component(service = StageProvider.class)
@StageType(SgdStageProvider.TYPE)
public class SgdStageProvider implements StageProvider {
    static final String TYPE = "optimizer.sgd";
    private static final StageDescriptor DESCRIPTOR = OptimizerStages.builder(TYPE,
            "Stochastic gradient descent: g += λx; v = μv + g; x −= η(g + μv) (Nesterov) or x −= ηv (μ = 0: x −= ηg). "
                    + "Per-block state by block name; clipping and learning-rate schedule as configured.", true, 0.01)
            .config(ConfigParam.number("momentum", 0.0, 0, 0.999999, "Heavy-ball momentum μ in [0, 1)."))
            .config(ConfigParam.bool("nesterov", false, "Nesterov's accelerated form (needs momentum > 0)."))
            .config(ConfigParam.number("weightDecay", 0.0, 0, Double.MAX_VALUE, "L2 penalty λ added to the gradient."))
            .build();

    @Override
    public StageDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Stage create(StageConfig config) throws StageException {
        return OptimizerStages.stage(TYPE, config, c -> new Sgd(OptimizerStages.schedule(c), OptimizerStages.clipping(c),
                c.getDouble("momentum"), c.getBoolean("nesterov"), c.getDouble("weightDecay")));
    }
}
