package org.hybridbench.tagger;

import org.hybridbench.api.ConfigParam;
import org.hybridbench.api.PortSpec;
import org.hybridbench.api.PortTypes;
import org.hybridbench.api.Stage;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageDescriptor;
import org.hybridbench.api.StageProvider;
import org.hybridbench.api.StageRole;
import org.hybridbench.api.StageType;
import org.osgi.service.component.annotations.Component;

/** Stage type {@code model.crf.features}: a feature-based CRF (or, with loss.softmax, max-ent) tagger ({@link FeatureCrfStage}). */
@Component(service = StageProvider.class)
@StageType(FeatureCrfStageProvider.TYPE)
public class FeatureCrfStageProvider implements StageProvider {
    static final String TYPE = "model.crf.features";
    static final StageDescriptor DESCRIPTOR = StageDescriptor.builder(TYPE, StageRole.TRAINER)
            .description("Feature-based tagger, a linear-chain CRF (MALLET-style) or a per-token max-ent model: binary "
                    + "features of the word and its left and right neighbours (lower-cased identity, prefixes and suffixes "
                    + "of 1-4 characters, word shape, capitalisation/digit/hyphen flags), dictionary-indexed from the "
                    + "training sentences; unary scores W·φ(x_t) computed sparsely, fed to the wired loss: loss.crf "
                    + "(linear-chain CRF, Viterbi decoding honouring its forbidden transitions) or loss.softmax (per-token "
                    + "maximum entropy, argmax decoding). Minimises Σ sentence loss + l2/2 ‖θ‖². With training.batchSize 0 "
                    + "the optimizer's minimize runs over the full batch (L-BFGS), one iteration per training.epochs; with "
                    + "batchSize > 0 stochastic steps on mini-batches for training.epochs passes. Metrics per iteration, "
                    + "train accuracy every accuracyEvery iterations, checkpoints every training.checkpointEvery; test "
                    + "token and OOV accuracy; writes model-<stage>.json.")
            .config(ConfigParam.number("l2", 0.1, 0, 1e6,
                    "L2 penalty λ on W and the loss's own scores, e.g. a CRF's transitions (λ/2 ‖θ‖², on the summed loss; "
                            + "MALLET's Gaussian prior variance 10 = 0.1)."))
            .config(ConfigParam.integer("minCount", 1L, 1, 1_000_000, "Keep a feature when it occurs at least this often in training."))
            .config(ConfigParam.integer("accuracyEvery", 5L, 0, 1_000_000,
                    "Report train accuracy every this many iterations (and at the end); 0 only at the end."))
            .config(ConfigParam.number("tolerance", 1e-4, 0, 1e12,
                    "Full batch: stop when the gradient norm is at most this (relative to the token count)."))
            .config(ConfigParam.integer("chunks", 0L, 0, 4096,
                    "Parallel chunks per evaluation (batched CRF calls); 0 = 4 per processor."))
            .input(PortSpec.required("sentences", PortTypes.TAGGED_SENTENCES, "Training sentences."))
            .input(PortSpec.optional("test", PortTypes.TAGGED_SENTENCES, "Test sentences (same tag set) for evaluation."))
            .input(PortSpec.required("loss", PortTypes.STRUCTURED_LOSS,
                    "loss.crf (its blocks crf.transition, crf.start, crf.end are trained along with W) or loss.softmax "
                            + "(no parameters: a per-token max-ent tagger); predictions are the loss's decoding."))
            .input(PortSpec.required("optimizer", PortTypes.OPTIMIZER, "optimizer.lbfgs (full batch) or a stochastic optimizer."))
            .output(PortSpec.output("predictions", PortTypes.PREDICTIONS,
                    "Token-level decoded tags (the loss's decode: Viterbi for loss.crf) vs reference tags on the test set (on the training set without a test input)."))
            .build();

    @Override
    public StageDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Stage create(StageConfig c) {
        int chunks = c.getInt("chunks") > 0 ? c.getInt("chunks") : 4 * Runtime.getRuntime().availableProcessors();
        return new FeatureCrfStage(c.getDouble("l2"), c.getInt("minCount"), c.getInt("accuracyEvery"), c.getDouble("tolerance"),
                chunks);
    }
}
