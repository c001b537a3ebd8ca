package org.hybridbench.phone;

import java.util.List;

import org.hybridbench.api.ConfigParam;
import org.hybridbench.api.PortSpec;
import org.hybridbench.api.PortTypes;
import org.hybridbench.api.Stage;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageDescriptor;
import org.hybridbench.api.StageProvider;
import org.hybridbench.api.StageRole;
import org.hybridbench.api.StageType;
import org.hybridbench.api.model.ChainInference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Stage type {@code model.hybrid.e2e}: the NN + HMM hybrid trained end to end through forward-backward ({@link HybridE2eStage}). */
@Component(service = StageProvider.class)
@StageType(HybridE2eStageProvider.TYPE)
public class HybridE2eStageProvider implements StageProvider {
    static final String TYPE = "model.hybrid.e2e";
    private static final StageDescriptor DESCRIPTOR = StageDescriptor.builder(TYPE, StageRole.TRAINER)
            .description("NN + HMM hybrid trained end to end (Bengio et al. 1992, the seed lecture's section 2.1): the wired network "
                    + "maps spliced standardised frames to features Y_t (normalised per utterance and dimension, see 'normalize'), "
                    + "phone HMMs (statesPerPhone left-to-right states, emission = the wired emission model on Y) give "
                    + "J = log p(Y | transcript's HMM) by forward-backward (criterion transcript) or log p(S, Y) along the frame labels' "
                    + "alignment (criterion labels); dJ/dY_t = sum_i gamma_t(i) dlog b_i(Y_t)/dY_t is back-propagated into the "
                    + "network (the optimizer minimises -J per frame), the emission is re-estimated by EM on the final features of "
                    + "every epoch (emissionUpdate = em) or trained with the network by gradient (gradient), self-loops by EM. Metrics "
                    + "per epoch: logLikelihoodPerFrame, dev log-likelihood, dev phone error rate and frame accuracy by the phone "
                    + "loop. Outputs phone models on Y for decode.phone-loop and the transformed train/dev/test sequences; writes "
                    + "model-<stage>.json (the HMMs and the emission; the network's parameters are not saved).")
            .config(ConfigParam.integer("statesPerPhone", 3L, 1, 20, "Emitting states S of every phone model."))
            .config(ConfigParam.integer("context", 5L, 0, 50, "Frames of context either side spliced into the network's input."))
            .config(ConfigParam.choice("criterion", "transcript", List.of("transcript", "labels", "mmi"),
                    "transcript: J = log p(Y | transcript's HMM), every alignment (forward-backward); labels: J = log p(S, Y) with S the "
                            + "frame labels' phone segments cut into S equal parts; mmi: log p(Y | transcript's HMM) - log p(Y | phone loop "
                            + "with the bigram LM, lmScale, insertionPenalty), maximum mutual information (no degenerate maximum)."))
            .config(ConfigParam.choice("normalize", "utterance", List.of("utterance", "none"),
                    "utterance: Y = (Z - mean) / sqrt(variance + 1e-5) per dimension over each utterance, so the features cannot "
                            + "shrink to make densities blow up (the degenerate maximum of a learned-feature likelihood); none: Y = Z "
                            + "(degenerate; only the emission's variance floor bounds J)."))
            .config(ConfigParam.choice("emissionUpdate", "em", List.of("em", "gradient"),
                    "em: after each epoch's network updates, one EM step of the emission on the new features; gradient: the "
                            + "emission's parameters are updated by the optimizer with the network's (the seed), no M-step."))
            .config(ConfigParam.integer("initRounds", 3L, 1, 100,
                    "Emission M-steps on the label segmentation of the initial network's features."))
            .config(ConfigParam.choice("shortUtterances", "skip", List.of("skip", "error"), PhoneHmmStageProvider.SHORT_UTTERANCES))
            .config(ConfigParam.integer("utterancesPerStep", 4L, 1, 100_000, "Utterances whose gradients make one optimizer step."))
            .config(ConfigParam.number("lmScale", 1.0, 0, 1000, "LM scale of the per-epoch dev decoding (phone loop, bigram LM) and of the MMI denominator."))
            .config(ConfigParam.number("insertionPenalty", 0.0, -1e6, 1e6, "Insertion penalty of the per-epoch dev decoding and of the MMI denominator."))
            .input(PortSpec.required("sequences", PortTypes.SEQUENCES, "Training utterances, every frame labelled with its phone."))
            .input(PortSpec.optional("dev", PortTypes.SEQUENCES, "Labelled utterances for the per-epoch metrics."))
            .input(PortSpec.optional("test", PortTypes.SEQUENCES, "Utterances to transform for decoding (output 'test')."))
            .input(PortSpec.required("network", PortTypes.NETWORK,
                    "The network from spliced frames to features (e.g. encoder.mlp with outputs = the emission's dimension)."))
            .input(PortSpec.required("emission", PortTypes.EMISSION_MODEL,
                    "Emission on the features with phones x statesPerPhone states (e.g. emission.gmm, init = random, dimension = "
                            + "the network's outputs); started from the label segmentation."))
            .input(PortSpec.required("optimizer", PortTypes.OPTIMIZER, "Stochastic optimizer (e.g. optimizer.adam)."))
            .input(PortSpec.optional("inference", PortTypes.CHAIN_INFERENCE, "Chain inference; default: the installed service."))
            .output(PortSpec.output("models", PhonePorts.PHONE_MODELS, "Phone models on the learned features, for decode.phone-loop."))
            .output(PortSpec.output("model", PortTypes.EMISSION_MODEL, "The trained emission model."))
            .output(PortSpec.output("train", PortTypes.SEQUENCES, "The training utterances' learned features (labels kept)."))
            .output(PortSpec.output("dev", PortTypes.SEQUENCES, "The dev utterances' learned features (when 'dev' is wired)."))
            .output(PortSpec.output("test", PortTypes.SEQUENCES, "The test utterances' learned features (when 'test' is wired)."))
            .build();

    private final ChainInference inference;

    @Activate
    public HybridE2eStageProvider(@Reference ChainInference inference) {
        this.inference = inference;
    }

    @Override
    public StageDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Stage create(StageConfig c) {
        return new HybridE2eStage(inference, c.getInt("statesPerPhone"), c.getInt("context"),
                HybridObjective.Criterion.fromConfig(c.getString("criterion")), c.getString("normalize").equals("utterance"),
                c.getString("emissionUpdate").equals("gradient"), c.getInt("initRounds"), c.getInt("utterancesPerStep"),
                c.getDouble("lmScale"), c.getDouble("insertionPenalty"), c.getString("shortUtterances"));
    }
}
