package org.hybridbench.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.hybridbench.api.PortTypes;
import org.hybridbench.api.RunContext;
import org.hybridbench.api.Stage;
import org.hybridbench.api.StageException;
import org.hybridbench.api.StageIO;
import org.hybridbench.api.data.Dataset;
import org.hybridbench.fetch.NpmPackFetcher;

/** One run of {@code dataset.mnist}. */
final class MnistStage implements Stage {
    private final String split;
    private final int limit;
    private final String source;
    private final NpmPackFetcher fetcher;

    MnistStage(String split, int limit, String source, NpmPackFetcher fetcher) {
        this.split = split;
        this.limit = limit;
        this.source = source;
        this.fetcher = fetcher;
    }

    @Override
    public void run(StageIO io, RunContext context) throws Exception {
        Map<String, String> provenance = new LinkedHashMap<>();
        MnistDigits digits;
        if (source.equals("fixture")) {
            digits = IdxFixture.load();
            provenance.put("source", "fixture");
            provenance.put("derivedFrom", "npm " + MnistStageProvider.PACKAGE + "@" + MnistStageProvider.VERSION
                    + " (sha256 " + MnistStageProvider.SHA256 + "), first 50 digits of each class");
            provenance.put("file", IdxFixture.IMAGES);
            provenance.put("sha256", NpmPackFetcher.sha256(new java.io.ByteArrayInputStream(IdxFixture.resource(IdxFixture.IMAGES))));
        } else {
            Path dir = fetcher.ensureCached(context.dataCache(), context::log);
            digits = readPackage(dir);
            provenance.putAll(readProvenance(dir.resolve("provenance.json")));
        }
        provenance.put("split", split);
        provenance.put("splitRule", "digit i of each class (0-based, package order) is test iff i % 7 == 6");
        String name = "mnist-" + MnistStageProvider.VERSION + (source.equals("fixture") ? "-fixture" : "") + ":" + split;
        Dataset dataset = digits.toDataset(name, split, limit, provenance);
        context.log(name + ": " + dataset.size() + " digits of " + MnistDigits.PIXELS + " pixels" + (limit > 0 ? " (limit " + limit + ")" : ""));
        io.output("dataset", PortTypes.DATASET, dataset);
    }

    /** Parses the ten class files of a cached package directory. */
    static MnistDigits readPackage(Path dir) throws StageException {
        List<List<byte[]>> byClass = new ArrayList<>();
        for (int c = 0; c < MnistDigits.CLASSES; c++) {
            Path file = dir.resolve("package/src/digits/" + c + ".json");
            byte[] text;
            try {
                text = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new StageException(file + ": unreadable (" + e + "); delete " + dir + " to fetch it again", e);
            }
            byClass.add(MnistJson.parse(file.toString(), text));
        }
        return new MnistDigits(byClass);
    }

    /** The flat string fields of provenance.json (written by {@link NpmPackFetcher}). */
    static Map<String, String> readProvenance(Path file) throws StageException {
        try {
            Map<String, String> out = new LinkedHashMap<>();
            Matcher m = Pattern.compile("\"([^\"]+)\"\\s*:\\s*\"([^\"]*)\"").matcher(Files.readString(file));
            while (m.find()) {
                out.put(m.group(1), m.group(2));
            }
            return out;
        } catch (IOException e) {
            throw new StageException(file + ": unreadable (" + e + ")", e);
        }
    }
}
