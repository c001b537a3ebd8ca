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
 * <p><b>universal</b>: gives, for every raw tag of the corpus, the tag NLTK's
 * {@code brown.tagged_words(tagset='universal')} gives (Petrov et al.'s {@code en-brown.map}), by these rules in order:
 * <ol>
 * <li>foreign words (raw tag starting with {@code fw-}) are {@code X};</li>
 * <li>the modifiers of step 2 above are dropped; a tag listed in {@link #UNIVERSAL_EXCEPTIONS} gets its listed tag;</li>
 * <li>a compound of three or more parts ({@code wdt+do+pps}, "whaddya") is {@code X};</li>
 * <li>a two-part compound whose second part is a verb and whose first part is not ({@code pps+bez} "it's",
 * {@code ex+md} "there'd") is {@code PRT}, the clitic reading the map gives all such contractions;</li>
 * <li>anything else: collapse as above and map by the table's second column.</li>
 * </ol>
 */
final class BrownTags {
    static final String BROWN87 = "brown87";
    static final String UNIVERSAL = "universal";
    /** The 12 universal tags in their tag id order. */
    static final List<String> UNIVERSAL_TAGS = List.of("NOUN", "VERB", "ADJ", "ADV", "PRON", "DET", "ADP", "NUM", "CONJ",
            "PRT", ".", "X");
    private static final Set<String> OWN_POSSESSIVES = Set.of("nn$", "nns$", "np$", "nps$", "nr$", "pn$", "pp$", "pp$$", "wp$");

    /**
     * Raw tags (modifiers dropped) whose universal tag the rules cannot derive; the decisions follow Petrov et al.'s
     * en-brown.map (CC BY-SA 4.0). The possessives formed on a tag without a possessive in the manual read like the
     * contractions (a word fused with 's) except the numeral's (1960's); do+ppss (d'you) and wrb+in (why'n) are the
     * two two-part compounds the map does not treat by the verb rule.
     */
    static final Map<String, String> UNIVERSAL_EXCEPTIONS = Map.of(
            "ap$", "PRT", // other's
            "jj$", "PRT", // Great's (in a title)
            "rb$", "PRT", // else's
            "cd$", "NOUN", // 1960's
            "do+ppss", "X", // d'you
            "wrb+in", "PRT"); // why'n
    private static final String[] MODIFIERS = {"-tl", "-hl", "-nc", "-t", "-n"};

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
        String t = withoutModifiers(raw);
        int plus = t.indexOf('+');
        if (plus >= 0 && (t.startsWith("+") || t.endsWith("+") || t.contains("++"))) {
            return null;
        }
        return collapsePart(plus > 0 ? t.substring(0, plus) : t);
    }

    /** Lower case, without the prefix {@code fw-} and without trailing modifiers (steps 1 and 2). */
    private static String withoutModifiers(String raw) {
        String t = raw.toLowerCase(java.util.Locale.ROOT);
        if (t.startsWith("fw-")) {
            t = t.substring(3);
        }
        for (boolean again = true; again;) {
            again = false;
            for (String suffix : MODIFIERS) {
                if (t.endsWith(suffix) && t.length() > suffix.length() && !t.equals("--")) {
                    t = t.substring(0, t.length() - suffix.length());
                    again = true;
                }
            }
        }
        return t;
    }

    /** One part of a compound without negation and foreign possessive (steps 4 and 5), or {@code null} if unknown. */
    private static String collapsePart(String part) {
        String t = part;
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
        if (raw.toLowerCase(java.util.Locale.ROOT).startsWith("fw-")) {
            return "X";
        }
        String t = withoutModifiers(raw);
        String exception = UNIVERSAL_EXCEPTIONS.get(t);
        if (exception != null) {
            return exception;
        }
        String[] parts = t.split("\\+");
        if (parts.length > 2) {
            return "X";
        }
        if (parts.length == 2 && !TABLE.get(c).equals("VERB") && "VERB".equals(TABLE.get(collapsePart(parts[1])))) {
            return "PRT";
        }
        return TABLE.get(c);
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
