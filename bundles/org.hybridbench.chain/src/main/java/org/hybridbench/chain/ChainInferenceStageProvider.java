package org.hybridbench.chain;

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
import org.hybridbench.api.model.ChainNumerics;
import org.osgi.service.component.annotations.Component;

/** Stage type {@code inference.chain}: provides exact chain inference to HMM and CRF stages through a port. */
@Component(service = StageProvider.class)
@StageType("inference.chain")
public class ChainInferenceStageProvider implements StageProvider {
    private static final StageDescriptor DESCRIPTOR = StageDescriptor.builder("inference.chain", StageRole.INFERENCE)
            .description("Exact inference over linear chains of log-potentials: log Z and marginals (forward-backward), "
                    + "Viterbi, n-best paths, forward-filter backward-sample; one dynamic program in several semirings. "
                    + "Wire its output into an HMM or CRF stage.")
            .config(ConfigParam.choice("numerics", "scaled", List.of("scaled", "log", "verify"),
                    "Forward-backward in probability space with per-position scaling (Rabiner 1989, fast), in log space "
                            + "(any magnitude of scores), or both, returning the log-space result with the largest "
                            + "disagreement."))
            .config(ConfigParam.integer("threads", 0L, 0, 1024,
                    "Threads for batches of sequences; 0 = one per available processor. Results do not depend on it."))
            .output(PortSpec.output("inference", PortTypes.CHAIN_INFERENCE, "The configured chain inference."))
            .build();

    @Override
    public StageDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Stage create(StageConfig config) {
        ChainNumerics numerics = ChainNumerics.fromName(config.getString("numerics"));
        int t = config.getInt("threads");
        int threads = t > 0 ? t : Runtime.getRuntime().availableProcessors();
        ChainEngine engine = new ChainEngine(numerics, threads);
        return (io, context) -> {
            io.output("inference", PortTypes.CHAIN_INFERENCE, engine);
            context.log("inference.chain: " + numerics.name().toLowerCase(java.util.Locale.ROOT) + " numerics, " + threads
                    + " thread(s)");
        };
    }
}
