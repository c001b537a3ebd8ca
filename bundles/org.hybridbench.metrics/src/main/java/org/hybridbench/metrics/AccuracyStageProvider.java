package org.hybridbench.metrics;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

import org.hybridbench.api.ConfigParam;
import org.hybridbench.api.RunContext;
import org.hybridbench.api.Stage;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageDescriptor;
import org.hybridbench.api.StageProvider;
import org.hybridbench.api.StageType;
import org.hybridbench.api.model.Predictions;
import org.osgi.service.component.annotations.Component;

/**
 * Stage type {@code metric.accuracy}: accuracy, per-class precision/recall/F1 and their macro means, to
 * {@code ctx.metrics} and the artifact {@code accuracy.json} (values, class names, the confusion matrix with
 * rows = reference class, columns = predicted class, the most frequent confusions); the confusions are also
 * logged and, unless {@code confusionPicture} is false, drawn to {@code confusion-<stage>.png}.
 */
@Component(service = StageProvider.class)
@StageType("metric.accuracy")
public class AccuracyStageProvider implements StageProvider {
    static final String TYPE = "metric.accuracy";
    static final String PICTURE = "confusionPicture";
    /** How many confusions are logged and written to accuracy.json. */
    static final int TOP_CONFUSIONS = 10;
    private static final StageDescriptor DESCRIPTOR = MetricStages.descriptor(TYPE,
            "Scores a classifier: accuracy, per-class precision, recall and F1, macro averages, confusion matrix and "
                    + "the 10 most frequent confusions (accuracy.json, the confusions also in the log), and a picture "
                    + "of the confusion matrix (confusion-<stage>.png).",
            ConfigParam.bool(PICTURE, true, "Draw the confusion matrix to confusion-<stage>.png in the run directory: "
                    + "rows = reference, columns = predicted, each cell coloured by its share of the reference row "
                    + "(white to dark blue)."));

    @Override
    public StageDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Stage create(StageConfig config) {
        boolean picture = config.getBoolean(PICTURE);
        Stage scores = MetricStages.stage(TYPE, "accuracy.json", new AccuracyMetric()::evaluate, (w, p) -> {
            long[][] confusion = AccuracyMetric.confusion(p);
            List<String> names = names(p, confusion.length);
            w.write("\"classes\":");
            MetricStages.strings(w, names);
            w.write(",\n\"confusion\":");
            MetricStages.matrix(w, confusion);
            w.write(",\n\"topConfusions\":");
            confusions(w, AccuracyMetric.topConfusions(confusion, TOP_CONFUSIONS), names);
        });
        return (io, context) -> {
            scores.run(io, context);
            Predictions p = MetricStages.input(TYPE, io);
            long[][] confusion = AccuracyMetric.confusion(p);
            List<String> names = names(p, confusion.length);
            logConfusions(context, AccuracyMetric.topConfusions(confusion, TOP_CONFUSIONS), names);
            if (picture) {
                savePicture(context, confusion, names);
            }
        };
    }

    static String pictureName(String stageName) {
        return "confusion-" + stageName + ".png";
    }

    private static List<String> names(Predictions p, int classes) {
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            names.add(AccuracyMetric.className(p.referenceClassNames(), c));
        }
        return names;
    }

    private static void confusions(Writer w, List<AccuracyMetric.Confusion> top, List<String> names) throws IOException {
        w.write('[');
        for (int k = 0; k < top.size(); k++) {
            AccuracyMetric.Confusion e = top.get(k);
            w.write((k > 0 ? ",\n" : "\n") + "{\"reference\":" + MetricStages.string(names.get(e.reference())) + ",\"predicted\":"
                    + MetricStages.string(names.get(e.predicted())) + ",\"count\":" + e.count() + ",\"shareOfErrors\":"
                    + MetricStages.number(e.shareOfErrors()) + "}");
        }
        w.write(']');
    }

    private static void logConfusions(RunContext context, List<AccuracyMetric.Confusion> top, List<String> names) {
        if (top.isEmpty()) {
            context.log(TYPE + ": no confusions, every prediction is correct");
            return;
        }
        // ASCII arrows: the log also goes to a console whose encoding may not have "→"
        context.log(TYPE + ": most frequent confusions (reference -> predicted: count (share of errors)):");
        for (AccuracyMetric.Confusion e : top) {
            context.log(String.format(Locale.ROOT, "  %s -> %s: %d (%.1f%%)", names.get(e.reference()),
                    names.get(e.predicted()), e.count(), 100 * e.shareOfErrors()));
        }
    }

    /** A picture failing (no fonts, no AWT) is reported, never fatal: the scores are already recorded. */
    private static void savePicture(RunContext context, long[][] confusion, List<String> names) throws IOException {
        String file = pictureName(context.stageName());
        ConfusionPicture.Drawn drawn;
        try {
            if (System.getProperty("java.awt.headless") == null) {
                System.setProperty("java.awt.headless", "true"); // never look for a display (the launcher does not set it)
            }
            drawn = ConfusionPicture.draw(confusion, names, "Confusion matrix of " + context.stageName());
        } catch (RuntimeException | LinkageError e) {
            context.log(TYPE + ": could not draw " + file + ": " + e);
            return;
        }
        context.saveArtifact(file, out -> {
            if (!ImageIO.write(drawn.image(), "png", out)) {
                throw new IOException("no PNG writer in this Java runtime for " + file);
            }
        });
    }
}
