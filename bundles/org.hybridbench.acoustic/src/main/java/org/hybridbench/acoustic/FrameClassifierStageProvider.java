package org.hybridbench.acoustic;

import org.hybridbench.api.ConfigParam;
import org.hybridbench.api.PortSpec;
import org.hybridbench.api.PortTypes;
import org.hybridbench.api.Stage;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageDescriptor;
import org.hybridbench.api.StageProvider;
import org.hybridbench.api.StageRole;
import org.hybridbench.api.StageType;
import org.hybridbench.dl4j.Dl4jReadiness;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Stage type {@code model.frame.classifier}: a framewise phone classifier (no HMM), the non-hybrid baseline of issue
 * 5, training the wired network ({@code encoder.mlp}) under the wired per-frame loss. The DL4J readiness service is
 * held as service objects and only fetched when a run starts, so listing stage types never loads ND4J's natives.
 */
@Component(service = StageProvider.class)
@StageType(FrameClassifierStageProvider.TYPE)
public class FrameClassifierStageProvider implements StageProvider {
    static final String TYPE = "model.frame.classifier";
    static final StageDescriptor DESCRIPTOR = StageDescriptor.builder(TYPE, StageRole.TRAINER)
            .description("Framewise classifier of labelled frames (e.g. phones of dataset.speech), no HMM: every frame with context "
                    + "frames either side (edge frames repeated at utterance ends), standardised per feature with the training "
                    + "frames' mean and deviation, is scored by the wired network and trained under the wired per-frame loss "
                    + "(loss.softmax: framewise cross-entropy) with the wired optimizer, in shuffled mini-batches of "
                    + "training.batchSize frames (default 256). Per epoch: loss, training and dev frame accuracy; checkpoints and "
                    + "resume. Outputs the argmax frame labels (predictions), per utterance those labels with runs collapsed as the "
                    + "recognised phones vs the collapsed reference labels (transcriptions), per-frame log posteriors (log softmax of "
                    + "the scores) and the state priors of the training labels, for a later hybrid that divides by them; writes "
                    + "model-<stage>.bin and priors-<stage>.json.")
            .config(ConfigParam.integer("context", 5L, 0, 50,
                    "Frames of context either side spliced into each input row (5: 11 frames x 39 features = 429 inputs)."))
            .config(ConfigParam.integer("minRun", 1L, 1, 100,
                    "Transcriptions: argmax runs shorter than this many frames are dropped before collapsing (1 = keep all)."))
            .config(ConfigParam.integer("decodeChunk", 4096L, 1, 1_000_000, "Frames per forward pass when scoring dev and test."))
            .input(PortSpec.required("sequences", PortTypes.SEQUENCES, "Training frames, every one labelled (e.g. dataset.speech train)."))
            .input(PortSpec.optional("dev", PortTypes.SEQUENCES, "Development frames: frame accuracy and loss after every epoch."))
            .input(PortSpec.optional("test", PortTypes.SEQUENCES,
                    "Test frames, scored at the end (labelled: accuracy and phone error rate; without it the training frames are)."))
            .input(PortSpec.required("network", PortTypes.NETWORK,
                    "The network to train (encoder.mlp; its input and, with outputs = 0, output sizes are set here)."))
            .input(PortSpec.required("loss", PortTypes.STRUCTURED_LOSS,
                    "A per-frame loss with tags = the number of states: loss.softmax (each frame is a sequence of length 1)."))
            .input(PortSpec.required("optimizer", PortTypes.OPTIMIZER, "A stochastic optimizer (optimizer.adam, .adagrad, .sgd)."))
            .output(PortSpec.output("predictions", PortTypes.PREDICTIONS,
                    "Argmax frame labels vs reference labels of the test frames (of the training frames without a test input)."))
            .output(PortSpec.output("transcriptions", PortTypes.TRANSCRIPTIONS,
                    "Per utterance: argmax frame labels with runs collapsed (after minRun) vs reference labels collapsed."))
            .output(PortSpec.output("posteriors", PortTypes.SEQUENCES,
                    "Per-frame log posteriors log p(state | frames) of the scored set (K values per frame), with its labels."))
            .output(PortSpec.output("priors", PortTypes.MATRIX, "1 x K state priors: relative frequencies of the training labels."))
            .output(PortSpec.output("network", PortTypes.NETWORK,
                    "The trained network (the wired object, trained in place): frames spliced and standardised as here -> K scores; "
                    + "e.g. the start of model.hybrid.e2e with the same context."))
            .build();

    private final ComponentServiceObjects<Dl4jReadiness> dl4j;

    @Activate
    public FrameClassifierStageProvider(@Reference ComponentServiceObjects<Dl4jReadiness> dl4j) {
        this.dl4j = dl4j;
    }

    @Override
    public StageDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Stage create(StageConfig c) {
        FrameClassifierStage stage = new FrameClassifierStage(c.getInt("context"), c.getInt("minRun"), c.getInt("decodeChunk"));
        return (io, context) -> {
            Dl4jReadiness ready = dl4j == null ? null : dl4j.getService(); // loads ND4J on first use in this JVM
            try {
                stage.run(io, context);
            } finally {
                if (ready != null) {
                    dl4j.ungetService(ready);
                }
            }
        };
    }
}
