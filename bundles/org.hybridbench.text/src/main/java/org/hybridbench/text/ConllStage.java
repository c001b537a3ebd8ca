package org.hybridbench.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import org.hybridbench.api.PortTypes;
import org.hybridbench.api.RunContext;
import org.hybridbench.api.Stage;
import org.hybridbench.api.StageException;
import org.hybridbench.api.StageIO;
import org.hybridbench.api.data.TaggedSentences;
import org.hybridbench.fetch.NpmPackFetcher;

/** One run of {@code dataset.conll}. */
final class ConllStage implements Stage {
    private final String path;
    private final String tagSet;
    private final int limit;
    private final boolean lowercase;

    ConllStage(String path, String tagSet, int limit, boolean lowercase) {
        this.path = path;
        this.tagSet = tagSet;
        this.limit = limit;
        this.lowercase = lowercase;
    }

    @Override
    public void run(StageIO io, RunContext context) throws Exception {
        Path p = Path.of(path);
        if (!p.isAbsolute()) {
            Path workspace = context.dataCache().toAbsolutePath().getParent();
            p = workspace == null ? p.toAbsolutePath() : workspace.resolve(p);
        }
        TaggedSentences out = load(p, tagSet, limit, lowercase);
        context.log(out.name() + ": " + out.size() + " sentences, " + out.totalTokens() + " tokens, " + out.tagCount() + " tags");
        context.metrics(0, Map.of("sentences", out.size(), "tokens", out.totalTokens(), "tags", out.tagCount()));
        io.output("sentences", PortTypes.TAGGED_SENTENCES, out);
    }

    static TaggedSentences load(Path file, String tagSet, int limit, boolean lowercase) throws StageException {
        if (!Files.isRegularFile(file)) {
            throw new StageException(file + ": no such file (dataset.conll reads word<TAB>tag lines)");
        }
        List<Conll.Sentence> sentences;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            sentences = Conll.read(file.toString(), in);
        } catch (CharacterCodingException e) {
            throw new StageException(file + ": not UTF-8 (" + e + ")", e);
        } catch (IOException e) {
            throw new StageException(file + ": unreadable (" + e + ")", e);
        }
        if (sentences.isEmpty()) {
            throw new StageException(file + ": no sentences (expected word<TAB>tag lines)");
        }
        if (limit > 0 && sentences.size() > limit) {
            sentences = sentences.subList(0, limit);
        }
        List<String> names;
        if (tagSet.equals(ConllStageProvider.FILE_TAGS)) {
            TreeSet<String> all = new TreeSet<>();
            sentences.forEach(s -> all.addAll(s.tags()));
            names = List.copyOf(all);
        } else {
            names = BrownTags.tagNames(tagSet);
            Map<String, String> unknown = Conll.unknownTags(file.toString(), sentences, names);
            if (!unknown.isEmpty()) {
                StringBuilder sb = new StringBuilder(file + ": " + unknown.size() + " tag(s) not in the " + tagSet + " tag set "
                        + names + ":");
                unknown.forEach((t, where) -> sb.append("\n  '").append(t).append("': ").append(where));
                throw new StageException(sb.toString());
            }
        }
        Map<String, Integer> ids = new java.util.HashMap<>();
        for (int t = 0; t < names.size(); t++) {
            ids.put(names.get(t), t);
        }
        List<String[]> words = new ArrayList<>(sentences.size());
        List<int[]> tags = new ArrayList<>(sentences.size());
        List<String> docs = new ArrayList<>(sentences.size());
        String fileName = file.getFileName().toString();
        for (Conll.Sentence s : sentences) {
            String[] w = s.words().toArray(new String[0]);
            if (lowercase) {
                for (int j = 0; j < w.length; j++) {
                    w[j] = w[j].toLowerCase(Locale.ROOT);
                }
            }
            int[] t = new int[w.length];
            for (int j = 0; j < t.length; j++) {
                t[j] = ids.get(s.tags().get(j));
            }
            words.add(w);
            tags.add(t);
            docs.add(fileName + ":" + s.line());
        }
        Map<String, String> provenance = new LinkedHashMap<>();
        provenance.put("source", "conll");
        provenance.put("file", file.toString());
        try {
            provenance.put("sha256", NpmPackFetcher.sha256(file));
        } catch (IOException e) {
            throw new StageException(file + ": unreadable (" + e + ")", e);
        }
        provenance.put("tagset", tagSet);
        provenance.put("lowercase", Boolean.toString(lowercase));
        if (limit > 0) {
            provenance.put("limitSentences", Integer.toString(limit));
        }
        String tagSetName = tagSet.equals(ConllStageProvider.FILE_TAGS) ? "file:" + fileName : tagSet;
        return new TaggedSentences("conll:" + fileName, tagSetName, names, words, tags, docs, provenance);
    }
}
