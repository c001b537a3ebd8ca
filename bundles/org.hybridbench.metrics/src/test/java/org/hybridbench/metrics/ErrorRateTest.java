package org.hybridbench.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.hybridbench.api.PortTypes;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageException;
import org.hybridbench.api.StageRole;
import org.hybridbench.api.TrainingRegime;
import org.hybridbench.api.model.Transcriptions;
import org.hybridbench.metrics.EditAlignment.Op;
import org.hybridbench.metrics.EditAlignment.Step;
import org.hybridbench.testing.FakeRunContext;
import org.hybridbench.testing.FakeStageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Expected counts are worked out by hand in the comments; the random test checks against a separate recursion. */
class ErrorRateTest {
    /** Symbol ids of the hand-made examples: each symbol is its own single letter. */
    static final List<String> SYMBOLS = List.of("pau", "a", "b", "c", "d", "x", "y");

    @TempDir
    Path tmp;

    /** "a b c" → symbol ids. */
    static int[] seq(String text) {
        return Arrays.stream(text.trim().split("\\s+")).filter(s -> !s.isEmpty()).mapToInt(SYMBOLS::indexOf).toArray();
    }

    static EditAlignment align(String ref, String hyp) {
        return EditAlignment.align(seq(ref), seq(hyp));
    }

    static Transcriptions transcriptions(String... refHypPairs) {
        List<String> ids = new ArrayList<>();
        List<int[]> refs = new ArrayList<>();
        List<int[]> hyps = new ArrayList<>();
        for (int k = 0; k < refHypPairs.length; k += 2) {
            ids.add("u" + (k / 2 + 1));
            refs.add(seq(refHypPairs[k]));
            hyps.add(seq(refHypPairs[k + 1]));
        }
        return new Transcriptions(ids, hyps, refs, SYMBOLS);
    }

    static ErrorRate score(String ignore, String... refHypPairs) throws StageException {
        return ErrorRate.score(transcriptions(refHypPairs), ErrorRateStageProvider.ignoredSymbols(ignore, SYMBOLS));
    }

    @Test
    void substitutionAndDeletion() {
        EditAlignment a = align("a b c d", "a x c");
        assertEquals(List.of(new Step(Op.MATCH, 0, 0), new Step(Op.SUBSTITUTION, 1, 1), new Step(Op.MATCH, 2, 2),
                new Step(Op.DELETION, 3, -1)), a.steps());
        assertEquals(1, a.substitutions());
        assertEquals(1, a.deletions());
        assertEquals(0, a.insertions());
    }

    @Test
    void insertions() {
        // a (x) b (y): two symbols too many, nothing else wrong
        EditAlignment a = align("a b", "a x b y");
        assertEquals(List.of(new Step(Op.MATCH, 0, 0), new Step(Op.INSERTION, -1, 1), new Step(Op.MATCH, 1, 2),
                new Step(Op.INSERTION, -1, 3)), a.steps());
        assertEquals(2, a.insertions());
        assertEquals(2, a.errors());
        // an insertion and a substitution: a b → y a c
        EditAlignment b = align("a b", "y a c");
        assertEquals(List.of(new Step(Op.INSERTION, -1, 0), new Step(Op.MATCH, 0, 1), new Step(Op.SUBSTITUTION, 1, 2)),
                b.steps());
    }

    @Test
    void emptySides() {
        EditAlignment allDeleted = align("a b c", "");
        assertEquals(3, allDeleted.deletions());
        assertEquals(3, allDeleted.errors());
        EditAlignment allInserted = align("", "a b");
        assertEquals(2, allInserted.insertions());
        assertEquals(2, allInserted.errors());
        assertEquals(List.of(), align("", "").steps());
    }

    @Test
    void tiesPreferSubstitutionThenDeletionThenInsertionFromTheEnd() {
        // "a b" vs "b a" costs 2 either as two substitutions or as a deletion and an insertion: substitutions win
        EditAlignment swapped = align("a b", "b a");
        assertEquals(2, swapped.substitutions());
        assertEquals(0, swapped.deletions() + swapped.insertions());
        // "a b" vs "c": the last reference symbol is substituted, the first deleted (back-trace from the end)
        assertEquals(List.of(new Step(Op.DELETION, 0, -1), new Step(Op.SUBSTITUTION, 1, 0)), align("a b", "c").steps());
        // "a b a" vs "b a b" costs 2 as (b) a b [a] or as [a] b a (b); at the last cell the diagonal costs 3 and
        // deletion and insertion tie, so the deletion is taken there and the insertion falls at the start
        assertEquals(List.of(new Step(Op.INSERTION, -1, 0), new Step(Op.MATCH, 0, 1), new Step(Op.MATCH, 1, 2),
                new Step(Op.DELETION, 2, -1)), align("a b a", "b a b").steps());
        // a repeated symbol: the last copy is matched, the first deleted / inserted
        assertEquals(List.of(new Step(Op.DELETION, 0, -1), new Step(Op.MATCH, 1, 0)), align("a a", "a").steps());
        assertEquals(List.of(new Step(Op.INSERTION, -1, 0), new Step(Op.MATCH, 0, 1)), align("a", "a a").steps());
    }

    /** Minimum edit distance by the textbook recursion, without a table or a back-trace (exponential; short inputs). */
    static int editDistance(int[] r, int i, int[] h, int j) {
        if (i == r.length) {
            return h.length - j;
        }
        if (j == h.length) {
            return r.length - i;
        }
        int diagonal = editDistance(r, i + 1, h, j + 1) + (r[i] == h[j] ? 0 : 1);
        int delete = editDistance(r, i + 1, h, j) + 1;
        int insert = editDistance(r, i, h, j + 1) + 1;
        return Math.min(diagonal, Math.min(delete, insert));
    }

    @Test
    void errorsEqualTheEditDistanceOnRandomPairs() {
        Random random = new Random(20261126);
        for (int trial = 0; trial < 3000; trial++) {
            int[] ref = random.ints(random.nextInt(7), 0, 3).toArray();
            int[] hyp = random.ints(random.nextInt(7), 0, 3).toArray();
            EditAlignment a = EditAlignment.align(ref, hyp);
            String pair = Arrays.toString(ref) + " / " + Arrays.toString(hyp);
            assertEquals(editDistance(ref, 0, hyp, 0), a.errors(), pair);
            // the steps must spell out both sequences, in order, with matches exactly where the symbols agree
            List<Integer> refBack = new ArrayList<>();
            List<Integer> hypBack = new ArrayList<>();
            for (Step s : a.steps()) {
                if (s.ref() >= 0) {
                    assertEquals(refBack.size(), s.ref(), pair);
                    refBack.add(ref[s.ref()]);
                }
                if (s.hyp() >= 0) {
                    assertEquals(hypBack.size(), s.hyp(), pair);
                    hypBack.add(hyp[s.hyp()]);
                }
                switch (s.op()) {
                    case MATCH -> assertEquals(ref[s.ref()], hyp[s.hyp()], pair);
                    case SUBSTITUTION -> assertTrue(ref[s.ref()] != hyp[s.hyp()], pair);
                    case DELETION -> assertEquals(-1, s.hyp(), pair);
                    case INSERTION -> assertEquals(-1, s.ref(), pair);
                }
            }
            assertEquals(Arrays.stream(ref).boxed().toList(), refBack, pair);
            assertEquals(Arrays.stream(hyp).boxed().toList(), hypBack, pair);
        }
    }

    @Test
    void ratesAreTotalsOverTheSetNotMeansOfUtteranceRates() throws StageException {
        // u1: S 1, D 1 of N 4; u2: perfect, N 1; u3: empty reference, 1 insertion (N 0: no rate of its own)
        ErrorRate r = score("", "a b c d", "a x c", "a", "a", "", "b");
        assertEquals(1, r.substitutions);
        assertEquals(1, r.deletions);
        assertEquals(1, r.insertions);
        assertEquals(5, r.referenceSymbols);
        assertEquals(5, r.hypothesisSymbols);
        assertEquals(3.0 / 5, r.errorRate(), 1e-15); // the mean of the two defined utterance rates would be 0.25
        assertEquals(3.0 / 5, r.correct(), 1e-15); // (5 - 1 - 1) / 5
        assertEquals(2.0 / 5, r.accuracy(), 1e-15); // (5 - 1 - 1 - 1) / 5
        assertEquals(2.0 / 3, r.sentenceErrorRate(), 1e-15);
        Map<String, Number> v = r.values();
        assertEquals(3L, v.get("utterances"));
        assertEquals(5L, v.get("referenceSymbols"));
        // per reference symbol: a twice correct, b substituted, c correct, d deleted; b inserted once
        int a = SYMBOLS.indexOf("a");
        int b = SYMBOLS.indexOf("b");
        int d = SYMBOLS.indexOf("d");
        assertEquals(2, r.referenceCount[a]);
        assertEquals(2, r.correctCount[a]);
        assertEquals(1, r.substitutedCount[b]);
        assertEquals(1, r.insertedCount[b]);
        assertEquals(1, r.deletedCount[d]);
    }

    @Test
    void insertionsCanMakeAccuracyNegative() throws StageException {
        ErrorRate r = score("", "a", "x a y c");
        assertEquals(3, r.insertions);
        assertEquals(3.0, r.errorRate(), 1e-15);
        assertEquals(1.0, r.correct(), 1e-15);
        assertEquals(-2.0, r.accuracy(), 1e-15);
    }

    @Test
    void noReferenceSymbolsGiveNaNRates() throws StageException {
        ErrorRate r = score("pau", "pau", "a");
        assertEquals(0, r.referenceSymbols);
        assertEquals(1, r.insertions);
        assertTrue(Double.isNaN(r.errorRate()));
        assertEquals(1.0, r.sentenceErrorRate(), 0.0);
    }

    @Test
    void ignoredSymbolsLeaveBothSides() throws StageException {
        // without pau: ref "a b", hyp "a c" → one substitution of N 2
        ErrorRate r = score(" pau , ", "pau a b pau", "a pau c");
        assertEquals(2, r.referenceSymbols);
        assertEquals(2, r.hypothesisSymbols);
        assertEquals(1, r.substitutions);
        assertEquals(0, r.deletions + r.insertions);
        assertArrayEquals(seq("a b"), r.utterances.get(0).reference());
        // scored with pau, the same pair has 3 errors of N 4 (delete pau, match a, b → pau, pau → c)
        ErrorRate all = score("", "pau a b pau", "a pau c");
        assertEquals(4, all.referenceSymbols);
        assertEquals(3, all.errors());
    }

    @Test
    void unknownIgnoredSymbolIsNamedWithTheSymbols() {
        StageException e = assertThrows(StageException.class, () -> ErrorRateStageProvider.ignoredSymbols("pau,sil", SYMBOLS));
        assertTrue(e.getMessage().contains("'sil'"), e.getMessage());
        assertTrue(e.getMessage().contains("pau, a, b, c, d, x, y"), e.getMessage());
    }

    @Test
    void topConfusionsLargestFirstTiesInSymbolOrder() throws StageException {
        // a → b twice, c → a once, b → a once
        ErrorRate r = score("", "a a c b", "b b a a");
        List<ErrorRate.Confusion> top = r.topConfusions(20);
        int a = SYMBOLS.indexOf("a");
        int b = SYMBOLS.indexOf("b");
        int c = SYMBOLS.indexOf("c");
        assertEquals(List.of(new ErrorRate.Confusion(a, b, 2), new ErrorRate.Confusion(b, a, 1),
                new ErrorRate.Confusion(c, a, 1)), top);
        assertEquals(1, r.topConfusions(1).size());
    }

    @Test
    void descriptorIsAMetricOnTranscriptions() {
        var d = new ErrorRateStageProvider().descriptor();
        assertEquals("metric.error-rate", d.type());
        assertEquals(StageRole.METRIC, d.role());
        assertEquals(PortTypes.TRANSCRIPTIONS, d.input("transcriptions").orElseThrow().type());
        assertEquals("", d.configParam("ignore").orElseThrow().defaultValue());
    }

    @Test
    void stageWritesMetricsJsonAndAlignments() throws Exception {
        FakeRunContext ctx = new FakeRunContext(tmp, new TrainingRegime(1, 0, 1, 0));
        Transcriptions t = transcriptions("pau a b c d pau", "a x c", "a", "a", "", "b");
        new ErrorRateStageProvider().create(new StageConfig("per", Map.of("ignore", "pau")))
                .run(new FakeStageIO().with("transcriptions", t), ctx);
        assertEquals(List.of(3.0 / 5), ctx.series("errorRate"));
        assertEquals(List.of(2.0 / 5), ctx.series("accuracy"));
        assertEquals(List.of(1.0), ctx.series("deletions"));
        assertTrue(ctx.logs.get(0).contains("error rate 60.00% (S 1, D 1, I 1 of N 5"), ctx.logs.get(0));

        String json = Files.readString(ctx.runDir.resolve("error-rate-stage.json"));
        assertTrue(json.startsWith("{\"format\":\"hybridbench.metric.error-rate\",\"version\":1,\n\"ignored\":[\"pau\"]"), json);
        assertTrue(json.contains("\"totals\":{\"utterances\":3,\"referenceSymbols\":5,\"hypothesisSymbols\":5,"
                + "\"correctSymbols\":3,\"substitutions\":1,\"deletions\":1,\"insertions\":1,\"errors\":3,"
                + "\"sentenceErrors\":2,\"errorRate\":0.6,"), json);
        assertTrue(json.contains("{\"symbol\":\"b\",\"reference\":1,\"correct\":0,\"substitutions\":1,\"deletions\":0,"
                + "\"insertions\":1}"), json);
        assertTrue(!json.contains("\"symbol\":\"pau\""), json);
        assertTrue(json.contains("\"topConfusions\":[\n{\"reference\":\"b\",\"hypothesis\":\"x\",\"count\":1,"
                + "\"shareOfSubstitutions\":1.0}]"), json);
        assertTrue(json.contains("{\"id\":\"u1\",\"referenceSymbols\":4,\"hypothesisSymbols\":3,\"substitutions\":1,"
                + "\"deletions\":1,\"insertions\":0}"), json);
        assertTrue(json.contains("{\"id\":\"u3\",\"referenceSymbols\":0,\"hypothesisSymbols\":1,\"substitutions\":0,"
                + "\"deletions\":0,\"insertions\":1}]}"), json);

        String text = Files.readString(ctx.runDir.resolve("alignments-stage.txt"));
        assertTrue(text.startsWith("metric.error-rate alignments of stage stage: the first 3 of 3 utterances, ignoring pau.\n"), text);
        assertTrue(text.contains("""

                id: u1
                Scores: (#C #S #D #I) 2 1 1 0
                REF:  a B c D
                HYP:  a X c ***
                Eval:   S   D
                """), text);
        assertTrue(text.contains("""

                id: u3
                Scores: (#C #S #D #I) 0 0 0 1
                REF:  ***
                HYP:  B
                Eval: I
                """), text);
    }

    @Test
    void alignmentsFileShowsAtMostFiftyUtterances() throws Exception {
        String[] pairs = new String[2 * 60];
        Arrays.fill(pairs, "a b");
        FakeRunContext ctx = new FakeRunContext(tmp, new TrainingRegime(1, 0, 1, 0));
        new ErrorRateStageProvider().create(new StageConfig("per", Map.of("ignore", "")))
                .run(new FakeStageIO().with("transcriptions", transcriptions(pairs)), ctx);
        String text = Files.readString(ctx.runDir.resolve("alignments-stage.txt"));
        assertTrue(text.contains("the first 50 of 60 utterances.\n"), text);
        assertTrue(text.contains("id: u50\n") && !text.contains("id: u51\n"), text);
        assertEquals(List.of(0.0), ctx.series("errorRate"));
    }

    @Test
    void badInputIsRefused() {
        FakeRunContext ctx = new FakeRunContext(tmp, new TrainingRegime(1, 0, 1, 0));
        Transcriptions unscored = new Transcriptions(List.of("u1"), List.of(seq("a")), null, SYMBOLS);
        StageException none = assertThrows(StageException.class, () -> new ErrorRateStageProvider()
                .create(new StageConfig("per", Map.of("ignore", ""))).run(new FakeStageIO().with("transcriptions", unscored), ctx));
        assertTrue(none.getMessage().startsWith("metric.error-rate needs reference transcriptions"), none.getMessage());
        StageException unknown = assertThrows(StageException.class, () -> new ErrorRateStageProvider()
                .create(new StageConfig("per", Map.of("ignore", "sil"))).run(new FakeStageIO().with("transcriptions",
                        transcriptions("a", "a")), ctx));
        assertTrue(unknown.getMessage().contains("'ignore' names symbol 'sil'"), unknown.getMessage());
        Transcriptions empty = new Transcriptions(List.of(), List.of(), List.of(), SYMBOLS);
        StageException nothing = assertThrows(StageException.class, () -> new ErrorRateStageProvider()
                .create(new StageConfig("per", Map.of("ignore", ""))).run(new FakeStageIO().with("transcriptions", empty), ctx));
        assertTrue(nothing.getMessage().contains("no utterances"), nothing.getMessage());
        assertTrue(ctx.metrics.isEmpty());
    }
}
