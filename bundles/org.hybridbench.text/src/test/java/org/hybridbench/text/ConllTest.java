package org.hybridbench.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.hybridbench.api.PortTypes;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageException;
import org.hybridbench.api.TrainingRegime;
import org.hybridbench.api.data.TaggedSentences;
import org.hybridbench.testing.FakeRunContext;
import org.hybridbench.testing.FakeStageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConllTest {
    @TempDir
    Path tmp;

    private TaggedSentences runConll(String path, String tagset) throws Exception {
        FakeStageIO io = new FakeStageIO();
        new ConllStageProvider().create(new StageConfig("conll", Map.of("path", path, "tagset", tagset, "limitSentences", 0L,
                "lowercase", false))).run(io, new FakeRunContext(tmp, new TrainingRegime(1, 0, 1, 0)));
        return io.output("sentences", PortTypes.TAGGED_SENTENCES);
    }

    private Path write(String name, String text) throws Exception {
        Path f = tmp.resolve(name);
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void roundTripOfTheFixtureInBothTagSets() throws Exception {
        for (String tagset : List.of("universal", "brown87")) {
            TaggedSentences orig = BrownStageTest.run(tmp, tagset, "all", 0, "fixture", false);
            Path f = tmp.resolve(tagset + ".conll");
            try (Writer w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
                Conll.write(orig, w);
            }
            TaggedSentences back = runConll(f.toString(), tagset);
            assertEquals(orig.size(), back.size());
            assertEquals(orig.totalTokens(), back.totalTokens());
            assertEquals(orig.tagNames(), back.tagNames());
            for (int i = 0; i < orig.size(); i++) {
                assertArrayEquals(orig.words(i), back.words(i), "sentence " + i);
                assertArrayEquals(orig.tags(i), back.tags(i), "sentence " + i);
            }
            // with the file's own tag set: the names found, sorted; the same tag strings
            TaggedSentences own = runConll(f.toString(), "file");
            assertEquals(own.tagNames().stream().sorted().toList(), own.tagNames());
            for (int i = 0; i < orig.size(); i += 97) {
                for (int j = 0; j < orig.length(i); j++) {
                    assertEquals(orig.tagNames().get(orig.tag(i, j)), own.tagNames().get(own.tag(i, j)));
                }
            }
            assertEquals(64, own.provenance().get("sha256").length());
        }
    }

    @Test
    void smallFileDocumentsAndRelativePath() throws Exception {
        Files.createDirectories(tmp.resolve("cache"));
        write("small.tsv", "# a comment\nThe\tDET\ndog\tNOUN\n\n\n  \nbarks\tVERB\n.\t.");
        TaggedSentences s = runConll("small.tsv", "universal"); // resolved against the workspace = parent of the cache
        assertEquals(2, s.size());
        assertEquals("small.tsv:2", s.document(0));
        assertEquals("small.tsv:7", s.document(1));
        assertArrayEquals(new String[] {"barks", "."}, s.words(1));
        assertEquals("VERB", s.tagNames().get(s.tag(1, 0)));
    }

    @Test
    void malformedLinesAreReportedWithFileAndLine() throws Exception {
        Path f = write("bad.conll", "The\tDET\ndog NOUN\n\nbarks\tVERB\tx\n\tNOUN\nok\t\nfine\tVERB\n");
        StageException e = assertThrows(StageException.class, () -> runConll(f.toString(), "file"));
        String m = e.getMessage();
        assertTrue(m.contains("4 malformed lines"), m);
        assertTrue(m.contains(f + ":2: expected word<TAB>tag, found 1 tab-separated column"), m);
        assertTrue(m.contains(f + ":4: expected word<TAB>tag, found 3 tab-separated columns"), m);
        assertTrue(m.contains(f + ":5: empty word"), m);
        assertTrue(m.contains(f + ":6: empty tag"), m);
    }

    @Test
    void unknownTagsAreListedWithTheirFirstLine() throws Exception {
        Path f = write("tags.conll", "The\tDET\ndog\tNNX\n\nbarks\tVERB\nloudly\tRB\nnow\tRB\n");
        StageException e = assertThrows(StageException.class, () -> runConll(f.toString(), "universal"));
        String m = e.getMessage();
        assertTrue(m.contains("2 tag(s) not in the universal tag set"), m);
        assertTrue(m.contains("'NNX': 1x, first at " + f + ":2"), m);
        assertTrue(m.contains("'RB': 2x, first at " + f + ":5"), m);
    }

    @Test
    void missingAndEmptyFiles() throws Exception {
        StageException e = assertThrows(StageException.class, () -> runConll(tmp.resolve("nope.conll").toString(), "file"));
        assertTrue(e.getMessage().contains("nope.conll: no such file"), e.getMessage());
        Path empty = write("empty.conll", "\n\n");
        e = assertThrows(StageException.class, () -> runConll(empty.toString(), "file"));
        assertTrue(e.getMessage().contains("no sentences"), e.getMessage());
    }

    @Test
    void brownTokensThatAreNotWordSlashTagAreReported() {
        StageException e = assertThrows(StageException.class, () -> BrownCorpus.read("pkg/ca01",
                new java.io.StringReader("\n\tThe/at dog/nn\n\tbarks nn/\n")));
        assertTrue(e.getMessage().startsWith("pkg/ca01:3: token 1 'barks' is not word/tag"), e.getMessage());
    }
}
