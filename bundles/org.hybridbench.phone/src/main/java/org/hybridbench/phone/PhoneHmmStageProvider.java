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

/** Stage type {@code model.phone.hmm}: left-to-right phone HMMs trained by embedded Baum-Welch ({@link PhoneHmmStage}). */
@Component(service = StageProvider.class)
@StageType(PhoneHmmStageProvider.TYPE)
public class PhoneHmmStageProvider implements StageProvider {
    static final String SHORT_UTTERANCES = "An utterance with fewer frames than its transcript's HMM has states cannot be aligned: "
            + "skip (leave it out, naming it in the log) or error (fail naming it).";
    static final String TYPE = "model.phone.hmm";
    private static final StageDescriptor DESCRIPTOR = StageDescriptor.builder(TYPE, StageRole.TRAINER)
            .description("Trains one left-to-right HMM per phone (statesPerPhone states, self-loop + next) by embedded "
                    + "Baum-Welch (HTK HERest): each utterance's HMM is its transcript's phone models end to end, the transcript "
                    + "being the frame labels with runs collapsed; frame boundaries are not used after the start. The wired "
                    + "emission model has phones x statesPerPhone states (state p*S+s emits for phone p, state s) and is trained "
                    + "in place. At most training.epochs iterations; metrics logLikelihood and logLikelihoodPerFrame per "
                    + "iteration; checkpoints every training.checkpointEvery updates and resumes; writes model-<stage>.json.")
            .config(ConfigParam.integer("statesPerPhone", 3L, 1, 20, "Emitting states S of every phone model (HTK: 3)."))
            .config(ConfigParam.choice("init", "labels", List.of("labels", "flat"),
                    "labels: each labelled phone segment cut into S equal parts, one per state; flat: each utterance cut into "
                            + "equal parts, one per state of its transcript (no boundaries used at all). Then initRounds "
                            + "emission M-steps on that segmentation and self-loops from its segment lengths, kept in [0.1, 0.95]."))
            .config(ConfigParam.integer("initRounds", 3L, 1, 100,
                    "Emission M-steps on the fixed starting segmentation (more than 1 lets mixtures settle)."))
            .config(ConfigParam.number("tolerance", 1e-4, 0, Double.MAX_VALUE,
                    "Stop when the log-likelihood changes by less than this per frame; 0 runs all training.epochs iterations."))
            .config(ConfigParam.integer("threads", 0L, 0, 1024, "Utterances in forward-backward at a time; 0 = one per processor."))
            .config(ConfigParam.choice("shortUtterances", "skip", List.of("skip", "error"), SHORT_UTTERANCES))
            .input(PortSpec.required("sequences", PortTypes.SEQUENCES,
                    "Training utterances; every frame labelled with its phone (the state names are the phones)."))
            .input(PortSpec.required("emission", PortTypes.EMISSION_MODEL,
                    "Emission model with phones x statesPerPhone states, e.g. emission.gmm (trained in place)."))
            .input(PortSpec.optional("inference", PortTypes.CHAIN_INFERENCE,
                    "Chain inference to use (e.g. inference.chain with other numerics); default: the installed service."))
            .output(PortSpec.output("models", PhonePorts.PHONE_MODELS, "The trained phone models (and their training transcripts)."))
            .output(PortSpec.output("model", PortTypes.EMISSION_MODEL, "The trained emission model."))
            .build();

    private final ChainInference inference;

    @Activate
    public PhoneHmmStageProvider(@Reference ChainInference inference) {
        this.inference = inference;
    }

    @Override
    public StageDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Stage create(StageConfig c) {
        int threads = c.getInt("threads") > 0 ? c.getInt("threads") : Runtime.getRuntime().availableProcessors();
        return new PhoneHmmStage(inference, c.getInt("statesPerPhone"), EmbeddedTrainer.Init.fromConfig(c.getString("init")),
                c.getInt("initRounds"), c.getDouble("tolerance"), threads, c.getString("shortUtterances"));
    }
}
