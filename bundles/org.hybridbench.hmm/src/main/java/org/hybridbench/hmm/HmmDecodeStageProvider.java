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
import org.hybridbench.api.model.ChainBatch;
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
 * {@code decode-<stage>.txt} (one state per line, a blank line between sequences). With {@code nBest} n &gt; 1 it also
 * writes {@code nbest-<stage>.json}: the n highest-scoring state paths of each of the first {@value #NBEST_SEQUENCES}
 * sequences (the chain inference's k-max semiring), as run-length segments with their log p(y, path); the
 * predictions stay the single best path (or the posterior argmax).
 */
@Component(service = StageProvider.class)
@StageType(HmmDecodeStageProvider.TYPE)
public class HmmDecodeStageProvider implements StageProvider {
    static final String TYPE = "model.hmm.decode";
    /** The n-best artifact covers this many sequences from the start (the lists are for inspection, not scoring). */
    static final int NBEST_SEQUENCES = 100;
    /**
     * Most back-pointers (positions × states × n) one n-best run may keep, 4 bytes each: a longer sequence is
     * refused with a message instead of running the JVM out of memory.
     */
    static final long NBEST_MAX_BACKPOINTERS = 1L << 25;
    static final String NBEST_FORMAT = "hybridbench.hmm.nbest";
    private static final StageDescriptor DESCRIPTOR = StageDescriptor.builder(TYPE, StageRole.INFERENCE)
            .description("Decodes the hidden states of sequences under an HMM: Viterbi path or posterior argmax; reports "
                    + "log p(y), the Viterbi log-probability and, for labelled sequences, the accuracy; writes decode-<stage>.txt "
                    + "and, with nBest > 1, the n best paths of the first " + NBEST_SEQUENCES + " sequences to nbest-<stage>.json.")
            .config(ConfigParam.choice("method", "viterbi", List.of("viterbi", "posterior"), "viterbi | posterior (argmax of γ)."))
            .config(ConfigParam.integer("nBest", 1L, 1, 100, "n > 1: also write the n best state paths of each of the first "
                    + NBEST_SEQUENCES + " sequences, with their log-probabilities, to nbest-<stage>.json."))
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
        int nBest = c.getInt("nBest");
        int threads = c.getInt("threads") > 0 ? c.getInt("threads") : Runtime.getRuntime().availableProcessors();
        return (io, context) -> {
            HiddenMarkovModel hmm = io.input("hmm", HmmPorts.HMM);
            LabelledSequences data = io.input("sequences", PortTypes.SEQUENCES);
            ChainInference inf = io.optionalInput("inference", PortTypes.CHAIN_INFERENCE).orElse(inference);
            SequenceBatch seqs = data.observations();
            int k = hmm.numStates();
            int[] predicted = new int[seqs.totalLength()];
            Map<String, Double> metrics = new LinkedHashMap<>();
            int listed = nBest > 1 ? Math.min(NBEST_SEQUENCES, seqs.size()) : 0;
            for (int s = 0; s < listed; s++) {
                if ((long) seqs.length(s) * k * nBest > NBEST_MAX_BACKPOINTERS) {
                    throw new StageException(TYPE + ": " + data.name() + ": nBest = " + nBest + " for sequence " + s + " ("
                            + seqs.length(s) + " positions, " + k + " states) needs more than " + NBEST_MAX_BACKPOINTERS
                            + " back-pointers (positions × states × n); lower nBest");
                }
            }
            List<List<ChainPath>> nBestPaths = new ArrayList<>();
            ChainBatchMarginals post;
            try {
                // log b once for every use: posteriors, Viterbi and the n-best lists all run on the same chain
                ChainBatch chain = hmm.chain(seqs, hmm.logEmissions(seqs, threads));
                post = inf.marginals(chain);
                metrics.put("logLikelihood", post.totalLogPartition());
                List<ChainPath> paths = inf.viterbi(chain);
                for (int s = 0; s < listed; s++) {
                    nBestPaths.add(inf.nBest(chain.chain(s), nBest));
                }
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
            if (listed > 0) {
                double[] logLikelihoods = post.logPartition();
                context.saveArtifact("nbest-" + context.stageName() + ".json",
                        out -> writeNBest(out, nBest, seqs, names, logLikelihoods, nBestPaths));
            }
            io.output("predictions", PortTypes.PREDICTIONS, new Predictions(predicted, complete ? reference : null, k, names));
        };
    }

    /**
     * The n-best file, format {@value #NBEST_FORMAT} version 1 (UTF-8 JSON):
     * <pre>
     * {"format":"hybridbench.hmm.nbest","version":1,"n":n,"sequences":S,"listed":L,"stateNames":[K names],
     *  "lists":[{"sequence":s,"length":T,"logLikelihood":log p(y),
     *            "paths":[{"logScore":log p(y, path),"segments":[[state,start,length],…]},…]},…]}
     * </pre>
     * L = min(S, {@value #NBEST_SEQUENCES}) lists, in sequence order; paths best first (fewer than n when the sequence
     * has fewer possible paths; an empty sequence has one path without segments); segments are the maximal runs of
     * one state, in order, covering positions 0 … T−1.
     */
    static void writeNBest(java.io.OutputStream out, int n, SequenceBatch seqs, List<String> names, double[] logLikelihoods,
            List<List<ChainPath>> lists) throws java.io.IOException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        w.write("{\"format\":\"" + NBEST_FORMAT + "\",\"version\":1,\"n\":" + n + ",\"sequences\":" + seqs.size()
                + ",\"listed\":" + lists.size() + ",\n\"stateNames\":[");
        for (int i = 0; i < names.size(); i++) {
            w.write((i > 0 ? "," : "") + Json.quote(names.get(i)));
        }
        w.write("],\n\"lists\":[");
        for (int s = 0; s < lists.size(); s++) {
            w.write((s > 0 ? ",\n" : "\n") + "{\"sequence\":" + s + ",\"length\":" + seqs.length(s) + ",\"logLikelihood\":"
                    + Json.number(logLikelihoods[s]) + ",\"paths\":[");
            List<ChainPath> paths = lists.get(s);
            for (int r = 0; r < paths.size(); r++) {
                int[] z = paths.get(r).states();
                w.write((r > 0 ? ",\n " : "\n ") + "{\"logScore\":" + Json.number(paths.get(r).logScore()) + ",\"segments\":[");
                for (int start = 0; start < z.length;) {
                    int end = start + 1;
                    while (end < z.length && z[end] == z[start]) {
                        end++;
                    }
                    w.write((start > 0 ? "," : "") + "[" + z[start] + "," + start + "," + (end - start) + "]");
                    start = end;
                }
                w.write("]}");
            }
            w.write("]}");
        }
        w.write("]}\n");
        w.flush();
    }
}
