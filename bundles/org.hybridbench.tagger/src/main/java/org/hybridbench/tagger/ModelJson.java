package org.hybridbench.tagger;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.hybridbench.api.data.TaggedSentences;
import org.hybridbench.api.model.ParameterBlock;

/**
 * The model file {@code model-<stage>.json} (format {@code hybridbench.tagger.crf-features}, version 1):
 * {@code featureSet} (template version and description), {@code tagSet} and {@code tags} (names by id),
 * {@code weights}: W sparse, one entry per feature with a non-zero row — {@code "feature": [w_0 … w_K−1]}; the loss's
 * parameter blocks by name, a CRF's as {@code transition} (K × K, row = from), {@code start} and {@code end} (none
 * for a per-token loss such as loss.softmax); and {@code training} facts.
 */
final class ModelJson {
    static final String FORMAT = "hybridbench.tagger.crf-features";
    static final int VERSION = 1;

    private ModelJson() {
    }

    static void write(OutputStream os, FeatureCrf model, TaggedSentences train, Map<String, Object> training) throws IOException {
        Writer w = new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8));
        int k = model.k;
        w.write("{\n\"format\": \"" + FORMAT + "\",\n\"version\": " + VERSION + ",\n");
        w.write("\"featureSet\": {\"templates\": \"" + Features.VERSION + "\", \"description\": "
                + str("word (lower-cased), prefixes/suffixes 1-" + Features.MAX_AFFIX
                        + ", shape and CAP/ALLCAP/DIG/HYPH/NUM flags of words -1, 0, +1; BIAS; FIRST")
                + ", \"features\": " + model.features.size() + "},\n");
        w.write("\"tagSet\": " + str(train.tagSet()) + ",\n\"tags\": [");
        List<String> names = train.tagNames();
        for (int i = 0; i < names.size(); i++) {
            w.write((i > 0 ? ", " : "") + str(names.get(i)));
        }
        w.write("],\n\"weights\": {");
        boolean first = true;
        for (int f = 0; f < model.features.size(); f++) {
            boolean nonZero = false;
            for (int j = 0; j < k; j++) {
                nonZero |= model.w[f * k + j] != 0;
            }
            if (!nonZero) {
                continue;
            }
            w.write(first ? "\n" : ",\n");
            first = false;
            w.write(str(model.features.name(f)) + ": [");
            for (int j = 0; j < k; j++) {
                w.write((j > 0 ? "," : "") + num(model.w[f * k + j]));
            }
            w.write("]");
        }
        w.write("\n},\n");
        for (ParameterBlock b : model.loss.parameters()) {
            block(w, b.name().startsWith("crf.") ? b.name().substring(4) : b.name(), b);
        }
        w.write("\"training\": {");
        first = true;
        for (Map.Entry<String, Object> e : training.entrySet()) {
            w.write((first ? "" : ", ") + str(e.getKey()) + ": " + value(e.getValue()));
            first = false;
        }
        w.write("}\n}\n");
        w.flush();
    }

    private static void block(Writer w, String name, ParameterBlock b) throws IOException {
        w.write(str(name) + ": [");
        double[] v = b.values();
        for (int i = 0; i < v.length; i++) {
            w.write((i > 0 ? "," : "") + num(v[i]));
        }
        w.write("],\n");
    }

    private static String value(Object o) {
        if (o == null) {
            return "null";
        }
        if (o instanceof Double d) {
            return num(d);
        }
        if (o instanceof Number || o instanceof Boolean) {
            return o.toString();
        }
        return str(o.toString());
    }

    private static String num(double d) {
        return Double.isFinite(d) ? Double.toString(d) : "null";
    }

    static String str(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
