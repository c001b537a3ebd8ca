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
import org.osgi.service.component.annotations.Component;

/**
 * Stage type {@code dataset.conll}: tagged sentences from a user's CoNLL-style file ({@code word<TAB>tag}, a blank
 * line between sentences; see {@link Conll}).
 */
@Component(service = StageProvider.class)
@StageType("dataset.conll")
public class ConllStageProvider implements StageProvider {
    static final String FILE_TAGS = "file";

    private static final StageDescriptor DESCRIPTOR = StageDescriptor.builder("dataset.conll", StageRole.DATASET)
            .description("Tagged sentences from a CoNLL-style file: word<TAB>tag per line, a blank line between sentences, "
                    + "UTF-8; malformed lines and unknown tags are reported with file and line.")
            .config(ConfigParam.string("path", null,
                    "The file; a relative path is resolved against the workspace (the parent of the data cache)."))
            .config(ConfigParam.choice("tagset", FILE_TAGS, List.of(FILE_TAGS, BrownTags.UNIVERSAL, BrownTags.BROWN87),
                    "file: the tags found in the file (sorted) are the tag set; universal or brown87: every tag must be one "
                            + "of that set (ids as in dataset.brown), any other tag is an error listing each unknown tag."))
            .config(ConfigParam.integer("limitSentences", 0L, 0, 100_000_000, "Keep only the first this many sentences; 0 keeps all."))
            .config(ConfigParam.bool("lowercase", false, "Lower-case every word (Locale.ROOT)."))
            .output(PortSpec.output("sentences", PortTypes.TAGGED_SENTENCES,
                    "The sentences; document = file name and line of the sentence's first token."))
            .build();

    @Override
    public StageDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Stage create(StageConfig config) {
        return new ConllStage(config.getString("path"), config.getString("tagset"), config.getInt("limitSentences"),
                config.getBoolean("lowercase"));
    }
}
