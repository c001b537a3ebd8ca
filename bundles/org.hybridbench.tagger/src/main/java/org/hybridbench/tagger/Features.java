package org.hybridbench.tagger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.hybridbench.api.data.TaggedSentences;

/**
 * MALLET-style feature templates and a dictionary of the features seen in training ("dictionary-indexed": a
 * feature string gets an id when it occurs at least {@code minCount} times in the training sentences; features
 * never seen in training are ignored at test time).
 *
 * <p>For the word at offset o ∈ {−1, 0, +1} of position t (prefix {@code W0}, {@code W-1}, {@code W+1}; outside
 * the sentence the word is {@code <s>} / {@code </s>} and only its identity feature fires):
 * <ul>
 * <li>{@code W0=w} word identity, lower-cased (Locale.ROOT);</li>
 * <li>{@code W0:P1=a} … {@code P4} prefixes and {@code S1} … {@code S4} suffixes of the lower-cased word, each
 * only when the word has at least that many characters;</li>
 * <li>{@code W0:SH=Xx} word shape: every character mapped to X (upper), x (lower), d (digit) or itself (other),
 * runs collapsed; plus flags {@code CAP} (initial capital), {@code ALLCAP}, {@code DIG} (has a digit),
 * {@code HYPH} (has a hyphen), {@code NUM} (digits and , . only).</li>
 * </ul>
 * and a {@code BIAS} feature at every position. Position 0 additionally fires {@code FIRST} (sentence-initial
 * capitalisation is then told apart from proper nouns).
 */
final class Features {
    static final String VERSION = "mallet-like-1";
    static final int MAX_AFFIX = 4;

    private final Map<String, Integer> ids;
    private final List<String> names;

    private Features(Map<String, Integer> ids, List<String> names) {
        this.ids = ids;
        this.names = names;
    }

    /** The dictionary of every feature occurring at least {@code minCount} times in {@code train}. */
    static Features build(TaggedSentences train, int minCount) {
        Map<String, Integer> counts = new HashMap<>();
        List<String> buf = new ArrayList<>();
        for (int i = 0; i < train.size(); i++) {
            String[] w = train.words(i);
            for (int t = 0; t < w.length; t++) {
                buf.clear();
                extract(w, t, buf);
                for (String f : buf) {
                    counts.merge(f, 1, Integer::sum);
                }
            }
        }
        List<String> kept = new ArrayList<>();
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            if (e.getValue() >= minCount) {
                kept.add(e.getKey());
            }
        }
        kept.sort(null); // deterministic ids
        return fromNames(kept);
    }

    static Features fromNames(List<String> names) {
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (String n : names) {
            ids.put(n, ids.size());
        }
        return new Features(ids, List.copyOf(names));
    }

    int size() {
        return names.size();
    }

    String name(int id) {
        return names.get(id);
    }

    /** The feature ids of every token of {@code data}, CSR-style: token r's ids are ids[offsets[r] .. offsets[r+1]). */
    Encoded encode(TaggedSentences data) {
        int n = data.totalTokens();
        int[] offsets = new int[n + 1];
        int[] buffer = new int[Math.max(16, n * 40)];
        int used = 0;
        List<String> buf = new ArrayList<>();
        int r = 0;
        for (int i = 0; i < data.size(); i++) {
            String[] w = data.words(i);
            for (int t = 0; t < w.length; t++) {
                buf.clear();
                extract(w, t, buf);
                for (String f : buf) {
                    Integer id = ids.get(f);
                    if (id != null) {
                        if (used == buffer.length) {
                            buffer = java.util.Arrays.copyOf(buffer, buffer.length * 2);
                        }
                        buffer[used++] = id;
                    }
                }
                offsets[++r] = used;
            }
        }
        return new Encoded(offsets, java.util.Arrays.copyOf(buffer, used));
    }

    record Encoded(int[] offsets, int[] ids) {
        int tokens() {
            return offsets.length - 1;
        }
    }

    /** Appends the feature strings of position {@code t} of sentence {@code w} (see the class comment). */
    static void extract(String[] w, int t, List<String> out) {
        out.add("BIAS");
        if (t == 0) {
            out.add("FIRST");
        }
        word("W0", w[t], out);
        if (t > 0) {
            word("W-1", w[t - 1], out);
        } else {
            out.add("W-1=<s>");
        }
        if (t + 1 < w.length) {
            word("W+1", w[t + 1], out);
        } else {
            out.add("W+1=</s>");
        }
    }

    private static void word(String p, String word, List<String> out) {
        String lower = word.toLowerCase(Locale.ROOT);
        out.add(p + "=" + lower);
        int len = lower.length();
        for (int n = 1; n <= MAX_AFFIX && n <= len; n++) {
            out.add(p + ":P" + n + "=" + lower.substring(0, n));
            out.add(p + ":S" + n + "=" + lower.substring(len - n));
        }
        out.add(p + ":SH=" + shape(word));
        boolean upper0 = Character.isUpperCase(word.charAt(0));
        boolean allUpper = true;
        boolean digit = false;
        boolean hyphen = false;
        boolean number = true;
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (Character.isLetter(c) && !Character.isUpperCase(c)) {
                allUpper = false;
            }
            if (!Character.isLetter(c) && !Character.isDigit(c)) {
                allUpper &= c == '.' || c == '-' || c == '&';
            }
            digit |= Character.isDigit(c);
            hyphen |= c == '-';
            number &= Character.isDigit(c) || c == ',' || c == '.';
        }
        if (upper0) {
            out.add(p + ":CAP");
        }
        if (allUpper && upper0) {
            out.add(p + ":ALLCAP");
        }
        if (digit) {
            out.add(p + ":DIG");
        }
        if (hyphen) {
            out.add(p + ":HYPH");
        }
        if (number && digit) {
            out.add(p + ":NUM");
        }
    }

    /** X for upper-case letters, x lower-case, d digits, other characters themselves; runs collapsed. */
    static String shape(String word) {
        StringBuilder b = new StringBuilder();
        char last = 0;
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            char s = Character.isUpperCase(c) ? 'X' : Character.isLetter(c) ? 'x' : Character.isDigit(c) ? 'd' : c;
            if (s != last) {
                b.append(s);
                last = s;
            }
        }
        return b.toString();
    }
}
