package org.hybridbench.crf;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

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
import org.hybridbench.api.model.ChainInference;
import org.hybridbench.api.model.ChainNumerics;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Stage type {@code loss.crf}: a linear-chain CRF (learned transition, start and end scores; sentence-level
 * log-likelihood) as a structured loss component for a trainer that feeds it an encoder's unary scores.
 */
@Component(service = StageProvider.class)
@StageType("loss.crf")
public class CrfLossStageProvider implements StageProvider {
    static final StageDescriptor DESCRIPTOR = StageDescriptor.builder("loss.crf", StageRole.LOSS)
            .description("Linear-chain CRF on the chain-inference dynamic program: learned transition, start and end scores, "
                    + "sentence-level log-likelihood loss log Z − score(gold) with gradient γ − onehot(gold) for the encoder's "
                    + "unary scores (Collobert et al. 2011); Viterbi, n-best and constrained decoding, marginals, confidence "
                    + "and entropy.")
            .config(ConfigParam.integer("tags", null, 1, 100_000, "Number of tags K (columns of the encoder's scores)."))
            .config(ConfigParam.number("init-scale", 0.0, 0, 10,
                    "Standard deviation of the initial transition, start and end scores (0 = all zero, the uniform chain)."))
            .config(ConfigParam.choice("numerics", "log", List.of("scaled", "log", "verify"),
                    "Forward-backward numerics: log space (exact for CRF scores of any magnitude), scaled (faster; falls back "
                            + "to log space when scores spread over more than ~700 nats), or both with the disagreement."))
            .config(ConfigParam.string("forbidden", "",
                    "Structurally impossible transitions, never learned: comma-separated from>to tag indices, e.g. \"0>2, 1>2\"."))
            .input(PortSpec.optional("inference", PortTypes.CHAIN_INFERENCE,
                    "Chain inference to use; default: the installed ChainInference service."))
            .output(PortSpec.output("loss", PortTypes.STRUCTURED_LOSS,
                    "The CRF as a StructuredLoss (port type structured-loss); its parameters are the blocks crf.transition, "
                            + "crf.start, crf.end."))
            .build();

    private final ChainInference inference;

    @Activate
    public CrfLossStageProvider(@Reference ChainInference inference) {
        this.inference = inference;
    }

    @Override
    public StageDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Stage create(StageConfig config) throws StageException {
        int tags = config.getInt("tags");
        double scale = config.getDouble("init-scale");
        ChainNumerics numerics = ChainNumerics.fromName(config.getString("numerics"));
        int[][] forbidden = parseForbidden(config.getString("forbidden"), tags);
        return (io, context) -> {
            ChainInference chain = io.optionalInput("inference", PortTypes.CHAIN_INFERENCE).orElse(inference).withNumerics(numerics);
            LinearChainCrf crf = new LinearChainCrf(tags, chain);
            for (int[] f : forbidden) {
                crf.forbidTransition(f[0], f[1]);
            }
            if (scale > 0) {
                crf.initialize(new SplittableRandom(context.stageSeed()), scale);
            }
            io.output("loss", PortTypes.STRUCTURED_LOSS, crf);
            context.log("loss.crf: " + tags + " tags, " + forbidden.length + " forbidden transition(s), "
                    + numerics.name().toLowerCase(Locale.ROOT) + " numerics");
        };
    }

    static int[][] parseForbidden(String text, int tags) throws StageException {
        String s = text.trim();
        if (s.isEmpty()) {
            return new int[0][];
        }
        String[] parts = s.split(",");
        int[][] out = new int[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].trim();
            String[] ft = p.split(">");
            try {
                if (ft.length != 2) {
                    throw new NumberFormatException();
                }
                int from = Integer.parseInt(ft[0].trim());
                int to = Integer.parseInt(ft[1].trim());
                if (from < 0 || from >= tags || to < 0 || to >= tags) {
                    throw new StageException("loss.crf: forbidden transition '" + p + "' names a tag outside [0, " + tags + ")");
                }
                out[i] = new int[] {from, to};
            } catch (NumberFormatException e) {
                throw new StageException("loss.crf: forbidden transition '" + p + "' is not of the form from>to (tag indices)");
            }
        }
        return out;
    }
}
