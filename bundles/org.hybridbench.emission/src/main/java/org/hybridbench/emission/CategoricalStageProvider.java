package org.hybridbench.emission;

import org.hybridbench.api.ConfigParam;
import org.hybridbench.api.Stage;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageDescriptor;
import org.hybridbench.api.StageException;
import org.hybridbench.api.StageProvider;
import org.hybridbench.api.StageType;
import org.osgi.service.component.annotations.Component;

/** Stage type {@code emission.categorical}: a distribution over V symbols per state ({@link CategoricalEmission}). */
@Component(service = StageProvider.class)
@StageType(CategoricalStageProvider.TYPE)
public class CategoricalStageProvider implements StageProvider {
    static final String TYPE = "emission.categorical";
    private static final StageDescriptor DESCRIPTOR = EmissionStages.descriptor(TYPE,
            "Categorical emissions over V symbols (one column of symbol indices 0..V-1); initialised from the data's "
                    + "symbol frequencies with random perturbation, or at random.")
            .config(ConfigParam.integer("symbols", null, 1, 10_000_000, "Number of symbols V."))
            .config(ConfigParam.number("pseudocount", 0.0, 0, 1e12,
                    "Added to every symbol count in the M-step (Dirichlet prior); 0 = maximum likelihood."))
            .build();

    @Override
    public StageDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Stage create(StageConfig c) {
        int k = c.getInt("states");
        int v = c.getInt("symbols");
        double pc = c.getDouble("pseudocount");
        return EmissionStages.stage(TYPE, c.getString("init"), 0, d -> {
            if (d != 1) {
                throw new StageException(TYPE + ": observations must have one column of symbol indices, found " + d);
            }
            return new CategoricalEmission(k, v, pc);
        }, (m, data, rng) -> ((CategoricalEmission) m).initialize(data, rng),
                (m, data, labels, names, rng) -> ((CategoricalEmission) m).initializeFromLabels(data, labels, names, rng),
                (m, data, rng) -> {
            CategoricalEmission e = (CategoricalEmission) m;
            for (int i = 0; i < k; i++) {
                double[] p = new double[v];
                for (int s = 0; s < v; s++) {
                    p[s] = 0.5 + rng.nextDouble();
                }
                double sum = java.util.Arrays.stream(p).sum();
                for (int s = 0; s < v; s++) {
                    p[s] /= sum;
                }
                e.setProbabilities(i, p);
            }
        });
    }
}
