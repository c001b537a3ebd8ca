package org.hybridbench.metrics;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.hybridbench.api.ConfigParam;
import org.hybridbench.api.PortSpec;
import org.hybridbench.api.PortTypes;
import org.hybridbench.api.RunContext;
import org.hybridbench.api.Stage;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageDescriptor;
import org.hybridbench.api.StageException;
import org.hybridbench.api.StageIO;
import org.hybridbench.api.StageProvider;
import org.hybridbench.api.StageType;
import org.hybridbench.api.model.Transcriptions;
import org.osgi.service.component.annotations.Component;

/**
 * Stage type {@code metric.error-rate}: phone (or word) error rate of recognised against reference transcriptions
 * ({@link ErrorRate}), to {@code ctx.metrics}, the artifact {@code error-rate-<stage>.json} (totals, per-symbol
 * counts, the most frequent confusions, per-utterance counts) and {@code alignments-<stage>.txt} (the first
 * utterances aligned in sclite's layout, for reading).
 */
@Component(service = StageProvider.class)
@StageType("metric.error-rate")
public class ErrorRateStageProvider implements StageProvider {
    static final String TYPE = "metric.error-rate";
    static final String IGNORE = "ignore";
    static final int TOP_CONFUSIONS = 20;
    static final int SHOWN_ALIGNMENTS = 50;
    private static final StageDescriptor DESCRIPTOR = MetricStages.descriptor(TYPE,
            "Scores recognised symbol sequences (phones, words) against references as HTK HResults and sclite do: "
                    + "a Levenshtein alignment per utterance, substitutions, deletions and insertions summed over the "
                    + "set; errorRate = (S+D+I)/N, correct = (N-S-D)/N, accuracy = (N-S-D-I)/N, sentenceErrorRate. "
                    + "Writes error-rate-<stage>.json and alignments-<stage>.txt.",
            PortSpec.required("transcriptions", PortTypes.TRANSCRIPTIONS,
                    "Recognised transcriptions with their references."),
            ConfigParam.string(IGNORE, "", "Comma-separated symbol names removed from both reference and hypothesis "
                    + "before scoring, e.g. \"pau\" to leave silence out of a phone error rate."));

    @Override
    public StageDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Stage create(StageConfig config) {
        String ignore = config.getString(IGNORE);
        return (StageIO io, RunContext context) -> {
            Transcriptions t = io.input("transcriptions", PortTypes.TRANSCRIPTIONS);
            if (t.references() == null) {
                throw new StageException(TYPE + " needs reference transcriptions: the transcriptions of stage input "
                        + "'transcriptions' carry none (the data set has no reference labels)");
            }
            if (t.hypotheses().isEmpty()) {
                throw new StageException(TYPE + ": the transcriptions hold no utterances to score");
            }
            boolean[] ignored = ignoredSymbols(ignore, t.symbols());
            ErrorRate r = ErrorRate.score(t, ignored);
            context.metrics(0, r.values());
            log(context, r);
            String stage = context.stageName();
            context.saveArtifact(jsonName(stage), out -> {
                Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                writeJson(w, r);
                w.flush();
            });
            context.saveArtifact(alignmentsName(stage), out -> {
                Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                writeAlignments(w, r, stage);
                w.flush();
            });
        };
    }

    static String jsonName(String stageName) {
        return "error-rate-" + stageName + ".json";
    }

    static String alignmentsName(String stageName) {
        return "alignments-" + stageName + ".txt";
    }

    /** {@code ignored[s]} for each symbol named in the comma-separated {@code spec}; unknown names are an error. */
    static boolean[] ignoredSymbols(String spec, List<String> symbols) throws StageException {
        boolean[] ignored = new boolean[symbols.size()];
        for (String part : spec.split(",")) {
            String name = part.trim();
            if (name.isEmpty()) {
                continue;
            }
            int s = symbols.indexOf(name);
            if (s < 0) {
                throw new StageException(TYPE + ": configuration field '" + IGNORE + "' names symbol '" + name
                        + "', which is not one of the " + symbols.size() + " symbols of the transcriptions: "
                        + String.join(", ", symbols));
            }
            ignored[s] = true;
        }
        return ignored;
    }

    private static List<String> ignoredNames(ErrorRate r) {
        List<String> names = new ArrayList<>();
        for (int s = 0; s < r.ignored.length; s++) {
            if (r.ignored[s]) {
                names.add(r.symbols.get(s));
            }
        }
        return names;
    }

    private static void log(RunContext context, ErrorRate r) {
        context.log(String.format(Locale.ROOT,
                "%s: error rate %.2f%% (S %d, D %d, I %d of N %d reference symbols), %%Corr %.2f, %%Acc %.2f, "
                        + "sentence error rate %.2f%% of %d utterances",
                TYPE, 100 * r.errorRate(), r.substitutions, r.deletions, r.insertions, r.referenceSymbols,
                100 * r.correct(), 100 * r.accuracy(), 100 * r.sentenceErrorRate(), r.utterances.size()));
        if (r.referenceSymbols == 0) {
            context.log(TYPE + ": no reference symbols are left to score (after removing ignored ones); the rates are NaN");
        }
    }

    static void writeJson(Writer w, ErrorRate r) throws IOException {
        w.write("{\"format\":\"hybridbench." + TYPE + "\",\"version\":1,\n\"ignored\":");
        MetricStages.strings(w, ignoredNames(r));
        w.write(",\n\"totals\":{\"utterances\":" + r.utterances.size() + ",\"referenceSymbols\":" + r.referenceSymbols
                + ",\"hypothesisSymbols\":" + r.hypothesisSymbols + ",\"correctSymbols\":"
                + (r.referenceSymbols - r.substitutions - r.deletions) + ",\"substitutions\":" + r.substitutions
                + ",\"deletions\":" + r.deletions + ",\"insertions\":" + r.insertions + ",\"errors\":" + r.errors()
                + ",\"sentenceErrors\":" + r.sentenceErrors + ",\"errorRate\":" + MetricStages.number(r.errorRate())
                + ",\"correct\":" + MetricStages.number(r.correct()) + ",\"accuracy\":" + MetricStages.number(r.accuracy())
                + ",\"sentenceErrorRate\":" + MetricStages.number(r.sentenceErrorRate()) + "},\n\"symbols\":[");
        boolean first = true;
        for (int s = 0; s < r.symbols.size(); s++) {
            if (r.ignored[s]) {
                continue;
            }
            w.write((first ? "\n" : ",\n") + "{\"symbol\":" + MetricStages.string(r.symbols.get(s)) + ",\"reference\":"
                    + r.referenceCount[s] + ",\"correct\":" + r.correctCount[s] + ",\"substitutions\":"
                    + r.substitutedCount[s] + ",\"deletions\":" + r.deletedCount[s] + ",\"insertions\":"
                    + r.insertedCount[s] + "}");
            first = false;
        }
        w.write("],\n\"topConfusions\":[");
        List<ErrorRate.Confusion> top = r.topConfusions(TOP_CONFUSIONS);
        for (int k = 0; k < top.size(); k++) {
            ErrorRate.Confusion c = top.get(k);
            w.write((k > 0 ? ",\n" : "\n") + "{\"reference\":" + MetricStages.string(r.symbols.get(c.reference()))
                    + ",\"hypothesis\":" + MetricStages.string(r.symbols.get(c.hypothesis())) + ",\"count\":" + c.count()
                    + ",\"shareOfSubstitutions\":" + MetricStages.number(c.count() / (double) r.substitutions) + "}");
        }
        w.write("],\n\"perUtterance\":[");
        for (int u = 0; u < r.utterances.size(); u++) {
            ErrorRate.Utterance e = r.utterances.get(u);
            EditAlignment a = e.alignment();
            w.write((u > 0 ? ",\n" : "\n") + "{\"id\":" + MetricStages.string(e.id()) + ",\"referenceSymbols\":"
                    + e.reference().length + ",\"hypothesisSymbols\":" + e.hypothesis().length + ",\"substitutions\":"
                    + a.substitutions() + ",\"deletions\":" + a.deletions() + ",\"insertions\":" + a.insertions() + "}");
        }
        w.write("]}\n");
    }

    /**
     * sclite's layout: per utterance its id, the counts, then REF: and HYP: in aligned columns — symbols that are
     * errors in upper case, {@code ***} for the missing side of a deletion or insertion — and an Eval: line
     * marking each error S, D or I (upper case alone is ambiguous for symbol sets that are upper case already).
     */
    static void writeAlignments(Writer w, ErrorRate r, String stageName) throws IOException {
        int shown = Math.min(SHOWN_ALIGNMENTS, r.utterances.size());
        List<String> ignored = ignoredNames(r);
        w.write(TYPE + " alignments of stage " + stageName + ": the first " + shown + " of " + r.utterances.size()
                + " utterances" + (ignored.isEmpty() ? "" : ", ignoring " + String.join(", ", ignored)) + ".\n");
        w.write("Errors in upper case; *** marks a gap; Eval: S = substitution, D = deletion, I = insertion.\n");
        for (int u = 0; u < shown; u++) {
            ErrorRate.Utterance e = r.utterances.get(u);
            EditAlignment a = e.alignment();
            StringBuilder ref = new StringBuilder("REF: ");
            StringBuilder hyp = new StringBuilder("HYP: ");
            StringBuilder eval = new StringBuilder("Eval:");
            for (EditAlignment.Step step : a.steps()) {
                boolean error = step.op() != EditAlignment.Op.MATCH;
                String refText = step.ref() < 0 ? "***" : shown(r.symbols.get(e.reference()[step.ref()]), error);
                String hypText = step.hyp() < 0 ? "***" : shown(r.symbols.get(e.hypothesis()[step.hyp()]), error);
                String mark = switch (step.op()) {
                    case MATCH -> "";
                    case SUBSTITUTION -> "S";
                    case DELETION -> "D";
                    case INSERTION -> "I";
                };
                int width = Math.max(refText.length(), hypText.length());
                ref.append(' ').append(pad(refText, width));
                hyp.append(' ').append(pad(hypText, width));
                eval.append(' ').append(pad(mark, width));
            }
            w.write("\nid: " + e.id() + "\n");
            w.write("Scores: (#C #S #D #I) " + a.count(EditAlignment.Op.MATCH) + " " + a.substitutions() + " "
                    + a.deletions() + " " + a.insertions() + "\n");
            w.write(ref.toString().stripTrailing() + "\n");
            w.write(hyp.toString().stripTrailing() + "\n");
            w.write(eval.toString().stripTrailing() + "\n");
        }
    }

    private static String shown(String symbol, boolean error) {
        return error ? symbol.toUpperCase(Locale.ROOT) : symbol;
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(width - s.length());
    }
}
