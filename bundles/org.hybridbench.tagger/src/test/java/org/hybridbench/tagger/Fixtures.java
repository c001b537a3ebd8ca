package org.hybridbench.tagger;

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
import org.hybridbench.api.model.Optimizer;
import org.hybridbench.api.model.StructuredLoss;
import org.hybridbench.chain.ChainEngine;
import org.hybridbench.crf.CrfLossStageProvider;
import org.hybridbench.crf.SoftmaxLossStageProvider;
import org.hybridbench.testing.FakeRunContext;
import org.hybridbench.testing.FakeStageIO;
import org.hybridbench.text.BrownStageProvider;

/** Shared test data and wiring: the real loss.crf and loss.softmax, optimizers and Brown fixture, without OSGi. */
final class Fixtures {
    private Fixtures() {
    }

    static StageConfig config(Map<String, Object> overrides) {
        Map<String, Object> v = new HashMap<>();
        for (ConfigParam c : FeatureCrfStageProvider.DESCRIPTOR.config()) {
            if (c.defaultValue() != null) {
                v.put(c.name(), c.defaultValue());
            }
        }
        v.putAll(overrides);
        return new StageConfig("tagger", v);
    }

    static StructuredLoss crf(Path dir, int tags) throws Exception {
        return crf(dir, tags, "");
    }

    /** loss.crf with structurally forbidden transitions ("from>to, …"). */
    static StructuredLoss crf(Path dir, int tags, String forbidden) throws Exception {
        FakeStageIO io = new FakeStageIO();
        new CrfLossStageProvider(new ChainEngine(ChainNumerics.LOG))
                .create(new StageConfig("crf", Map.of("tags", (long) tags, "init-scale", 0.0, "numerics", "log", "forbidden", forbidden)))
                .run(io, new FakeRunContext(dir, new TrainingRegime(1, 0, 1, 0)));
        return io.output("loss", PortTypes.STRUCTURED_LOSS);
    }

    /** loss.softmax: the word-level likelihood, no transitions. */
    static StructuredLoss softmax(Path dir, int tags) throws Exception {
        FakeStageIO io = new FakeStageIO();
        new SoftmaxLossStageProvider().create(new StageConfig("wll", Map.of("tags", (long) tags)))
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

    /**
     * A synthetic task over 3 tags D (determiner), N (noun), V (verb) from the grammar (D N V D N)+: determiners
     * are "the"/"a", nouns end in "-ion" or "-ness", verbs in "-ed" or "-s" after a noun; word stems are random,
     * so test sentences are mostly made of words never seen in training (learned through suffixes and context).
     */
    static TaggedSentences synthetic(String name, int sentences, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        String[] nounEnd = {"ion", "ness"};
        String[] verbEnd = {"ed", "s"};
        List<String[]> words = new ArrayList<>();
        List<int[]> tags = new ArrayList<>();
        for (int s = 0; s < sentences; s++) {
            int n = 1 + rng.nextInt(3);
            List<String> w = new ArrayList<>();
            List<Integer> t = new ArrayList<>();
            for (int c = 0; c < n; c++) {
                w.add(rng.nextBoolean() ? "the" : "a");
                t.add(0);
                w.add(stem(rng) + nounEnd[rng.nextInt(2)]);
                t.add(1);
                w.add(stem(rng) + verbEnd[rng.nextInt(2)]);
                t.add(2);
            }
            w.add(rng.nextBoolean() ? "the" : "a");
            t.add(0);
            w.add(stem(rng) + nounEnd[rng.nextInt(2)]);
            t.add(1);
            words.add(w.toArray(String[]::new));
            tags.add(t.stream().mapToInt(Integer::intValue).toArray());
        }
        return new TaggedSentences(name, "dnv", List.of("D", "N", "V"), words, tags, null, Map.of("source", "synthetic"));
    }

    private static String stem(SplittableRandom rng) {
        StringBuilder b = new StringBuilder();
        int len = 3 + rng.nextInt(3);
        for (int i = 0; i < len; i++) {
            b.append((char) ('b' + rng.nextInt(20)));
        }
        return b.toString();
    }

    record Run(FeatureCrfStage stage, FakeStageIO io, FakeRunContext context) {
    }

    static Run train(Path dir, TaggedSentences train, TaggedSentences test, Optimizer optimizer, TrainingRegime regime,
            Map<String, Object> config) throws Exception {
        return train(dir, train, test, crf(dir, train.tagCount()), optimizer, regime, config);
    }

    static Run train(Path dir, TaggedSentences train, TaggedSentences test, StructuredLoss loss, Optimizer optimizer,
            TrainingRegime regime, Map<String, Object> config) throws Exception {
        FakeStageIO io = new FakeStageIO().with("sentences", train).with("loss", loss).with("optimizer", optimizer);
        if (test != null) {
            io.with("test", test);
        }
        FeatureCrfStage stage = (FeatureCrfStage) new FeatureCrfStageProvider().create(config(config));
        FakeRunContext ctx = new FakeRunContext(dir, regime);
        stage.run(io, ctx);
        return new Run(stage, io, ctx);
    }
}
