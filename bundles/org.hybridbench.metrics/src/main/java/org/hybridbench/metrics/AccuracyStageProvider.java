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
 * Stage type {@code metric.accuracy}: accuracy, per-class precision/recall/F1 and their macro means, to
 * {@code ctx.metrics} and the artifact {@code accuracy.json} (values, class names, the confusion matrix with
 * rows = reference class, columns = predicted class).
 */
@Component(service = StageProvider.class)
@StageType("metric.accuracy")
public class AccuracyStageProvider implements StageProvider {
    static final String TYPE = "metric.accuracy";
    private static final StageDescriptor DESCRIPTOR = MetricStages.descriptor(TYPE,
            "Scores a classifier: accuracy, per-class precision, recall and F1, macro averages, confusion matrix "
                    + "(accuracy.json).");

    @Override
    public StageDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Stage create(StageConfig config) {
        return MetricStages.stage(TYPE, "accuracy.json", new AccuracyMetric()::evaluate, (w, p) -> {
            long[][] confusion = AccuracyMetric.confusion(p);
            List<String> names = new ArrayList<>();
            for (int c = 0; c < confusion.length; c++) {
                names.add(AccuracyMetric.className(p.referenceClassNames(), c));
            }
            w.write("\"classes\":");
            MetricStages.strings(w, names);
            w.write(",\n\"confusion\":");
            MetricStages.matrix(w, confusion);
        });
    }
}
