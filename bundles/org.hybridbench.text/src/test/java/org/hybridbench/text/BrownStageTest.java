package org.hybridbench.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.hybridbench.api.PortTypes;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.TrainingRegime;
import org.hybridbench.api.data.TaggedSentences;
import org.hybridbench.testing.FakeRunContext;
import org.hybridbench.testing.FakeStageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrownStageTest {
    @TempDir
    Path tmp;

    static TaggedSentences run(Path dir, String tagset, String split, int limit, String source, boolean lowercase) throws Exception {
        FakeStageIO io = new FakeStageIO();
        new BrownStageProvider().create(new StageConfig("brown", Map.of("tagset", tagset, "split", split, "limitSentences",
                (long) limit, "source", source, "lowercase", lowercase)))
                .run(io, new FakeRunContext(dir, new TrainingRegime(1, 0, 1, 0)));
        return io.output("sentences", PortTypes.TAGGED_SENTENCES);
    }

    private TaggedSentences fixture(String tagset, String split) throws Exception {
        return run(tmp, tagset, split, 0, "fixture", false);
    }

    @Test
    void descriptorDeclaresConfigAndPort() {
        var d = new BrownStageProvider().descriptor();
        assertEquals("dataset.brown", d.type());
        assertEquals("universal", d.configParam("tagset").orElseThrow().defaultValue());
        assertEquals(List.of("train", "dev", "test", "all"), d.configParam("split").orElseThrow().allowedValues());
        assertEquals(List.of("npm", "fixture"), d.configParam("source").orElseThrow().allowedValues());
        assertEquals(PortTypes.TAGGED_SENTENCES, d.output("sentences").orElseThrow().type());
    }

    @Test
    void fixtureCountsPerSplit() throws Exception {
        // counted independently with awk over the 12 committed files
        int[][] expected = {{1313, 27751}, {798, 16296}, {210, 4552}, {305, 6903}};
        String[] splits = {"all", "train", "dev", "test"};
        for (String tagset : List.of("universal", "brown87")) {
            for (int k = 0; k < splits.length; k++) {
                TaggedSentences s = fixture(tagset, splits[k]);
                assertEquals(expected[k][0], s.size(), tagset + " " + splits[k] + " sentences");
                assertEquals(expected[k][1], s.totalTokens(), tagset + " " + splits[k] + " tokens");
                assertEquals(tagset, s.tagSet());
                assertEquals(tagset.equals("universal") ? 12 : 87, s.tagCount());
            }
        }
        TaggedSentences all = fixture("universal", "all");
        assertEquals(12, new TreeSet<>(docs(all)).size());
        assertEquals("fixture", all.provenance().get("source"));
        assertEquals("all", all.provenance().get("split"));
        assertTrue(all.provenance().get("derivedFrom").contains(BrownCorpus.SHA256));
    }

    @Test
    void firstSentenceOfCa01() throws Exception {
        TaggedSentences b = fixture("brown87", "all");
        TaggedSentences u = fixture("universal", "all");
        assertEquals("ca01", b.document(0));
        assertArrayEquals(new String[] {"The", "Fulton", "County", "Grand", "Jury", "said"},
                java.util.Arrays.copyOf(b.words(0), 6));
        List<String> bt = java.util.Arrays.stream(b.tags(0)).limit(6).mapToObj(b.tagNames()::get).toList();
        assertEquals(List.of("at", "np", "nn", "jj", "nn", "vbd"), bt);
        List<String> ut = java.util.Arrays.stream(u.tags(0)).limit(6).mapToObj(u.tagNames()::get).toList();
        assertEquals(List.of("DET", "NOUN", "NOUN", "ADJ", "NOUN", "VERB"), ut);
        assertEquals(".", u.tagNames().get(u.tag(0, u.length(0) - 1)));
    }

    @Test
    void lowercaseAndLimit() throws Exception {
        TaggedSentences s = run(tmp, "universal", "train", 5, "fixture", true);
        assertEquals(5, s.size());
        assertEquals("the", s.word(0, 0));
        assertEquals("fulton", s.word(0, 1));
        assertEquals("5", s.provenance().get("limitSentences"));
    }

    @Test
    void splitIsDeterministicDisjointByDocumentAndCoversEveryGenre() throws Exception {
        Map<String, String> splits = BrownCorpus.splits();
        assertEquals(splits, BrownCorpus.splits());
        assertEquals(500, splits.size());
        Map<String, Integer> sizes = new HashMap<>();
        Map<String, Set<Character>> genres = new HashMap<>();
        splits.forEach((f, s) -> {
            sizes.merge(s, 1, Integer::sum);
            genres.computeIfAbsent(s, x -> new HashSet<>()).add(f.charAt(1));
        });
        assertEquals(Map.of("train", 405, "dev", 45, "test", 50), sizes);
        for (String s : List.of("train", "dev", "test")) {
            assertEquals(15, genres.get(s).size(), s + " has every genre");
        }
        assertEquals("test", splits.get("ca10"));
        assertEquals("dev", splits.get("ca11"));
        assertEquals("train", splits.get("ca01"));
        assertEquals("test", splits.get("cr09"));
        // the stage's outputs: documents disjoint, union = all, same result twice
        Set<String> train = new HashSet<>(docs(fixture("brown87", "train")));
        Set<String> dev = new HashSet<>(docs(fixture("brown87", "dev")));
        Set<String> test = new HashSet<>(docs(fixture("brown87", "test")));
        assertEquals(Set.of("ca11", "cb11"), dev);
        assertEquals(Set.of("ca10", "cg01", "cr09"), test);
        assertTrue(Collections.disjoint(train, dev) && Collections.disjoint(train, test) && Collections.disjoint(dev, test));
        Set<String> union = new HashSet<>(train);
        union.addAll(dev);
        union.addAll(test);
        assertEquals(Set.copyOf(BrownStage.FIXTURE_FILES), union);
        TaggedSentences a = fixture("universal", "test");
        TaggedSentences b = fixture("universal", "test");
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.words(i), b.words(i));
            assertArrayEquals(a.tags(i), b.tags(i));
        }
    }

    static List<String> docs(TaggedSentences s) {
        List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
            out.add(s.document(i));
        }
        return out;
    }
}
