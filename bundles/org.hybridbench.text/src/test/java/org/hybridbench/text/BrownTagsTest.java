package org.hybridbench.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BrownTagsTest {
    /** Every raw tag of the full corpus with its token count (src/test/resources). */
    static Map<String, Long> rawTags() throws Exception {
        Map<String, Long> out = new LinkedHashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                BrownTagsTest.class.getResourceAsStream("brown-raw-tags.tsv"), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null;) {
                if (!line.startsWith("#")) {
                    String[] f = line.split("\t");
                    out.put(f[0], Long.parseLong(f[1]));
                }
            }
        }
        return out;
    }

    @Test
    void tagSetsHave87And12Tags() {
        assertEquals(87, BrownTags.brown87().size());
        assertEquals(87, new HashSet<>(BrownTags.brown87()).size());
        assertEquals(12, BrownTags.UNIVERSAL_TAGS.size());
        Set<String> used = new HashSet<>();
        for (String t : BrownTags.brown87()) {
            used.add(BrownTags.universal(t));
        }
        assertEquals(Set.copyOf(BrownTags.UNIVERSAL_TAGS), used, "every universal tag is the image of some Brown tag");
    }

    @Test
    void everyRawTagOfTheCorpusMapsAndEvery87TagOccurs() throws Exception {
        Map<String, Long> raw = rawTags();
        assertEquals(472, raw.size());
        assertEquals(1_161_192L, raw.values().stream().mapToLong(Long::longValue).sum());
        Map<String, Long> per87 = new LinkedHashMap<>();
        for (var e : raw.entrySet()) {
            String c = BrownTags.collapse(e.getKey());
            assertNotNull(c, "raw tag " + e.getKey());
            assertNotNull(BrownTags.universal(e.getKey()), "raw tag " + e.getKey());
            per87.merge(c, e.getValue(), Long::sum);
        }
        assertEquals(Set.copyOf(BrownTags.brown87()), per87.keySet(), "all 87 tags occur in the corpus");
        assertEquals(168_075L, per87.get("nn"), "nn tokens incl. -tl/-hl/-nc/fw- variants and compounds");
    }

    @ParameterizedTest(name = "{0} -> {1} / {2}")
    @CsvSource(delimiter = ' ', quoteCharacter = '"', value = {
        "at at DET", // the
        "np-tl np NOUN", // Fulton (in a title)
        "nn-hl nn NOUN", // headline
        "jj-nc jj ADJ", // cited word
        "at-tl-hl at DET", // several modifiers
        "pps+bez pps PRON", // it's: first part of a contraction
        "ppss+md ppss PRON", // I'd
        "bez* bez VERB", // isn't: negation dropped
        "md* md VERB", // can't
        "do* do VERB", // don't
        "* * ADV", // not, n't
        "fw-in in X", // foreign preposition (de): X in the universal set
        "fw-in+at-tl in X", // du (in a title)
        "fw-nn-tl-nc nn X",
        "cd$ cd NUM", // 1960's: no cd$ in the manual
        "jj$-tl jj ADJ",
        "nn$ nn$ NOUN", // the manual's possessives stay
        "pp$$ pp$$ PRON", // mine
        "wp$ wp$ PRON", // whose
        "---hl -- .", // dash in a headline
        "(-hl ( .",
        "'' '' .",
        "ppss+ber-n ppss PRON", // truncated modifier in the corpus
        "fw-in+at-t in X",
        "cs cs ADP", // if, although
        "rp rp PRT", // up, off
        "to to PRT",
        "od od ADJ",
        "uh uh X",
        "nil nil X",
        "ql ql ADV",
        "ex ex DET", // existential there
        "cc cc CONJ"})
    void mappingExamplesFromTheManual(String raw, String brown87, String universal) {
        assertEquals(brown87, BrownTags.collapse(raw));
        assertEquals(universal, BrownTags.universal(raw));
        assertEquals(brown87, BrownTags.map(BrownTags.BROWN87, raw));
        assertEquals(universal, BrownTags.map(BrownTags.UNIVERSAL, raw));
    }

    @Test
    void unknownTagsMapToNothing() {
        for (String t : List.of("xyz", "nn+", "vbp", "prp", "-tl", "fw-")) {
            assertNull(BrownTags.collapse(t), t);
        }
        assertTrue(BrownTags.collapse("NN-TL").equals("nn"), "upper case raw tags are accepted");
    }
}
