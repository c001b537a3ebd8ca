package org.hybridbench.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The two tag sets derived from the raw Brown corpus tags (documented in README.md and {@code brown87.tsv}).
 *
 * <p><b>brown87</b>: a raw tag such as {@code fw-in+at-tl} or {@code bez*-hl} is collapsed by, in this order:
 * <ol>
 * <li>dropping the prefix {@code fw-} (foreign word; the rest is the tag the word would have in English),</li>
 * <li>dropping trailing modifiers {@code -tl} (title), {@code -hl} (headline), {@code -nc} (cited word), repeatedly,
 * and the two truncated forms {@code -t} and {@code -n} that occur once each in the corpus,</li>
 * <li>keeping the first part of a compound (contraction) tag: {@code pps+bez} ("it's") becomes {@code pps},</li>
 * <li>dropping the negation marker {@code *} appended to a tag ({@code bez*} "isn't" becomes {@code bez});
 * the tag {@code *} itself (not, n't) stays,</li>
 * <li>dropping a possessive {@code $} appended to a tag that has no possessive form in the manual's list
 * ({@code ap$}, {@code cd$}, {@code dt$}, {@code jj$}, {@code rb$} become {@code ap}, {@code cd}, ...); the
 * manual's possessive tags {@code nn$ nns$ np$ nps$ nr$ pn$ pp$ pp$$ wp$} stay.</li>
 * </ol>
 * The result must be one of the 87 tags of {@code brown87.tsv}; anything else is an unknown tag.
 *
 * <p><b>universal</b>: foreign words (raw tag starting with {@code fw-}) are {@code X}; every other raw tag is
 * collapsed as above and mapped by the table's second column.
 */
final class BrownTags {
    static final String BROWN87 = "brown87";
    static final String UNIVERSAL = "universal";
    /** The 12 universal tags in their tag id order. */
    static final List<String> UNIVERSAL_TAGS = List.of("NOUN", "VERB", "ADJ", "ADV", "PRON", "DET", "ADP", "NUM", "CONJ",
            "PRT", ".", "X");
    private static final Set<String> OWN_POSSESSIVES = Set.of("nn$", "nns$", "np$", "nps$", "nr$", "pn$", "pp$", "pp$$", "wp$");

    /** brown87 tag → universal tag, in the file's order. */
    private static final Map<String, String> TABLE = load();

    private BrownTags() {
    }

    /** The 87 collapsed tags in tag id order. */
    static List<String> brown87() {
        return List.copyOf(TABLE.keySet());
    }

    /** The tag names of a tag set. */
    static List<String> tagNames(String tagSet) {
        return switch (tagSet) {
            case BROWN87 -> brown87();
            case UNIVERSAL -> UNIVERSAL_TAGS;
            default -> throw new IllegalArgumentException("unknown tag set '" + tagSet + "' (known: brown87, universal)");
        };
    }

    /** The collapsed tag of a raw Brown tag, or {@code null} when the rules do not lead to one of the 87 tags. */
    static String collapse(String raw) {
        String t = raw.toLowerCase(java.util.Locale.ROOT);
        if (t.startsWith("fw-")) {
            t = t.substring(3);
        }
        for (boolean again = true; again;) {
            again = false;
            for (String suffix : new String[] {"-tl", "-hl", "-nc", "-t", "-n"}) {
                if (t.endsWith(suffix) && t.length() > suffix.length() && !t.equals("--")) {
                    t = t.substring(0, t.length() - suffix.length());
                    again = true;
                }
            }
        }
        int plus = t.indexOf('+');
        if (plus >= 0 && (t.startsWith("+") || t.endsWith("+") || t.contains("++"))) {
            return null;
        }
        if (plus > 0) {
            t = t.substring(0, plus);
        }
        if (t.length() > 1 && t.endsWith("*")) {
            t = t.substring(0, t.length() - 1);
        }
        if (t.length() > 1 && t.endsWith("$") && !OWN_POSSESSIVES.contains(t)) {
            t = t.substring(0, t.length() - 1);
        }
        return TABLE.containsKey(t) ? t : null;
    }

    /** The universal tag of a raw Brown tag, or {@code null} when it does not collapse to a known tag. */
    static String universal(String raw) {
        String c = collapse(raw);
        if (c == null) {
            return null;
        }
        return raw.toLowerCase(java.util.Locale.ROOT).startsWith("fw-") ? "X" : TABLE.get(c);
    }

    /** The tag of a raw Brown tag in {@code tagSet}, or {@code null} when unknown. */
    static String map(String tagSet, String raw) {
        return tagSet.equals(UNIVERSAL) ? universal(raw) : collapse(raw);
    }

    private static Map<String, String> load() {
        Map<String, String> table = new LinkedHashMap<>();
        try (InputStream in = BrownTags.class.getResourceAsStream("brown87.tsv")) {
            if (in == null) {
                throw new IllegalStateException("brown87.tsv is missing from the bundle");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<String> problems = new ArrayList<>();
            for (String line; (line = r.readLine()) != null;) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                if (f.length < 2 || !UNIVERSAL_TAGS.contains(f[1]) || table.put(f[0], f[1]) != null) {
                    problems.add(line);
                }
            }
            if (!problems.isEmpty() || table.size() != 87) {
                throw new IllegalStateException("brown87.tsv: " + table.size() + " tags, bad lines " + problems);
            }
            return table;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
