package org.hybridbench.phone;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

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
import org.hybridbench.api.model.ChainInference;
import org.hybridbench.api.model.LabelledSequences;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Stage type {@code decode.phone-loop.scaled}: the hybrid of a separately trained network and the phone HMMs
 * (Bourlard &amp; Morgan's scaled likelihoods). A framewise classifier's log posteriors log p(q | x_t), divided by the
 * phone priors p(q), stand in for the emission densities: log b_(q,s)(x_t) := κ·(log p(q | x_t) − log p(q)) for every
 * state s of phone q (p(x_t | q) / p(x_t) by Bayes' rule; the frame's p(x_t) is the same for every path, so it changes
 * the score and not the best path). Transitions (self-loops), the phone loop, the bigram LM, the LM scale and the
 * insertion penalty are those of {@code decode.phone-loop}, so both decoders differ only in the acoustic scores.
 */
@Component(service = StageProvider.class)
@StageType(ScaledLoopStageProvider.TYPE)
public class ScaledLoopStageProvider implements StageProvider {
    static final String TYPE = "decode.phone-loop.scaled";
    private static final StageDescriptor DESCRIPTOR = StageDescriptor.builder(TYPE, StageRole.INFERENCE)
            .description("NN/HMM hybrid decoding with scaled likelihoods (Bourlard & Morgan): every state of phone q scores frame t "
                    + "with acousticScale * (log p(q | x_t) - log p(q)), the framewise classifier's log posterior minus the log "
                    + "prior of q (a phone with prior 0 is never recognised); then Viterbi over the phone loop of the wired "
                    + "phone models' transitions with the bigram phone LM, LM scale and insertion penalty exactly as "
                    + "decode.phone-loop (the models' emission is not used). Outputs transcriptions and predictions; metrics "
                    + "phoneErrorRate and frameAccuracy; writes decode-<stage>.txt.")
            .config(ConfigParam.number("acousticScale", 1.0, 0, 1000, "Scale kappa of the scaled log-likelihoods."))
            .config(ConfigParam.number("lmScale", 1.0, 0, 1000, "Language-model scale s: s * log P(q | p) (HVite -s)."))
            .config(ConfigParam.number("insertionPenalty", 0.0, -1e6, 1e6,
                    "Log-probability added per recognised phone (HVite -p); negative values give fewer, longer phones."))
            .config(ConfigParam.number("lmSmoothing", 1.0, 0, 1e6, "Add-k pseudocount of every allowed bigram (0 = maximum likelihood)."))
            .input(PortSpec.required("models", PhonePorts.PHONE_MODELS,
                    "Phone models (model.phone.hmm): their transitions and training transcripts; the emission is not used."))
            .input(PortSpec.required("posteriors", PortTypes.SEQUENCES,
                    "Per-frame log posteriors log p(q | x_t), one column per phone in the models' order (e.g. "
                            + "model.frame.classifier's posteriors); their frame labels, if complete, are the reference."))
            .input(PortSpec.required("priors", PortTypes.MATRIX, "1 x phones prior probabilities p(q) (e.g. model.frame.classifier's priors)."))
            .input(PortSpec.optional("lm", PortTypes.SEQUENCES,
                    "Utterances whose transcripts train the bigram LM; default: the models' training transcripts."))
            .input(PortSpec.optional("inference", PortTypes.CHAIN_INFERENCE, "Chain inference; default: the installed service."))
            .output(PortSpec.output("transcriptions", PortTypes.TRANSCRIPTIONS, "Recognised vs reference phone sequences per utterance."))
            .output(PortSpec.output("predictions", PortTypes.PREDICTIONS, "Recognised phone of every frame vs its label."))
            .build();

    private final ChainInference inference;

    @Activate
    public ScaledLoopStageProvider(@Reference ChainInference inference) {
        this.inference = inference;
    }

    @Override
    public StageDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Stage create(StageConfig c) {
        double acousticScale = c.getDouble("acousticScale");
        double lmScale = c.getDouble("lmScale");
        double penalty = c.getDouble("insertionPenalty");
        double k = c.getDouble("lmSmoothing");
        return (io, context) -> {
            PhoneModelSet models = io.input("models", PhonePorts.PHONE_MODELS);
            LabelledSequences post = io.input("posteriors", PortTypes.SEQUENCES);
            Matrix priors = io.input("priors", PortTypes.MATRIX);
            Optional<LabelledSequences> lmData = io.optionalInput("lm", PortTypes.SEQUENCES);
            ChainInference inf = io.optionalInput("inference", PortTypes.CHAIN_INFERENCE).orElse(inference);
            double[] logPrior = logPriors(models, priors);
            if (post.observations().dimension() != models.numPhones()) {
                throw new StageException(TYPE + ": the posteriors '" + post.name() + "' have " + post.observations().dimension()
                        + " columns, the models " + models.numPhones() + " phones " + PhoneLoopStageProvider.abbreviate(models.phones()));
            }
            PhoneLoopStageProvider.checkPhones(TYPE, models, post);
            List<int[]> lmTranscripts = models.trainingTranscripts();
            if (lmData.isPresent()) {
                PhoneLoopStageProvider.checkPhones(TYPE, models, lmData.get());
                try {
                    lmTranscripts = Transcripts.all(lmData.get());
                } catch (IllegalArgumentException e) {
                    throw new StageException(TYPE + ": lm: " + e.getMessage(), e);
                }
            }
            PhoneLoop loop = new PhoneLoop(models, new BigramLm(models.numPhones(), lmTranscripts, k), lmScale, penalty);
            SequenceBatch seqs = post.observations();
            PhoneLoopStageProvider.decodeAll(TYPE, models, loop, post, u -> scaledLikelihoods(models, seqs.sequence(u), logPrior, acousticScale),
                    inf, 1, io, context,
                    String.format(Locale.ROOT, "acoustic scale %s, LM scale %s, insertion penalty %s, add-%s bigram", acousticScale,
                            lmScale, penalty, k));
        };
    }

    /** log p(q) per phone; a phone of prior 0 gets −∞ (it had no training frames, so it is never recognised). */
    static double[] logPriors(PhoneModelSet models, Matrix priors) throws StageException {
        if (priors.rows() != 1 || priors.cols() != models.numPhones()) {
            throw new StageException(TYPE + ": priors must be 1 x " + models.numPhones() + " (one per phone), got " + priors.rows() + " x "
                    + priors.cols());
        }
        double[] out = new double[priors.cols()];
        double sum = 0;
        for (int q = 0; q < out.length; q++) {
            double p = priors.get(0, q);
            if (!(p >= 0) || Double.isInfinite(p)) {
                throw new StageException(TYPE + ": prior of phone " + models.phones().get(q) + " (column " + q + ") is " + p
                        + "; priors must be finite and non-negative");
            }
            sum += p;
            out[q] = Math.log(p);
        }
        if (!(sum > 0)) {
            throw new StageException(TYPE + ": every prior is 0");
        }
        return out;
    }

    /**
     * κ·(log p(q | x_t) − log p(q)) copied to every state of phone q: T × P·S. A non-finite posterior other than −∞
     * (a phone the classifier rules out) is an error naming the frame and phone.
     */
    static Matrix scaledLikelihoods(PhoneModelSet models, Matrix logPosteriors, double[] logPrior, double acousticScale) {
        int p = models.numPhones();
        int s = models.statesPerPhone();
        Matrix out = new Matrix(logPosteriors.rows(), p * s);
        double[] in = logPosteriors.data();
        double[] o = out.data();
        for (int t = 0; t < logPosteriors.rows(); t++) {
            for (int q = 0; q < p; q++) {
                double lp = in[t * p + q];
                if (Double.isNaN(lp) || lp == Double.POSITIVE_INFINITY) {
                    throw new IllegalArgumentException("frame " + t + ", phone " + models.phones().get(q) + ": log posterior " + lp);
                }
                double v = logPrior[q] == Double.NEGATIVE_INFINITY || lp == Double.NEGATIVE_INFINITY ? Double.NEGATIVE_INFINITY
                        : acousticScale * (lp - logPrior[q]);
                for (int i = 0; i < s; i++) {
                    o[t * p * s + q * s + i] = v;
                }
            }
        }
        return out;
    }
}
