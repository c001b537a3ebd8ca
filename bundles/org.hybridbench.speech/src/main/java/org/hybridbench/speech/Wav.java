package org.hybridbench.speech;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * RIFF/WAVE files with 16-bit PCM samples, the format flite writes. Only what the corpus needs: reading checks
 * that a file is PCM, 16-bit, mono and of the expected sample rate and says which of these it is not (naming the
 * file), so a voice with another rate (flite's {@code kal} is 8 kHz) fails clearly instead of giving wrong MFCCs.
 * Samples are returned on the 16-bit integer scale (−32768 … 32767), as HTK uses them.
 */
final class Wav {
    private Wav() {
    }

    /** A decoded file: its sample rate and samples on the 16-bit integer scale. */
    record Audio(int sampleRate, double[] samples) {
    }

    /** Reads a RIFF PCM 16-bit mono file of {@code expectedRate} Hz; {@code name} is used in error messages. */
    static Audio read(byte[] bytes, String name, int expectedRate) throws WavException {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 12 || !ascii(bytes, 0, "RIFF") || !ascii(bytes, 8, "WAVE")) {
            throw new WavException(name + ": not a RIFF/WAVE file (" + bytes.length + " bytes)");
        }
        int pos = 12;
        int format = -1;
        int channels = -1;
        int rate = -1;
        int bits = -1;
        while (pos + 8 <= bytes.length) {
            String id = new String(bytes, pos, 4, java.nio.charset.StandardCharsets.US_ASCII);
            long size = Integer.toUnsignedLong(b.getInt(pos + 4));
            int body = pos + 8;
            if (id.equals("fmt ")) {
                if (size < 16 || body + 16 > bytes.length) {
                    throw new WavException(name + ": truncated fmt chunk");
                }
                format = Short.toUnsignedInt(b.getShort(body));
                channels = Short.toUnsignedInt(b.getShort(body + 2));
                rate = b.getInt(body + 4);
                bits = Short.toUnsignedInt(b.getShort(body + 14));
            } else if (id.equals("data")) {
                if (format == -1) {
                    throw new WavException(name + ": data chunk before the fmt chunk");
                }
                if (format != 1 || bits != 16) {
                    throw new WavException(name + ": expected PCM 16-bit samples, found format " + format + " with " + bits
                            + " bits per sample");
                }
                if (channels != 1) {
                    throw new WavException(name + ": expected mono (1 channel), found " + channels + " channels");
                }
                if (rate != expectedRate) {
                    throw new WavException(name + ": expected a sample rate of " + expectedRate + " Hz, found " + rate
                            + " Hz (resample it, or use a voice that synthesises at " + expectedRate + " Hz)");
                }
                // flite writes the true data size; a streamed file may say 0 or more than there is, so read what exists.
                long available = bytes.length - body;
                int n = (int) (Math.min(size == 0 ? available : size, available) / 2);
                double[] samples = new double[n];
                for (int i = 0; i < n; i++) {
                    samples[i] = b.getShort(body + 2 * i);
                }
                return new Audio(rate, samples);
            }
            pos = (int) Math.min(Integer.MAX_VALUE, body + size + (size & 1)); // chunks are padded to even sizes
        }
        throw new WavException(name + ": no data chunk");
    }

    /** A RIFF PCM 16-bit mono file of the samples (rounded and clipped to 16 bits). */
    static byte[] write(int sampleRate, double[] samples) {
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * samples.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + 2 * samples.length)
                .put("WAVE".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16)
                .putShort((short) 1).putShort((short) 1).putInt(sampleRate).putInt(sampleRate * 2).putShort((short) 2)
                .putShort((short) 16)
                .put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(2 * samples.length);
        for (double s : samples) {
            b.putShort((short) Math.max(-32768, Math.min(32767, Math.round(s))));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(b.array(), 0, b.position());
        return out.toByteArray();
    }

    private static boolean ascii(byte[] bytes, int at, String s) {
        for (int i = 0; i < s.length(); i++) {
            if (bytes[at + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** A wav file that is not what the front end expects; the message names the file. */
    static final class WavException extends Exception {
        private static final long serialVersionUID = 1L;

        WavException(String message) {
            super(message);
        }
    }
}
