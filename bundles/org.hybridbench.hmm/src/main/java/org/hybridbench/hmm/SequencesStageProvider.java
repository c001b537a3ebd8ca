package org.hybridbench.hmm;

import java.nio.file.Files;
import java.nio.file.Path;
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
import org.hybridbench.api.model.LabelledSequences;
import org.osgi.service.component.annotations.Component;

/** Stage type {@code dataset.sequences}: sequences from a text file (format in {@link SequenceFiles}). */
@Component(service = StageProvider.class)
@StageType(SequencesStageProvider.TYPE)
public class SequencesStageProvider implements StageProvider {
    static final String TYPE = "dataset.sequences";
    private static final StageDescriptor DESCRIPTOR = StageDescriptor.builder(TYPE, StageRole.DATASET)
            .description("Reads sequences from a text file: one observation per line (values separated by commas or "
                    + "whitespace), blank lines between sequences, # comments, optionally the hidden state as the last "
                    + "column (? or - when unknown). A relative path is resolved in the workspace's data folder.")
            .config(ConfigParam.string("path", null, "The file; relative paths are resolved against the workspace data folder."))
            .config(ConfigParam.choice("states", "none", List.of("none", "last"),
                    "none: every column is an observation value; last: the last column is the hidden state."))
            .output(PortSpec.output("sequences", PortTypes.SEQUENCES, "The sequences, with their states when given."))
            .build();

    @Override
    public StageDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Stage create(StageConfig config) {
        String path = config.getString("path");
        boolean states = config.getString("states").equals("last");
        return (io, context) -> {
            Path p = Path.of(path);
            Path file = p.isAbsolute() ? p : context.dataCache().resolve(p);
            if (!Files.isRegularFile(file)) {
                throw new StageException(TYPE + ": no file " + file + (p.isAbsolute() ? "" : " (relative paths are resolved in "
                        + context.dataCache() + ")"));
            }
            LabelledSequences s = SequenceFiles.read(file, states);
            context.log(TYPE + ": " + s.size() + " sequence(s), " + s.observations().totalLength() + " positions of dimension "
                    + s.observations().dimension() + (s.states() != null ? ", with states" : "") + " from " + file + " (sha-256 "
                    + s.provenance().get("sha256") + ")");
            io.output("sequences", PortTypes.SEQUENCES, s);
        };
    }
}
