package org.hybridbench.textcnn;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.hybridbench.api.ConfigParam;
import org.hybridbench.api.PortTypes;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.TrainingRegime;
import org.hybridbench.api.data.TaggedSentences;
import org.hybridbench.api.model.ChainNumerics;
import org.hybridbench.api.model.StructuredLoss;
import org.hybridbench.chain.ChainEngine;
import org.hybridbench.crf.CrfLossStageProvider;
import org.hybridbench.testing.FakeRunContext;
import org.hybridbench.testing.FakeStageIO;
import org.hybridbench.text.BrownStageProvider;

/** Test wiring: the real loss.crf, chain program, optimizers and Brown fixture, without OSGi. */
final class Fixtures {
    private Fixtures() {
    }

    static StageConfig config(Map<String, Object> overrides) {
        Map<String, Object> v = new HashMap<>();
        for (ConfigParam c : CnnTaggerStageProvider.DESCRIPTOR.config()) {
            if (c.defaultValue() != null) {
                v.put(c.name(), c.defaultValue());
            }
        }
        v.putAll(overrides);
        return new StageConfig("tagger", v);
    }

    static StructuredLoss crf(Path dir, int tags, double initScale) throws Exception {
        FakeStageIO io = new FakeStageIO();
        new CrfLossStageProvider(new ChainEngine(ChainNumerics.LOG))
                .create(new StageConfig("crf", Map.of("tags", (long) tags, "init-scale", initScale, "numerics", "log", "forbidden", "")))
                .run(io, new FakeRunContext(dir, new TrainingRegime(1, 0, 1, 0)));
        return io.output("loss", PortTypes.STRUCTURED_LOSS);
    }

    static TaggedSentences brown(Path dir, String split, int limit) throws Exception {
        FakeStageIO io = new FakeStageIO();
        new BrownStageProvider().create(new StageConfig("brown", Map.of("tagset", "universal", "split", split, "limitSentences",
                (long) limit, "source", "fixture", "lowercase", false)))
                .run(io, new FakeRunContext(dir, new TrainingRegime(1, 0, 1, 0)));
        return io.output("sentences", PortTypes.TAGGED_SENTENCES);
    }

    /** Random sentences over a small vocabulary with mixed case, digits and 3 tags (for gradient checks). */
    static TaggedSentences random(int sentences, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        String[] vocab = {"the", "The", "cat", "CATS", "ran", "running", "1984", "a", "dog", "Dogs", "sat", "on", "mat", "-", "eMail"};
        List<String[]> words = new ArrayList<>();
        List<int[]> tags = new ArrayList<>();
        for (int s = 0; s < sentences; s++) {
            int n = 1 + rng.nextInt(6);
            String[] w = new String[n];
            int[] t = new int[n];
            for (int i = 0; i < n; i++) {
                w[i] = vocab[rng.nextInt(vocab.length)];
                t[i] = rng.nextInt(3);
            }
            words.add(w);
            tags.add(t);
        }
        return new TaggedSentences("random", "abc", List.of("A", "B", "C"), words, tags, null, Map.of("source", "random"));
    }
}
