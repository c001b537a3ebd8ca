package org.hybridbench.optim;

import org.hybridbench.api.ConfigParam;
import org.hybridbench.api.Stage;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageDescriptor;
import org.hybridbench.api.StageException;
import org.hybridbench.api.StageProvider;
import org.hybridbench.api.StageType;
import org.osgi.service.component.annotations.Component;

/** Stage type {@code optimizer.lbfgs}: {@link Lbfgs}. */
@Component(service = StageProvider.class)
@StageType(LbfgsStageProvider.TYPE)
public class LbfgsStageProvider implements StageProvider {
    static final String TYPE = "optimizer.lbfgs";
    private static final StageDescriptor DESCRIPTOR = OptimizerStages.builder(TYPE,
            "L-BFGS for full-batch fits (Nocedal & Wright Alg. 7.4/7.5, strong-Wolfe line search Alg. 3.5/3.6): for trainers "
                    + "that call minimize(objective); step() is not supported.", false, 0)
            .config(ConfigParam.integer("history", 10L, 1, 1000, "Number m of curvature pairs (s, y) kept."))
            .config(ConfigParam.number("c1", 1e-4, 1e-12, 0.5, "Sufficient-decrease constant of the line search."))
            .config(ConfigParam.number("c2", 0.9, 1e-6, 0.999999, "Curvature constant of the line search (c1 < c2 < 1)."))
            .config(ConfigParam.integer("maxLineSearch", 40L, 1, 1000, "Most objective evaluations per line search."))
            .build();

    @Override
    public StageDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Stage create(StageConfig config) throws StageException {
        return OptimizerStages.stage(TYPE, config, c -> new Lbfgs(c.getInt("history"), c.getDouble("c1"), c.getDouble("c2"),
                c.getInt("maxLineSearch")));
    }
}
