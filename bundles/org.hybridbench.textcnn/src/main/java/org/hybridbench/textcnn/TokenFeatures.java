package org.hybridbench.textcnn;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.hybridbench.api.data.TaggedSentences;

/**
 * The discrete inputs of the encoder, as in Collobert et al. 2011 §3.1 and §4.1: a word index (lower-cased, digits
 * mapped to {@code 0}, so "1984" and "2001" share an embedding), a capitalisation index, and one suffix index per
 * configured suffix length. Dictionaries are built from the training sentences only; id 0 of every dictionary is the
 * padding symbol used outside the sentence, id 1 the unknown symbol (words or suffixes never seen in training).
 */
final class TokenFeatures {
    static final int PAD = 0;
    static final int UNKNOWN = 1;

    /** Capitalisation classes (Collobert's "caps" feature, plus a class for tokens without letters). */
    static final List<String> CAPS = List.of("PAD", "lower", "Initial", "UPPER", "miXed", "no-letter");

    private final Map<String, Integer> words;
    private final List<Map<String, Integer>> suffixes;
    private final int[] suffixLengths;
    /** Training count of every word id (for unknown-word dropout of rare words). */
    private final int[] wordCounts;

    private TokenFeatures(Map<String, Integer> words, int[] wordCounts, List<Map<String, Integer>> suffixes, int[] suffixLengths) {
        this.words = words;
        this.wordCounts = wordCounts;
        this.suffixes = suffixes;
        this.suffixLengths = suffixLengths.clone();
    }

    /** Dictionaries of {@code train}: words seen at least {@code minCount} times, suffixes seen at least twice. */
    static TokenFeatures build(TaggedSentences train, int minCount, int[] suffixLengths) {
        Map<String, Integer> counts = new HashMap<>();
        List<Map<String, Integer>> suffixCounts = new ArrayList<>();
        for (int l = 0; l < suffixLengths.length; l++) {
            suffixCounts.add(new HashMap<>());
        }
        for (int i = 0; i < train.size(); i++) {
            for (String w : train.words(i)) {
                String n = normalise(w);
                counts.merge(n, 1, Integer::sum);
                for (int l = 0; l < suffixLengths.length; l++) {
                    suffixCounts.get(l).merge(suffix(n, suffixLengths[l]), 1, Integer::sum);
                }
            }
        }
        Map<String, Integer> words = dictionary(counts, minCount);
        int[] wordCounts = new int[words.size() + 2];
        for (Map.Entry<String, Integer> e : words.entrySet()) {
            wordCounts[e.getValue()] = counts.get(e.getKey());
        }
        List<Map<String, Integer>> suffixes = new ArrayList<>();
        for (Map<String, Integer> c : suffixCounts) {
            suffixes.add(dictionary(c, 2));
        }
        return new TokenFeatures(words, wordCounts, suffixes, suffixLengths);
    }

    /** Rebuilds saved dictionaries (ids in list order, starting at 2). */
    static TokenFeatures of(List<String> words, int[] wordCounts, List<List<String>> suffixes, int[] suffixLengths) {
        Map<String, Integer> w = index(words);
        List<Map<String, Integer>> s = new ArrayList<>();
        for (List<String> l : suffixes) {
            s.add(index(l));
        }
        return new TokenFeatures(w, wordCounts.clone(), s, suffixLengths);
    }

    private static Map<String, Integer> index(List<String> keys) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (String k : keys) {
            m.put(k, m.size() + 2);
        }
        return m;
    }

    /** Keys with count ≥ min, ids 2, 3, … in descending count, ties by key (deterministic). */
    private static Map<String, Integer> dictionary(Map<String, Integer> counts, int min) {
        List<Map.Entry<String, Integer>> kept = new ArrayList<>();
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            if (e.getValue() >= min) {
                kept.add(e);
            }
        }
        kept.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        Map<String, Integer> m = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : kept) {
            m.put(e.getKey(), m.size() + 2);
        }
        return m;
    }

    static String normalise(String word) {
        String lower = word.toLowerCase(Locale.ROOT);
        StringBuilder b = null;
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if (c >= '1' && c <= '9') {
                if (b == null) {
                    b = new StringBuilder(lower);
                }
                b.setCharAt(i, '0');
            }
        }
        return b == null ? lower : b.toString();
    }

    /** The last {@code length} characters of a normalised word; shorter words are marked as whole words. */
    static String suffix(String normalised, int length) {
        return normalised.length() >= length ? normalised.substring(normalised.length() - length) : "^" + normalised;
    }

    static int caps(String word) {
        int upper = 0;
        int letters = 0;
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (Character.isLetter(c)) {
                letters++;
                if (Character.isUpperCase(c)) {
                    upper++;
                }
            }
        }
        if (letters == 0) {
            return 5;
        }
        if (upper == 0) {
            return 1;
        }
        if (upper == letters) {
            return letters == 1 ? 2 : 3;
        }
        return upper == 1 && Character.isUpperCase(word.charAt(0)) ? 2 : 4;
    }

    /** Word dictionary size including PAD and UNKNOWN. */
    int wordCount() {
        return words.size() + 2;
    }

    int suffixCount(int l) {
        return suffixes.get(l).size() + 2;
    }

    int[] suffixLengths() {
        return suffixLengths.clone();
    }

    int wordId(String word) {
        return words.getOrDefault(normalise(word), UNKNOWN);
    }

    boolean known(String word) {
        return words.containsKey(normalise(word));
    }

    int trainingCount(int wordId) {
        return wordCounts[wordId];
    }

    /** Words in id order (ids 2, 3, …), for the model file. */
    List<String> wordList() {
        return List.copyOf(words.keySet());
    }

    int[] wordCounts() {
        return wordCounts.clone();
    }

    List<List<String>> suffixLists() {
        List<List<String>> out = new ArrayList<>();
        for (Map<String, Integer> m : suffixes) {
            out.add(List.copyOf(m.keySet()));
        }
        return out;
    }

    /**
     * Feature ids of every token of {@code data}, end to end: {@code [0]} words, {@code [1]} caps, {@code [2 + l]}
     * the suffixes of length {@code suffixLengths[l]}.
     */
    int[][] encode(TaggedSentences data) {
        int n = data.totalTokens();
        int[][] ids = new int[2 + suffixLengths.length][n];
        int r = 0;
        for (int i = 0; i < data.size(); i++) {
            for (String w : data.words(i)) {
                String norm = normalise(w);
                ids[0][r] = words.getOrDefault(norm, UNKNOWN);
                ids[1][r] = caps(w);
                for (int l = 0; l < suffixLengths.length; l++) {
                    ids[2 + l][r] = suffixes.get(l).getOrDefault(suffix(norm, suffixLengths[l]), UNKNOWN);
                }
                r++;
            }
        }
        return ids;
    }
}
