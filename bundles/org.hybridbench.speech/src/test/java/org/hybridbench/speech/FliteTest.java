package org.hybridbench.speech;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

import org.hybridbench.api.StageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real flite (installed by .ci/run): timings, alignment, clipping and bad input. Not skipped when flite is missing. */
class FliteTest {
    private static final String TEXT = "The couple was married in August.";
    @TempDir
    Path dir;

    private static CorpusGenerator generator() {
        return new CorpusGenerator(new CorpusGenerator.Settings(List.of("slt"), 1, 1, 50, 0, 0, List.of(Double.POSITIVE_INFINITY), 1,
                false), new Flite("flite"));
    }

    private static CorpusGenerator.Job job(String voice) {
        return new CorpusGenerator.Job(voice + "-0000", voice, 0, TEXT, 1.0, Double.NaN, Double.POSITIVE_INFINITY, 1);
    }

    /** Frames whose centre (160t + 200 samples) lies in (a, b] ms, counted in integers: 160t + 200 ≤ 16·b_ms. */
    private static int framesUpTo(long endMs, int frames) {
        long t = Math.floorDiv(16 * endMs - 200, 160);
        return (int) Math.max(0, Math.min(frames, t + 1));
    }

    @Test
    void aRealUtteranceHasTheClosedFormFrameCountAndFlitesPhoneBoundaries() throws Exception {
        for (String voice : List.of("slt", "awb", "rms", "kal16")) {
            Flite flite = new Flite("flite");
            Path wav = dir.resolve(voice + ".wav");
            String printed = flite.synthesize(flite.command(voice, TEXT, 1.0, Double.NaN, wav), voice);
            long n;
            try (AudioInputStream in = AudioSystem.getAudioInputStream(new File(wav.toString()))) {
                assertEquals(16_000f, in.getFormat().getSampleRate(), voice + " is 16 kHz");
                n = in.getFrameLength(); // javax.sound's own reading of the header
            }
            Utterance u = generator().analyse(job(voice), Files.readAllBytes(wav), printed, "cmd");
            int frames = (int) ((n - 400) / 160 + 1);
            assertEquals(frames, u.frames(), voice + ": floor((N - 400)/160) + 1 with N = " + n);
            assertEquals(n, u.samples());

            // Expected labels straight from flite's printed end times (in ms), clipped to the waveform.
            String[] tokens = printed.trim().split("\\s+");
            List<Integer> expected = new ArrayList<>();
            int done = 0;
            for (String tok : tokens) {
                String phone = tok.substring(0, tok.indexOf(':'));
                long endMs = Math.round(Double.parseDouble(tok.substring(tok.indexOf(':') + 1)) * 1000);
                int upTo = framesUpTo(endMs, frames);
                for (; done < upTo; done++) {
                    expected.add(Phones.SET.indexOf(phone));
                }
            }
            for (; done < frames; done++) {
                expected.add(Phones.SET.indexOf("pau")); // only if the printed times end before the waveform (they do not)
            }
            for (int t = 0; t < frames; t++) {
                assertEquals((int) expected.get(t), u.labels()[t], voice + " frame " + t);
            }
            double lastPrinted = Double.parseDouble(tokens[tokens.length - 1].substring(tokens[tokens.length - 1].indexOf(':') + 1));
            double seconds = n / 16_000.0;
            if (voice.equals("kal16")) {
                assertTrue(lastPrinted > seconds + 0.05, "kal16 prints a final pause beyond its waveform: " + lastPrinted + " > " + seconds);
            }
            assertEquals(Math.min(lastPrinted, seconds), u.phones().get(u.phones().size() - 1).end(), 1e-12, voice + ": clipped end");
            assertEquals("pau", u.phones().get(u.phones().size() - 1).phone());
        }
    }

    @Test
    void anEightKilohertzVoiceIsAClearErrorNamingTheUtterance() throws Exception {
        Flite flite = new Flite("flite");
        Path wav = dir.resolve("kal.wav");
        String printed = flite.synthesize(flite.command("kal", TEXT, 1.0, Double.NaN, wav), "kal");
        StageException e = assertThrows(StageException.class,
                () -> generator().analyse(job("kal"), Files.readAllBytes(wav), printed, "cmd"));
        assertTrue(e.getMessage().contains("utterance kal-0000") && e.getMessage().contains("expected a sample rate of 16000 Hz, found 8000 Hz"),
                e.getMessage());
    }

    @Test
    void anUtteranceShorterThanOneWindowOrWithAnUnknownPhoneIsNamed() {
        byte[] shortWav = Wav.write(16_000, new double[399]);
        StageException e = assertThrows(StageException.class, () -> generator().analyse(job("slt"), shortWav, "pau:0.02", "cmd"));
        assertTrue(e.getMessage().contains("utterance slt-0000") && e.getMessage().contains("399 samples"), e.getMessage());
        byte[] okWav = Wav.write(16_000, new double[1600]);
        e = assertThrows(StageException.class, () -> generator().analyse(job("slt"), okWav, "pau:0.05 qq:0.1", "cmd"));
        assertTrue(e.getMessage().contains("utterance slt-0000") && e.getMessage().contains("'qq'"), e.getMessage());
    }

    @Test
    void aMissingFliteSaysHowToInstallIt() {
        StageException e = assertThrows(StageException.class, () -> new Flite(dir.resolve("no-flite").toString()).version());
        assertTrue(e.getMessage().contains("apt-get install flite"), e.getMessage());
    }

    @Test
    void speedAndPitchSettingsReachFlite() throws Exception {
        Flite flite = new Flite("flite");
        assertTrue(flite.version().startsWith("flite-"), flite.version());
        String normal = flite.synthesize(flite.command("slt", TEXT, 1.0, Double.NaN, dir.resolve("a.wav")), "a");
        String slow = flite.synthesize(flite.command("slt", TEXT, 1.3, Double.NaN, dir.resolve("b.wav")), "b");
        double endNormal = Phones.parse(normal, "a").get(Phones.parse(normal, "a").size() - 1).end();
        double endSlow = Phones.parse(slow, "b").get(Phones.parse(slow, "b").size() - 1).end();
        assertTrue(endSlow > 1.2 * endNormal, "duration_stretch=1.3 lengthens the utterance: " + endSlow + " vs " + endNormal);
        flite.synthesize(flite.command("slt", TEXT, 1.0, 172.0, dir.resolve("c.wav")), "c");
        flite.synthesize(flite.command("slt", TEXT, 1.0, 220.0, dir.resolve("d.wav")), "d");
        // 172 Hz is slt's own target (see Flite.DEFAULT_F0): the same waveform; 220 Hz changes it.
        byte[] a = Files.readAllBytes(dir.resolve("a.wav"));
        assertTrue(java.util.Arrays.equals(a, Files.readAllBytes(dir.resolve("c.wav"))));
        assertTrue(!java.util.Arrays.equals(a, Files.readAllBytes(dir.resolve("d.wav"))));
    }

    @Test
    void noiseHasTheStatedSnr() {
        double[] x = new double[160_000];
        for (int i = 0; i < x.length; i++) {
            x[i] = 5000 * Math.sin(i * 0.05);
        }
        double[] y = x.clone();
        CorpusGenerator.addNoise(y, 10, new java.util.SplittableRandom(5));
        double ps = 0;
        double pn = 0;
        for (int i = 0; i < x.length; i++) {
            ps += x[i] * x[i];
            pn += (y[i] - x[i]) * (y[i] - x[i]);
        }
        assertEquals(10, 10 * Math.log10(ps / pn), 0.05);
    }
}
