package org.hybridbench.hmm;

import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.hybridbench.api.ConfigParam;
import org.hybridbench.api.PortSpec;
import org.hybridbench.api.PortTypes;
import org.hybridbench.api.Stage;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageDescriptor;
import org.hybridbench.api.StageException;
import org.hybridbench.api.StageProvider;
import org.hybridbench.api.StageRole;
import org.hybridbench.api.StageType;
import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.data.SequenceBatch;
import org.hybridbench.api.model.ChainBatchMarginals;
import org.hybridbench.api.model.ChainInference;
import org.hybridbench.api.model.ChainPath;
import org.hybridbench.api.model.LabelledSequences;
import org.hybridbench.api.model.Predictions;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Stage type {@code model.hmm.decode}: the state of every position by Viterbi (most probable path) or posterior
 * decoding (argmax γ), as predictions (with the sequences' states as reference when every position has one), the
 * metrics logLikelihood, viterbiLogProbability and accuracy (when labelled), and the artifact
 * {@code decode-<stage>.txt} (one state per line, a blank line between sequences).
 */
@Component(service = StageProvider.class)
@StageType(HmmDecodeStageProvider.TYPE)
public class HmmDecodeStageProvider implements StageProvider {
    static final String TYPE = "model.hmm.decode";
    private static final StageDescriptor DESCRIPTOR = StageDescriptor.builder(TYPE, StageRole.INFERENCE)
            .description("Decodes the hidden states of sequences under an HMM: Viterbi path or posterior argmax; reports "
                    + "log p(y), the Viterbi log-probability and, for labelled sequences, the accuracy; writes decode-<stage>.txt.")
            .config(ConfigParam.choice("method", "viterbi", List.of("viterbi", "posterior"), "viterbi | posterior (argmax of γ)."))
            .config(ConfigParam.integer("threads", 0L, 0, 1024, "Threads for emission densities; 0 = one per processor."))
            .input(PortSpec.required("hmm", HmmPorts.HMM, "The model."))
            .input(PortSpec.required("sequences", PortTypes.SEQUENCES, "Sequences to decode."))
            .input(PortSpec.optional("inference", PortTypes.CHAIN_INFERENCE, "Chain inference; default: the installed service."))
            .output(PortSpec.output("predictions", PortTypes.PREDICTIONS, "The decoded state of every position."))
            .build();

    private final ChainInference inference;

    @Activate
    public HmmDecodeStageProvider(@Reference ChainInference inference) {
        this.inference = inference;
    }

    @Override
    public StageDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Stage create(StageConfig c) {
        boolean viterbi = c.getString("method").equals("viterbi");
        int threads = c.getInt("threads") > 0 ? c.getInt("threads") : Runtime.getRuntime().availableProcessors();
        return (io, context) -> {
            HiddenMarkovModel hmm = io.input("hmm", HmmPorts.HMM);
            LabelledSequences data = io.input("sequences", PortTypes.SEQUENCES);
            ChainInference inf = io.optionalInput("inference", PortTypes.CHAIN_INFERENCE).orElse(inference);
            SequenceBatch seqs = data.observations();
            int k = hmm.numStates();
            int[] predicted = new int[seqs.totalLength()];
            Map<String, Double> metrics = new LinkedHashMap<>();
            try {
                ChainBatchMarginals post = hmm.posteriors(seqs, inf, threads);
                metrics.put("logLikelihood", post.totalLogPartition());
                List<ChainPath> paths = hmm.viterbi(seqs, inf, threads);
                double vlp = 0;
                for (ChainPath p : paths) {
                    vlp += p.logScore();
                }
                metrics.put("viterbiLogProbability", vlp);
                if (viterbi) {
                    for (int s = 0; s < paths.size(); s++) {
                        System.arraycopy(paths.get(s).states(), 0, predicted, seqs.offset(s), seqs.length(s));
                    }
                } else {
                    Matrix g = post.posteriors();
                    for (int t = 0; t < predicted.length; t++) {
                        int best = 0;
                        for (int i = 1; i < k; i++) {
                            if (g.get(t, i) > g.get(t, best)) {
                                best = i;
                            }
                        }
                        predicted[t] = best;
                    }
                }
            } catch (IllegalArgumentException e) {
                throw new StageException(TYPE + ": " + data.name() + ": " + e.getMessage(), e);
            }
            int[] reference = data.states();
            boolean complete = reference != null;
            if (complete) {
                int ok = 0;
                for (int t = 0; t < predicted.length; t++) {
                    complete &= reference[t] != LabelledSequences.UNLABELLED;
                    ok += predicted[t] == reference[t] ? 1 : 0;
                }
                if (complete) {
                    metrics.put("accuracy", ok / (double) Math.max(1, predicted.length));
                }
            }
            context.metrics(0, metrics);
            context.log(TYPE + ": " + (viterbi ? "Viterbi" : "posterior") + " decoding of " + seqs.size() + " sequence(s): " + metrics);
            List<String> names = new ArrayList<>(data.stateNames());
            for (int i = names.size(); i < k; i++) {
                names.add(Integer.toString(i));
            }
            context.saveArtifact("decode-" + context.stageName() + ".txt", out -> {
                Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                for (int s = 0; s < seqs.size(); s++) {
                    if (s > 0) {
                        w.write('\n');
                    }
                    for (int t = seqs.offset(s); t < seqs.offset(s) + seqs.length(s); t++) {
                        w.write(predicted[t] + "\n");
                    }
                }
                w.flush();
            });
            io.output("predictions", PortTypes.PREDICTIONS, new Predictions(predicted, complete ? reference : null, k, names));
        };
    }
}
