package org.hybridbench.speech;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

import org.junit.jupiter.api.Test;

class WavTest {

    private static double[] ramp() {
        double[] x = new double[1000];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i * 97 % 65536) - 32768;
        }
        return x;
    }

    @Test
    void roundTripsAndJavaSoundReadsWhatWeWrite() throws Exception {
        double[] x = ramp();
        byte[] bytes = Wav.write(16_000, x);
        Wav.Audio a = Wav.read(bytes, "ramp.wav", 16_000);
        assertEquals(16_000, a.sampleRate());
        assertArrayEquals(x, a.samples());
        // An independent reader: javax.sound sees a 16 kHz, 16-bit, mono PCM stream of 1000 frames.
        try (AudioInputStream in = AudioSystem.getAudioInputStream(new ByteArrayInputStream(bytes))) {
            AudioFormat f = in.getFormat();
            assertEquals(16_000f, f.getSampleRate());
            assertEquals(16, f.getSampleSizeInBits());
            assertEquals(1, f.getChannels());
            assertEquals(1000, in.getFrameLength());
            byte[] pcm = in.readAllBytes();
            ByteBuffer b = ByteBuffer.wrap(pcm).order(f.isBigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < 1000; i++) {
                assertEquals(x[i], b.getShort(2 * i), "sample " + i);
            }
        }
    }

    @Test
    void anotherSampleRateIsRejectedNamingTheFileAndTheExpectedRate() {
        byte[] bytes = Wav.write(8000, ramp());
        Wav.WavException e = assertThrows(Wav.WavException.class, () -> Wav.read(bytes, "utterance kal-0001", 16_000));
        assertTrue(e.getMessage().contains("utterance kal-0001") && e.getMessage().contains("16000 Hz")
                && e.getMessage().contains("8000 Hz"), e.getMessage());
    }

    @Test
    void stereoAnd8BitAndNonWaveAreRejected() {
        byte[] stereo = Wav.write(16_000, ramp());
        ByteBuffer.wrap(stereo).order(ByteOrder.LITTLE_ENDIAN).putShort(22, (short) 2);
        Wav.WavException e = assertThrows(Wav.WavException.class, () -> Wav.read(stereo, "two.wav", 16_000));
        assertTrue(e.getMessage().contains("two.wav") && e.getMessage().contains("mono") && e.getMessage().contains("2 channels"),
                e.getMessage());

        byte[] eight = Wav.write(16_000, ramp());
        ByteBuffer.wrap(eight).order(ByteOrder.LITTLE_ENDIAN).putShort(34, (short) 8);
        e = assertThrows(Wav.WavException.class, () -> Wav.read(eight, "eight.wav", 16_000));
        assertTrue(e.getMessage().contains("eight.wav") && e.getMessage().contains("16-bit"), e.getMessage());

        e = assertThrows(Wav.WavException.class, () -> Wav.read("hello".getBytes(), "text.wav", 16_000));
        assertTrue(e.getMessage().contains("text.wav") && e.getMessage().contains("RIFF"), e.getMessage());
    }
}
