package org.hybridbench.phone;

import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

import org.hybridbench.api.ConfigParam;
import org.hybridbench.api.PortSpec;
import org.hybridbench.api.PortTypes;
import org.hybridbench.api.RunContext;
import org.hybridbench.api.Stage;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageDescriptor;
import org.hybridbench.api.StageIO;
import org.hybridbench.api.StageException;
import org.hybridbench.api.StageProvider;
import org.hybridbench.api.StageRole;
import org.hybridbench.api.StageType;
import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.data.SequenceBatch;
import org.hybridbench.api.model.ChainInference;
import org.hybridbench.api.model.LabelledSequences;
import org.hybridbench.api.model.Predictions;
import org.hybridbench.api.model.Transcriptions;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Stage type {@code decode.phone-loop}: Viterbi phone recognition over a phone loop with a bigram phone LM
 * ({@link PhoneLoop}); outputs the recognised phone sequences against the reference transcripts and the phone of
 * every frame against the frame labels.
 */
@Component(service = StageProvider.class)
@StageType(PhoneLoopStageProvider.TYPE)
public class PhoneLoopStageProvider implements StageProvider {
    static final String TYPE = "decode.phone-loop";
    /** Utterances decoded per chain batch (bounds the memory of log-densities). */
    static final int CHUNK = 64;
    private static final StageDescriptor DESCRIPTOR = StageDescriptor.builder(TYPE, StageRole.INFERENCE)
            .description("Recognises phones by Viterbi over a loop of all phone models, phone-to-phone transitions weighted by a "
                    + "bigram phone language model (add-k smoothed, estimated on the models' training transcripts or on the "
                    + "'lm' sequences), with LM scale and phone insertion penalty (HVite -s, -p). Outputs transcriptions "
                    + "(recognised vs reference phones, the reference being the frame labels with runs collapsed) and "
                    + "predictions (phone per frame vs frame labels); metrics phoneErrorRate and frameAccuracy; writes "
                    + "decode-<stage>.txt.")
            .config(ConfigParam.number("lmScale", 1.0, 0, 1000, "Language-model scale s: s * log P(q | p) (HVite -s)."))
            .config(ConfigParam.number("insertionPenalty", 0.0, -1e6, 1e6,
                    "Log-probability added per recognised phone (HVite -p); negative values give fewer, longer phones."))
            .config(ConfigParam.number("lmSmoothing", 1.0, 0, 1e6, "Add-k pseudocount of every allowed bigram (0 = maximum likelihood)."))
            .config(ConfigParam.integer("threads", 0L, 0, 1024, "Threads for emission densities; 0 = one per processor."))
            .input(PortSpec.required("models", PhonePorts.PHONE_MODELS, "Phone models from model.phone.hmm."))
            .input(PortSpec.required("sequences", PortTypes.SEQUENCES, "Utterances to recognise (frame labels, if any, are the reference)."))
            .input(PortSpec.optional("lm", PortTypes.SEQUENCES,
                    "Utterances whose transcripts train the bigram LM; default: the models' training transcripts."))
            .input(PortSpec.optional("inference", PortTypes.CHAIN_INFERENCE, "Chain inference; default: the installed service."))
            .output(PortSpec.output("transcriptions", PortTypes.TRANSCRIPTIONS, "Recognised vs reference phone sequences per utterance."))
            .output(PortSpec.output("predictions", PortTypes.PREDICTIONS, "Recognised phone of every frame vs its label."))
            .build();

    private final ChainInference inference;

    @Activate
    public PhoneLoopStageProvider(@Reference ChainInference inference) {
        this.inference = inference;
    }

    @Override
    public StageDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Stage create(StageConfig c) {
        double lmScale = c.getDouble("lmScale");
        double penalty = c.getDouble("insertionPenalty");
        double k = c.getDouble("lmSmoothing");
        int threads = c.getInt("threads") > 0 ? c.getInt("threads") : Runtime.getRuntime().availableProcessors();
        return (io, context) -> {
            PhoneModelSet models = io.input("models", PhonePorts.PHONE_MODELS);
            LabelledSequences data = io.input("sequences", PortTypes.SEQUENCES);
            Optional<LabelledSequences> lmData = io.optionalInput("lm", PortTypes.SEQUENCES);
            ChainInference inf = io.optionalInput("inference", PortTypes.CHAIN_INFERENCE).orElse(inference);
            SequenceBatch seqs = data.observations();
            check(models, data);
            List<int[]> lmTranscripts = models.trainingTranscripts();
            if (lmData.isPresent()) {
                check(models, lmData.get());
                try {
                    lmTranscripts = Transcripts.all(lmData.get());
                } catch (IllegalArgumentException e) {
                    throw new StageException(TYPE + ": lm: " + e.getMessage(), e);
                }
            }
            BigramLm lm = new BigramLm(models.numPhones(), lmTranscripts, k);
            PhoneLoop loop = new PhoneLoop(models, lm, lmScale, penalty);
            decodeAll(TYPE, models, loop, data, utt -> {
                Matrix out = new Matrix(seqs.length(utt), models.numStates());
                models.emission().logDensity(seqs.sequence(utt), out);
                return out;
            }, inf, threads, io, context, String.format(Locale.ROOT, "LM scale %s, insertion penalty %s, add-%s bigram", lmScale, penalty, k));
        };
    }

    /**
     * Decodes every utterance of {@code data} over {@code loop} with the per-frame scores (T × P·S, computed on
     * {@code threads} threads, up to {@link #CHUNK} utterances at a time), reports the metrics, writes
     * decode-&lt;stage&gt;.txt and sets the outputs transcriptions and predictions. Shared by the stage types that
     * differ only in where the scores come from (an emission model, or scaled NN posteriors).
     */
    static void decodeAll(String type, PhoneModelSet models, PhoneLoop loop, LabelledSequences data, IntFunction<Matrix> scores,
            ChainInference inf, int threads, StageIO io, RunContext context, String settings) throws Exception {
        SequenceBatch seqs = data.observations();
        boolean labelled = data.states() != null;
        for (int u = 0; labelled && u < data.size(); u++) {
            labelled = fullyLabelled(data, u);
        }
        List<String> ids = new ArrayList<>();
        List<int[]> hyps = new ArrayList<>();
        List<int[]> refs = labelled ? new ArrayList<>() : null;
        int[] framePhones = new int[seqs.totalLength()];
        double score = 0;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int c0 = 0; c0 < seqs.size(); c0 += CHUNK) {
                context.checkCancelled();
                List<Future<Matrix>> densities = new ArrayList<>();
                for (int u = c0; u < Math.min(seqs.size(), c0 + CHUNK); u++) {
                    int utt = u;
                    densities.add(pool.submit(() -> {
                        try {
                            return scores.apply(utt);
                        } catch (IllegalArgumentException e) {
                            throw new StageException(type + ": " + data.name() + ": utterance " + utt + ": " + e.getMessage(), e);
                        }
                    }));
                }
                List<Matrix> logB = new ArrayList<>();
                for (Future<Matrix> f : densities) {
                    try {
                        logB.add(f.get());
                    } catch (java.util.concurrent.ExecutionException e) {
                        throw e.getCause() instanceof Exception x ? x : e;
                    }
                }
                List<PhoneLoop.Decoded> decoded;
                try {
                    decoded = loop.decode(logB, inf);
                } catch (RuntimeException e) {
                    throw new StageException(type + ": " + data.name() + ": utterances " + c0 + "–" + (c0 + logB.size() - 1)
                            + ": " + e.getMessage(), e);
                }
                for (int i = 0; i < decoded.size(); i++) {
                    int u = c0 + i;
                    PhoneLoop.Decoded d = decoded.get(i);
                    ids.add(data.name() + "/" + u);
                    hyps.add(d.phones());
                    if (labelled) {
                        refs.add(Transcripts.of(data, u));
                    }
                    System.arraycopy(d.framePhones(), 0, framePhones, seqs.offset(u), seqs.length(u));
                    score += d.score();
                }
            }
        } finally {
            pool.shutdownNow();
        }
        Transcriptions tr = new Transcriptions(ids, hyps, refs, models.phones());
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("logScore", score);
        long hypPhones = hyps.stream().mapToLong(h -> h.length).sum();
        metrics.put("recognisedPhones", (double) hypPhones);
        if (labelled) {
            long errors = 0;
            long refPhones = 0;
            for (int u = 0; u < hyps.size(); u++) {
                errors += ErrorCount.levenshtein(refs.get(u), hyps.get(u));
                refPhones += refs.get(u).length;
            }
            int ok = 0;
            for (int t = 0; t < framePhones.length; t++) {
                ok += framePhones[t] == data.states()[t] ? 1 : 0;
            }
            metrics.put("referencePhones", (double) refPhones);
            metrics.put("phoneErrorRate", errors / (double) Math.max(1, refPhones));
            metrics.put("frameAccuracy", ok / (double) Math.max(1, framePhones.length));
        }
        context.metrics(0, metrics);
        context.log(String.format(Locale.ROOT, "%s: %d utterance(s), %s: %s", type, seqs.size(), settings, metrics));
        List<String> names = models.phones();
        context.saveArtifact("decode-" + context.stageName() + ".txt", out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            for (int u = 0; u < hyps.size(); u++) {
                w.write(ids.get(u) + "\thyp:" + spell(hyps.get(u), names) + "\n");
                if (refs != null) {
                    w.write(ids.get(u) + "\tref:" + spell(refs.get(u), names) + "\n");
                }
            }
            w.flush();
        });
        io.output("transcriptions", PortTypes.TRANSCRIPTIONS, tr);
        io.output("predictions", PortTypes.PREDICTIONS,
                new Predictions(framePhones, labelled ? data.states().clone() : null, models.numPhones(), models.phones()));
    }

    private static String spell(int[] s, List<String> names) {
        StringBuilder b = new StringBuilder();
        for (int p : s) {
            b.append(' ').append(names.get(p));
        }
        return b.toString();
    }

    private static boolean fullyLabelled(LabelledSequences data, int u) {
        int[] st = data.states();
        for (int t = data.observations().offset(u), end = t + data.observations().length(u); t < end; t++) {
            if (st[t] == LabelledSequences.UNLABELLED) {
                return false;
            }
        }
        return true;
    }

    private static void check(PhoneModelSet models, LabelledSequences data) throws StageException {
        if (data.observations().dimension() != models.emission().dimension()) {
            throw new StageException(TYPE + ": the sequences '" + data.name() + "' have dimension " + data.observations().dimension()
                    + ", the phone models' emission " + models.emission().dimension());
        }
        checkPhones(TYPE, models, data);
    }

    /** Labels, if any, must name the models' phones in the models' order. */
    static void checkPhones(String type, PhoneModelSet models, LabelledSequences data) throws StageException {
        if (data.states() != null && !data.stateNames().equals(models.phones())) {
            throw new StageException(type + ": the sequences '" + data.name() + "' are labelled with " + data.stateNames().size()
                    + " phones " + abbreviate(data.stateNames()) + ", the models know " + models.numPhones() + " "
                    + abbreviate(models.phones()));
        }
    }

    static String abbreviate(List<String> l) {
        return l.size() <= 8 ? l.toString() : l.subList(0, 8) + "…";
    }
}
