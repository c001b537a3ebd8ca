package org.hybridbench.metrics;

import java.util.ArrayList;
import java.util.List;

import org.hybridbench.api.Stage;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageDescriptor;
import org.hybridbench.api.StageProvider;
import org.hybridbench.api.StageType;
import org.osgi.service.component.annotations.Component;

/**
 * Stage type {@code metric.clustering}: purity, NMI and ARI of clusters against reference classes, to
 * {@code ctx.metrics} and the artifact {@code clustering.json} (values, cluster and class values, the
 * contingency table with rows = clusters, columns = classes).
 */
@Component(service = StageProvider.class)
@StageType("metric.clustering")
public class ClusteringStageProvider implements StageProvider {
    static final String TYPE = "metric.clustering";
    private static final StageDescriptor DESCRIPTOR = MetricStages.descriptor(TYPE,
            "Scores clusters against reference classes: purity, normalized mutual information (arithmetic mean), "
                    + "adjusted Rand index. Writes clustering.json with the contingency table.");

    @Override
    public StageDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Stage create(StageConfig config) {
        return MetricStages.stage(TYPE, "clustering.json", new ClusteringMetric()::evaluate, (w, p) -> {
            Contingency c = Contingency.of(p);
            w.write("\"clusters\":" + java.util.Arrays.toString(c.predictedValues).replace(" ", "") + ",\n\"classes\":");
            List<String> names = new ArrayList<>();
            for (int v : c.referenceValues) {
                names.add(AccuracyMetric.className(p.referenceClassNames(), v));
            }
            MetricStages.strings(w, names);
            w.write(",\n\"contingency\":");
            MetricStages.matrix(w, c.n);
        });
    }
}
