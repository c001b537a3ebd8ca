package org.hybridbench.api;

import org.hybridbench.api.data.Dataset;
import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.data.TaggedSentences;
import org.hybridbench.api.model.ChainInference;
import org.hybridbench.api.model.DifferentiableNetwork;
import org.hybridbench.api.model.EmissionModel;
import org.hybridbench.api.model.LabelledSequences;
import org.hybridbench.api.model.Optimizer;
import org.hybridbench.api.model.Predictions;
import org.hybridbench.api.model.StructuredLoss;
import org.hybridbench.api.model.Transcriptions;

/** The port types shared by the workbench's own families; third-party types are declared with {@link PortType#of}. */
public final class PortTypes {
    private PortTypes() {
    }

    /** A labelled (or unlabelled) data set of fixed-length feature vectors. */
    public static final PortType<Dataset> DATASET = PortType.of("dataset", Dataset.class);
    /** A dense matrix, e.g. projection weights or scores. */
    public static final PortType<Matrix> MATRIX = PortType.of("matrix", Matrix.class);
    /** An emission model p(y | state). */
    public static final PortType<EmissionModel> EMISSION_MODEL = PortType.of("emission-model", EmissionModel.class);
    /** An optimizer that updates parameter blocks. */
    public static final PortType<Optimizer> OPTIMIZER = PortType.of("optimizer", Optimizer.class);
    /** Predicted labels (or cluster assignments) for the rows of a data set, with the reference labels. */
    public static final PortType<Predictions> PREDICTIONS = PortType.of("predictions", Predictions.class);
    /** Exact inference over linear chains (forward-backward, Viterbi, n-best, sampling), for HMMs and CRFs. */
    public static final PortType<ChainInference> CHAIN_INFERENCE = PortType.of("chain-inference", ChainInference.class);
    /** Sequences of observation vectors, optionally with the hidden state of each position. */
    public static final PortType<LabelledSequences> SEQUENCES = PortType.of("sequences", LabelledSequences.class);
    /** Sentences of words with one tag id per word and the tag set's names (e.g. part-of-speech tagged text). */
    public static final PortType<TaggedSentences> TAGGED_SENTENCES = PortType.of("tagged-sentences", TaggedSentences.class);
    /** Recognised symbol sequences per utterance with references (recogniser output, error-rate metrics). */
    public static final PortType<Transcriptions> TRANSCRIPTIONS = PortType.of("transcriptions", Transcriptions.class);
    /** A trainable network (encoder, decoder, acoustic model): forward rows, back-propagate an external error. */
    public static final PortType<DifferentiableNetwork> NETWORK = PortType.of("network", DifferentiableNetwork.class);
    /** A structured loss: scores in, loss and gradient out (a CRF, an HMM used as a loss). */
    public static final PortType<StructuredLoss> STRUCTURED_LOSS = PortType.of("structured-loss", StructuredLoss.class);
}
