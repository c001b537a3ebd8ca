package org.hybridbench.textcnn;

import java.util.List;

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
import org.hybridbench.dl4j.Dl4jReadiness;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Stage type {@code model.tagger.cnn}: the CNN tagger of Collobert et al. 2011 ({@link CnnEncoder}) under the wired
 * structured loss. The DL4J readiness service is held as service objects and only fetched when a run starts, so
 * listing stage types never loads ND4J's natives.
 */
@Component(service = StageProvider.class)
@StageType(CnnTaggerStageProvider.TYPE)
public class CnnTaggerStageProvider implements StageProvider {
    static final String TYPE = "model.tagger.cnn";
    static final StageDescriptor DESCRIPTOR = StageDescriptor.builder(TYPE, StageRole.TRAINER)
            .description("Convolutional POS tagger without hand-made features (Collobert et al. 2011, window approach) on DL4J: "
                    + "word (lower-cased, digits as 0), capitalisation and suffix embeddings, a 1-D convolution of width window "
                    + "over the sentence (learned padding), a non-linearity, per-position tag scores; trained end to end by "
                    + "back-propagating the wired loss's gradient: loss.crf = sentence-level likelihood (SLL), loss.softmax = "
                    + "word-level likelihood (WLL). Mini-batches of training.batchSize sentences for training.epochs passes with "
                    + "the wired optimizer (lookup tables, network and CRF scores alike); dev accuracy per epoch, checkpoints and "
                    + "resume, test token and OOV accuracy, throughput (tokens/s, loss time per sentence); writes "
                    + "model-<stage>.bin and predictions-<stage>.conll (word, reference, predicted).")
            .config(ConfigParam.integer("wordDim", 50L, 1, 1024, "Word embedding size."))
            .config(ConfigParam.integer("capsDim", 5L, 0, 256, "Capitalisation embedding size (0 = no capitalisation feature)."))
            .config(ConfigParam.integer("suffixDim", 10L, 1, 256, "Embedding size of each suffix feature."))
            .config(ConfigParam.string("suffixes", "2,3", "Suffix lengths, comma-separated (empty = no suffix features)."))
            .config(ConfigParam.integer("window", 5L, 1, 31, "Convolution width in tokens (odd)."))
            .config(ConfigParam.string("hidden", "300", "Hidden units per layer after the convolution, comma-separated."))
            .config(ConfigParam.choice("activation", "hardtanh", List.of("hardtanh", "tanh", "relu"),
                    "Non-linearity after the convolution (Collobert: hardtanh)."))
            .config(ConfigParam.number("dropout", 0.0, 0, 0.95, "Dropout rate on the last hidden layer during training."))
            .config(ConfigParam.integer("minCount", 1L, 1, 1_000_000, "Words seen fewer times in training are unknown."))
            .config(ConfigParam.number("unkRate", 0.5, 0, 1,
                    "Probability that a training token of a word seen once is replaced by the unknown word (teaches the unknown "
                            + "word's embedding; 0 = off)."))
            .config(ConfigParam.choice("precision", "float", List.of("float", "double"),
                    "Network arithmetic: float (fast) or double (for gradient checks)."))
            .config(ConfigParam.integer("decodeChunk", 256L, 1, 1_000_000, "Sentences per decoding batch."))
            .input(PortSpec.required("sentences", PortTypes.TAGGED_SENTENCES, "Training sentences."))
            .input(PortSpec.optional("dev", PortTypes.TAGGED_SENTENCES, "Development sentences: accuracy after every epoch."))
            .input(PortSpec.optional("test", PortTypes.TAGGED_SENTENCES, "Test sentences: final token and OOV accuracy."))
            .input(PortSpec.required("loss", PortTypes.STRUCTURED_LOSS,
                    "loss.crf (sentence-level likelihood; its transition, start and end scores are trained too) or loss.softmax "
                            + "(word-level likelihood), with tags = the training set's tag count."))
            .input(PortSpec.required("optimizer", PortTypes.OPTIMIZER, "A stochastic optimizer (optimizer.adam, .adagrad, .sgd)."))
            .output(PortSpec.output("predictions", PortTypes.PREDICTIONS,
                    "Decoded tags vs reference tags on the test set (on the training set without a test input)."))
            .build();

    private final ComponentServiceObjects<Dl4jReadiness> dl4j;

    @Activate
    public CnnTaggerStageProvider(@Reference ComponentServiceObjects<Dl4jReadiness> dl4j) {
        this.dl4j = dl4j;
    }

    @Override
    public StageDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Stage create(StageConfig c) throws StageException {
        CnnEncoder.Architecture arch;
        try {
            arch = new CnnEncoder.Architecture(c.getInt("wordDim"), c.getInt("capsDim"), c.getInt("suffixDim"),
                    ints(c.getString("suffixes"), "suffixes", 1, 10), c.getInt("window"), ints(c.getString("hidden"), "hidden", 1, 100_000),
                    c.getString("activation"), c.getDouble("dropout"), "double".equals(c.getString("precision")));
        } catch (IllegalArgumentException e) {
            throw new StageException(TYPE + ": " + e.getMessage(), e);
        }
        CnnTaggerStage stage = new CnnTaggerStage(arch, c.getInt("minCount"), c.getDouble("unkRate"), c.getInt("decodeChunk"));
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

    /** A comma-separated list of integers in [min, max]. */
    static int[] ints(String text, String field, int min, int max) throws StageException {
        String s = text.trim();
        if (s.isEmpty()) {
            return new int[0];
        }
        String[] parts = s.split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new StageException(TYPE + ": " + field + " entry " + i + " '" + parts[i].trim() + "' is not an integer (e.g. \"300\" "
                        + "or \"2,3\")");
            }
            if (out[i] < min || out[i] > max) {
                throw new StageException(TYPE + ": " + field + " entry " + i + " is " + out[i] + ", expected " + min + "…" + max);
            }
        }
        return out;
    }
}
