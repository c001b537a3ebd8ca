package org.hybridbench.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
        "pps+bez pps PRT", // it's: first part in brown87, a contraction with a verb is PRT
        "ppss+md ppss PRT", // I'd
        "bez* bez VERB", // isn't: negation dropped
        "md* md VERB", // can't
        "do* do VERB", // don't
        "* * ADV", // not, n't
        "fw-in in X", // foreign preposition (de): X in the universal set
        "fw-in+at-tl in X", // du (in a title)
        "fw-nn-tl-nc nn X",
        "cd$ cd NOUN", // 1960's: no cd$ in the manual; a noun in en-brown.map
        "jj$-tl jj PRT", // Great's
        "nn$ nn$ NOUN", // the manual's possessives stay
        "pp$$ pp$$ PRON", // mine
        "wp$ wp$ DET", // whose: a determiner in en-brown.map, like pp$
        "---hl -- .", // dash in a headline
        "(-hl ( .",
        "'' '' .",
        "ppss+ber-n ppss PRT", // truncated modifier in the corpus
        "fw-in+at-t in X",
        "cs cs ADP", // if, although
        "rp rp PRT", // up, off
        "to to PRT",
        "od od ADJ",
        "uh uh PRT",
        "nil nil X",
        "ql ql ADV",
        "ex ex PRT", // existential there
        "cc cc CONJ"})
    void mappingExamplesFromTheManual(String raw, String brown87, String universal) {
        assertEquals(brown87, BrownTags.collapse(raw));
        assertEquals(universal, BrownTags.universal(raw));
        assertEquals(brown87, BrownTags.map(BrownTags.BROWN87, raw));
        assertEquals(universal, BrownTags.map(BrownTags.UNIVERSAL, raw));
    }

    /**
     * The universal tag NLTK's {@code brown.tagged_words(tagset='universal')} gives: NLTK upper-cases the raw tag and
     * looks the whole string up in Petrov, Das & McDonald's en-brown.map (CC BY-SA 4.0; github.com/slavpetrov/
     * universal-pos-tags, identical to NLTK's universal_tagset data package), 'X' if absent. Values read from that map,
     * as "TAG: raw raw ...". First block: the 88 raw tags our earlier table mapped differently; second: examples of
     * the rules (modifiers, negation, possessives, foreign words, compounds keeping their first part).
     */
    private static final String NLTK_UNIVERSAL = """
            NOUN:  cd$
            DET:   pp$ pp$-hl pp$-nc pp$-tl wp$
            PRT:   ap$ dt+bez dt+bez-nc dt+md dts+bez ex ex+bez ex+hvd ex+hvz ex+md ex-hl ex-nc jj$-tl nn+bez nn+bez-tl
            PRT:   nn+hvd-tl nn+hvz nn+hvz-tl nn+md nns+md np+bez np+bez-nc np+hvz np+hvz-nc np+md nr+md pn+bez pn+hvd
            PRT:   pn+hvz pn+md pps+bez pps+bez-hl pps+bez-nc pps+hvd pps+hvz pps+md ppss+bem ppss+ber ppss+ber-n
            PRT:   ppss+ber-nc ppss+ber-tl ppss+bez ppss+bez* ppss+hv ppss+hv-tl ppss+hvd ppss+md ppss+md-nc ppss+vb
            PRT:   rb$ rb+bez rb+bez-hl rb+bez-nc uh uh-hl uh-nc uh-tl wdt+ber wdt+bez wdt+bez-hl wdt+bez-nc wdt+bez-tl
            PRT:   wdt+dod wdt+hvz wps+bez wps+bez-nc wps+bez-tl wps+hvd wps+hvz wps+md wrb+ber wrb+bez wrb+bez-tl
            PRT:   wrb+do wrb+dod wrb+dod* wrb+doz wrb+in wrb+md
            X:     do+ppss wdt+ber+pp wdt+do+pps

            NOUN:  np-tl nn-hl nn$ nns$-tl-hl pn pn$ nr nn+in
            VERB:  bez* md* do* vb+ppo md+hv md+ppss hv+to vbg+to vb+jj-nc vb+at
            ADJ:   jj-nc ap od jjr+cs ap+ap-nc
            ADV:   rb ql * *-hl rb+cs
            PRON:  pp$$ pps ppss ppo wps
            DET:   at at-tl-hl wdt dt dt$ dti abx
            ADP:   cs in in+ppo in+in
            NUM:   cd
            CONJ:  cc
            PRT:   abl abn rp to to+vb rp+in
            .:     ' '' `` ---hl (-hl ,
            X:     nil fw-in fw-in+at-t fw-nn$-tl fw-pp$ fw-ppss+hv
            """;

    @Test
    void universalTagsEqualNltksUniversalBrownTags() throws Exception {
        Map<String, Long> corpus = rawTags();
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (String line : NLTK_UNIVERSAL.lines().filter(l -> !l.isBlank()).toList()) {
            int colon = line.indexOf(": ");
            String expected = line.substring(0, colon);
            assertTrue(BrownTags.UNIVERSAL_TAGS.contains(expected), line);
            for (String raw : line.substring(colon + 2).trim().split(" +")) {
                assertTrue(corpus.containsKey(raw), "test data: '" + raw + "' is not a raw tag of the corpus");
                checked++;
                String actual = BrownTags.universal(raw);
                if (!expected.equals(actual)) {
                    wrong.add(raw + " -> " + actual + " (NLTK: " + expected + ")");
                }
            }
        }
        assertEquals(152, checked, "raw tags in the reference list");
        assertEquals(List.of(), wrong);
    }

    @Test
    void everyUniversalExceptionIsARawTagOfTheCorpus() throws Exception {
        Set<String> corpus = rawTags().keySet();
        for (String t : BrownTags.UNIVERSAL_EXCEPTIONS.keySet()) {
            assertTrue(corpus.stream().anyMatch(raw -> raw.equals(t) || raw.startsWith(t + "-")),
                    "exception '" + t + "' matches no raw tag (with or without -tl/-hl/-nc)");
        }
    }

    @Test
    void unknownTagsMapToNothing() {
        for (String t : List.of("xyz", "nn+", "vbp", "prp", "-tl", "fw-")) {
            assertNull(BrownTags.collapse(t), t);
        }
        assertTrue(BrownTags.collapse("NN-TL").equals("nn"), "upper case raw tags are accepted");
    }
}
