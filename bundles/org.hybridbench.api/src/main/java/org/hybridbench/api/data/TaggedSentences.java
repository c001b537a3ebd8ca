package org.hybridbench.api.data;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Sentences of words with one tag per word (e.g. part-of-speech tagged text), for sequence labellers such as
 * CRFs. Sentence {@code i} has {@link #length(int)} words {@link #words(int)} and as many tag ids
 * {@link #tags(int)}, each an index into {@link #tagNames()}. Each sentence also names the document it came
 * from (a corpus file name, or a file path and line), so splits by document can be checked. The name of the tag
 * set (e.g. {@code universal}, {@code brown87}) and the provenance (source, version, sha-256, split) come
 * along, so a model can refuse data labelled with another tag set.
 *
 * <p>Immutable: the constructor copies what it is given, and accessors return copies or unmodifiable views.
 * Empty sentences are not allowed (a sentence has at least one word); an empty collection is.
 */
public final class TaggedSentences {
    private final String name;
    private final String tagSet;
    private final List<String> tagNames;
    private final String[] words;
    private final int[] tags;
    private final int[] offsets;
    private final String[] documents;
    private final Map<String, String> provenance;

    /**
     * @param name a name for messages and run records, e.g. {@code brown/universal/train}
     * @param tagSet the name of the tag set the ids refer to, e.g. {@code universal}
     * @param tagNames the tag names; tag id {@code t} is {@code tagNames.get(t)}; distinct
     * @param words per sentence its words (at least one each)
     * @param tags per sentence one tag id per word, in [0, tagNames.size())
     * @param documents per sentence the document it came from, or {@code null} (then every sentence's is "")
     * @param provenance source, version, sha-256, split, ... (copied)
     * @throws IllegalArgumentException naming the sentence and position of the first inconsistency
     */
    public TaggedSentences(String name, String tagSet, List<String> tagNames, List<String[]> words, List<int[]> tags,
            List<String> documents, Map<String, String> provenance) {
        this.name = Objects.requireNonNull(name, "name");
        this.tagSet = Objects.requireNonNull(tagSet, "tagSet");
        this.tagNames = List.copyOf(tagNames);
        if (new java.util.HashSet<>(this.tagNames).size() != this.tagNames.size()) {
            throw new IllegalArgumentException(name + ": tag names are not distinct: " + this.tagNames);
        }
        if (words.size() != tags.size()) {
            throw new IllegalArgumentException(name + ": " + words.size() + " word sequences but " + tags.size() + " tag sequences");
        }
        if (documents != null && documents.size() != words.size()) {
            throw new IllegalArgumentException(name + ": " + words.size() + " sentences but " + documents.size() + " documents");
        }
        int n = words.size();
        this.offsets = new int[n + 1];
        for (int i = 0; i < n; i++) {
            String[] w = words.get(i);
            int[] t = tags.get(i);
            if (w.length == 0) {
                throw new IllegalArgumentException(name + ": sentence " + i + " is empty");
            }
            if (w.length != t.length) {
                throw new IllegalArgumentException(name + ": sentence " + i + " has " + w.length + " words but " + t.length + " tags");
            }
            offsets[i + 1] = Math.addExact(offsets[i], w.length);
        }
        this.words = new String[offsets[n]];
        this.tags = new int[offsets[n]];
        this.documents = new String[n];
        int k = tagNames.size();
        for (int i = 0; i < n; i++) {
            String[] w = words.get(i);
            int[] t = tags.get(i);
            for (int j = 0; j < w.length; j++) {
                if (w[j] == null || w[j].isEmpty()) {
                    throw new IllegalArgumentException(name + ": sentence " + i + " word " + j + " is empty");
                }
                if (t[j] < 0 || t[j] >= k) {
                    throw new IllegalArgumentException(name + ": sentence " + i + " word " + j + " has tag id " + t[j]
                            + " outside [0, " + k + ")");
                }
            }
            System.arraycopy(w, 0, this.words, offsets[i], w.length);
            System.arraycopy(t, 0, this.tags, offsets[i], t.length);
            this.documents[i] = documents == null ? "" : Objects.requireNonNull(documents.get(i), "document of sentence " + i);
        }
        this.provenance = Map.copyOf(provenance);
    }

    /** The name given at construction. */
    public String name() {
        return name;
    }

    /** The tag set's name, e.g. {@code universal} or {@code brown87}. */
    public String tagSet() {
        return tagSet;
    }

    /** Tag id → tag name. */
    public List<String> tagNames() {
        return tagNames;
    }

    /** The number of tags, {@code tagNames().size()}. */
    public int tagCount() {
        return tagNames.size();
    }

    /** The id of a tag name, or -1 when the tag set has no such tag. */
    public int tagId(String tagName) {
        return tagNames.indexOf(tagName);
    }

    /** The number of sentences. */
    public int size() {
        return offsets.length - 1;
    }

    /** The number of words in sentence {@code i}. */
    public int length(int i) {
        return offsets[i + 1] - offsets[i];
    }

    /** Index of the first word of sentence {@code i} among all words (sentences end to end). */
    public int offset(int i) {
        return offsets[i];
    }

    /** The total number of words (tokens) of all sentences. */
    public int totalTokens() {
        return offsets[offsets.length - 1];
    }

    /** A copy of the words of sentence {@code i}. */
    public String[] words(int i) {
        return Arrays.copyOfRange(words, offsets[i], offsets[i + 1]);
    }

    /** A copy of the tag ids of sentence {@code i}. */
    public int[] tags(int i) {
        return Arrays.copyOfRange(tags, offsets[i], offsets[i + 1]);
    }

    /** Word {@code j} of sentence {@code i}. */
    public String word(int i, int j) {
        return words[position(i, j)];
    }

    /** Tag id of word {@code j} of sentence {@code i}. */
    public int tag(int i, int j) {
        return tags[position(i, j)];
    }

    /** The document sentence {@code i} came from ("" when unknown). */
    public String document(int i) {
        return documents[i];
    }

    /** Source, version, sha-256, split and similar facts about where the sentences came from. */
    public Map<String, String> provenance() {
        return provenance;
    }

    /** The number of words carrying each tag id. */
    public int[] tagCounts() {
        int[] c = new int[tagNames.size()];
        for (int t : tags) {
            c[t]++;
        }
        return c;
    }

    /** The sentences {@code from} (inclusive) to {@code to} (exclusive) under a new name, same tag set and provenance. */
    public TaggedSentences subList(String newName, int from, int to) {
        Objects.checkFromToIndex(from, to, size());
        List<String[]> w = new java.util.ArrayList<>(to - from);
        List<int[]> t = new java.util.ArrayList<>(to - from);
        List<String> d = new java.util.ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            w.add(words(i));
            t.add(tags(i));
            d.add(documents[i]);
        }
        return new TaggedSentences(newName, tagSet, tagNames, w, t, d, provenance);
    }

    /** The same sentences with extra or replaced provenance entries. */
    public TaggedSentences withProvenance(Map<String, String> extra) {
        Map<String, String> p = new HashMap<>(provenance);
        p.putAll(extra);
        List<String[]> w = new java.util.ArrayList<>(size());
        List<int[]> t = new java.util.ArrayList<>(size());
        for (int i = 0; i < size(); i++) {
            w.add(words(i));
            t.add(tags(i));
        }
        return new TaggedSentences(name, tagSet, tagNames, w, t, Arrays.asList(documents), p);
    }

    private int position(int i, int j) {
        Objects.checkIndex(j, length(i));
        return offsets[i] + j;
    }

    @Override
    public String toString() {
        return name + " (" + tagSet + ", " + size() + " sentences, " + totalTokens() + " tokens, " + tagNames.size() + " tags)";
    }
}
