package org.hybridbench.metrics;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.hybridbench.api.ConfigParam;
import org.hybridbench.api.PortSpec;
import org.hybridbench.api.PortTypes;
import org.hybridbench.api.RunContext;
import org.hybridbench.api.Stage;
import org.hybridbench.api.StageDescriptor;
import org.hybridbench.api.StageException;
import org.hybridbench.api.StageIO;
import org.hybridbench.api.StageRole;
import org.hybridbench.api.model.Predictions;

/** What the metric stages share: descriptor shape, input checks and JSON writing. */
final class MetricStages {
    private MetricStages() {
    }

    static StageDescriptor descriptor(String type, String description, ConfigParam... config) {
        return descriptor(type, description,
                PortSpec.required("predictions", PortTypes.PREDICTIONS, "Predictions with their reference labels."), config);
    }

    static StageDescriptor descriptor(String type, String description, PortSpec input, ConfigParam... config) {
        StageDescriptor.Builder b = StageDescriptor.builder(type, StageRole.METRIC)
                .description(description)
                .input(input);
        for (ConfigParam param : config) {
            b.config(param);
        }
        return b.build();
    }

    static Predictions input(String type, StageIO io) throws StageException {
        Predictions p = io.input("predictions", PortTypes.PREDICTIONS);
        if (p.reference() == null) {
            throw new StageException(type + ": the predictions carry no reference labels (the data set is unlabelled)");
        }
        if (p.predicted().length == 0) {
            throw new StageException(type + ": there are no predictions to score");
        }
        return p;
    }

    /** A stage that evaluates, records {@code ctx.metrics(0, values)}, logs a line and writes a JSON artifact. */
    static Stage stage(String type, String artifact, java.util.function.Function<Predictions, Map<String, Double>> metric,
            TableWriter table) {
        return (StageIO io, RunContext context) -> {
            Predictions p = input(type, io);
            Map<String, Double> values = metric.apply(p);
            context.metrics(0, values);
            StringBuilder line = new StringBuilder(type + ":");
            values.entrySet().stream().limit(4).forEach(e -> line.append(String.format(" %s %.4f", e.getKey(), e.getValue())));
            context.log(line.toString());
            context.saveArtifact(artifact, out -> {
                Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                w.write("{\"format\":\"hybridbench." + type + "\",\"version\":1,\"rows\":" + p.predicted().length + ",\n\"values\":{");
                boolean first = true;
                for (Map.Entry<String, Double> e : values.entrySet()) {
                    w.write((first ? "" : ",") + string(e.getKey()) + ":" + number(e.getValue()));
                    first = false;
                }
                w.write("},\n");
                table.write(w, p);
                w.write("}\n");
                w.flush();
            });
        };
    }

    /** Writes the JSON members after "values" (a table), without a trailing comma. */
    @FunctionalInterface
    interface TableWriter {
        void write(Writer w, Predictions p) throws IOException;
    }

    static String string(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static String number(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "null";
    }

    static void strings(Writer w, List<String> names) throws IOException {
        w.write('[');
        for (int i = 0; i < names.size(); i++) {
            w.write((i > 0 ? "," : "") + string(names.get(i)));
        }
        w.write(']');
    }

    static void matrix(Writer w, long[][] m) throws IOException {
        w.write('[');
        for (int i = 0; i < m.length; i++) {
            w.write(i > 0 ? ",\n[" : "\n[");
            for (int j = 0; j < m[i].length; j++) {
                w.write((j > 0 ? "," : "") + m[i][j]);
            }
            w.write(']');
        }
        w.write(']');
    }
}
