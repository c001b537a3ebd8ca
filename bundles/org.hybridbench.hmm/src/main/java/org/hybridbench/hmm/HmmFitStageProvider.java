package org.hybridbench.hmm;

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

/** Stage type {@code model.hmm.fit}: trains an HMM over the wired emission model ({@link HmmFitStage}). */
@Component(service = StageProvider.class)
@StageType(HmmFitStageProvider.TYPE)
public class HmmFitStageProvider implements StageProvider {
    static final String TYPE = "model.hmm.fit";
    private static final StageDescriptor DESCRIPTOR = StageDescriptor.builder(TYPE, StageRole.TRAINER)
            .description("Fits a hidden Markov model (initial distribution, transitions and the wired emission model) to "
                    + "sequences by Baum-Welch, Viterbi training, supervised counting, semi-supervised EM or gradient "
                    + "descent. At most training.epochs iterations; metrics per iteration (objective, log-likelihood, AIC, "
                    + "BIC); checkpoints every training.checkpointEvery iterations and resumes; writes model-<stage>.json.")
            .config(ConfigParam.choice("training", "baum-welch",
                    List.of("baum-welch", "viterbi", "supervised", "semi-supervised", "gradient"),
                    "baum-welch | viterbi | supervised (every position labelled) | semi-supervised (labelled positions "
                            + "clamped) | gradient (the wired optimizer, required then, on -log p / positions)."))
            .config(ConfigParam.choice("topology", "ergodic", List.of("ergodic", "left-to-right"),
                    "Initial transitions: ergodic (all allowed) or left-to-right (i -> i, i+1; zeros stay zero)."))
            .config(ConfigParam.number("selfTransition", 0.9, 0, 1, "Initial A_ii (the rest of the row spread over allowed moves)."))
            .config(ConfigParam.number("tolerance", 1e-6, 0, Double.MAX_VALUE,
                    "Stop when the objective changes by less than this per position; 0 runs all iterations."))
            .config(ConfigParam.number("initialPseudocount", 0.0, 0, 1e12, "Added to the expected count of each allowed initial state."))
            .config(ConfigParam.number("transitionPseudocount", 0.0, 0, 1e12, "Added to the expected count of each allowed transition."))
            .config(ConfigParam.integer("threads", 0L, 0, 1024, "Threads for emission densities; 0 = one per processor."))
            .input(PortSpec.required("sequences", PortTypes.SEQUENCES, "Training sequences (with states for (semi-)supervised)."))
            .input(PortSpec.required("emission", PortTypes.EMISSION_MODEL, "The emission model to train (changed in place)."))
            .input(PortSpec.optional("inference", PortTypes.CHAIN_INFERENCE,
                    "Chain inference to use (e.g. inference.chain with other numerics); default: the installed service."))
            .input(PortSpec.optional("optimizer", PortTypes.OPTIMIZER,
                    "Stochastic optimizer (optimizer.adam, .adagrad, .sgd) for training = gradient, where it is required; unused otherwise."))
            .output(PortSpec.output("hmm", HmmPorts.HMM, "The fitted HMM."))
            .output(PortSpec.output("model", PortTypes.EMISSION_MODEL, "The fitted emission model."))
            .build();

    private final ChainInference inference;

    @Activate
    public HmmFitStageProvider(@Reference ChainInference inference) {
        this.inference = inference;
    }

    @Override
    public StageDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Stage create(StageConfig c) {
        int threads = c.getInt("threads") > 0 ? c.getInt("threads") : Runtime.getRuntime().availableProcessors();
        return new HmmFitStage(inference, HmmTrainer.Method.fromConfig(c.getString("training")),
                c.getString("topology").equals("left-to-right"), c.getDouble("selfTransition"), c.getDouble("tolerance"),
                c.getDouble("initialPseudocount"), c.getDouble("transitionPseudocount"), threads);
    }
}
