package org.hybridbench.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.hybridbench.api.data.TaggedSentences;
import org.junit.jupiter.api.Test;

/** The SDK value type as this bundle uses it: validation with sentence and position, views, sub-lists. */
class TaggedSentencesTest {
    private static final List<String> TAGS = List.of("DET", "NOUN", "VERB");

    private static TaggedSentences make(List<String[]> words, List<int[]> tags) {
        return new TaggedSentences("t", "toy", TAGS, words, tags, null, Map.of("source", "test"));
    }

    @Test
    void accessorsAndSubList() {
        TaggedSentences s = make(List.of(new String[] {"the", "dog"}, new String[] {"barks"}), List.of(new int[] {0, 1}, new int[] {2}));
        assertEquals(2, s.size());
        assertEquals(3, s.totalTokens());
        assertEquals(2, s.offset(1));
        assertEquals("dog", s.word(0, 1));
        assertEquals(2, s.tag(1, 0));
        assertEquals("", s.document(0));
        assertArrayEquals(new int[] {1, 1, 1}, s.tagCounts());
        assertEquals(1, s.tagId("NOUN"));
        assertEquals(-1, s.tagId("ADJ"));
        TaggedSentences one = s.subList("u", 1, 2);
        assertEquals(1, one.size());
        assertArrayEquals(new String[] {"barks"}, one.words(0));
        assertEquals("x", s.withProvenance(Map.of("split", "x")).provenance().get("split"));
        assertEquals("test", s.withProvenance(Map.of("split", "x")).provenance().get("source"));
        String[] w = s.words(0);
        w[0] = "changed";
        assertEquals("the", s.word(0, 0), "words(i) is a copy");
        assertThrows(IndexOutOfBoundsException.class, () -> s.word(1, 1));
    }

    @Test
    void badInputNamesSentenceAndPosition() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> make(List.of(new String[] {"a"}, new String[] {"b", "c"}), List.of(new int[] {0}, new int[] {0, 3})));
        assertTrue(e.getMessage().contains("sentence 1 word 1 has tag id 3 outside [0, 3)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> make(java.util.Collections.singletonList(new String[0]), java.util.Collections.singletonList(new int[0])));
        assertTrue(e.getMessage().contains("sentence 0 is empty"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> make(List.<String[]>of(new String[] {"a", "b"}), List.of(new int[] {0})));
        assertTrue(e.getMessage().contains("sentence 0 has 2 words but 1 tags"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new TaggedSentences("t", "toy", List.of("A", "A"), List.of(), List.of(), null, Map.of()));
        assertTrue(e.getMessage().contains("not distinct"), e.getMessage());
    }
}
