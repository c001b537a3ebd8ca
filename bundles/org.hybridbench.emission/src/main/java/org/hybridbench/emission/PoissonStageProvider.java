package org.hybridbench.emission;

import org.hybridbench.api.ConfigParam;
import org.hybridbench.api.Stage;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageDescriptor;
import org.hybridbench.api.StageProvider;
import org.hybridbench.api.StageType;
import org.osgi.service.component.annotations.Component;

/** Stage type {@code emission.poisson}: independent Poisson counts per column ({@link PoissonEmission}). */
@Component(service = StageProvider.class)
@StageType(PoissonStageProvider.TYPE)
public class PoissonStageProvider implements StageProvider {
    static final String TYPE = "emission.poisson";
    private static final StageDescriptor DESCRIPTOR = EmissionStages.descriptor(TYPE,
            "Poisson emissions: independent counts per column with rate lambda_ij; initialised from count quantiles "
                    + "of the data (states ordered by rate), or at random.")
            .config(ConfigParam.integer("dimension", 0L, 0, 1_000_000, "Count columns d; 0 = the data's."))
            .config(ConfigParam.number("rateFloor", 1e-6, 1e-300, Double.MAX_VALUE, "Smallest rate the M-step may produce."))
            .build();

    @Override
    public StageDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Stage create(StageConfig c) {
        int k = c.getInt("states");
        double floor = c.getDouble("rateFloor");
        return EmissionStages.stage(TYPE, c.getString("init"), c.getInt("dimension"),
                d -> new PoissonEmission(k, d, floor),
                (m, data, rng) -> ((PoissonEmission) m).initialize(data, rng),
                (m, data, labels, names, rng) -> ((PoissonEmission) m).initializeFromLabels(data, labels, names),
                (m, data, rng) -> {
                    PoissonEmission p = (PoissonEmission) m;
                    for (int i = 0; i < k; i++) {
                        double[] r = new double[p.dimension()];
                        for (int j = 0; j < r.length; j++) {
                            r[j] = 0.5 + rng.nextDouble();
                        }
                        p.setRates(i, r);
                    }
                });
    }
}
