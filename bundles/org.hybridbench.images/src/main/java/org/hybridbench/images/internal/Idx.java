package org.hybridbench.images.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import org.hybridbench.api.StageException;

/**
 * Reads IDX files (LeCun's MNIST format, also Fashion-MNIST's): a big-endian header — magic {@code 0x00000803} for
 * images (unsigned bytes, 3 dimensions: count, rows, columns) or {@code 0x00000801} for labels (1 dimension: count) —
 * then the unsigned bytes. Gzipped files (the Debian package ships {@code *.gz}) are recognised by their first two
 * bytes. Every problem names the file and what was expected and found; a file must hold exactly its header's
 * payload, so a truncated or padded file is an error rather than silently different data.
 */
final class Idx {
    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;
    static final int SIDE = 28;
    static final int PIXELS = SIDE * SIDE;

    private Idx() {
    }

    /**
     * The pixels of an image file, {@code count × 784} bytes.
     *
     * @param expectedCount the number of images the file must hold, or -1 to accept any
     */
    static byte[] images(String name, byte[] file, int expectedCount) throws StageException {
        ByteBuffer b = ByteBuffer.wrap(decompress(name, file));
        header(name, b, IMAGES_MAGIC, 16, "images, 3 dimensions");
        int count = b.getInt();
        int rows = b.getInt();
        int cols = b.getInt();
        checkCount(name, count, expectedCount, "images");
        if (rows != SIDE || cols != SIDE) {
            throw new StageException(name + ": images are " + rows + "x" + cols + ", expected " + SIDE + "x" + SIDE);
        }
        return payload(name, b, (long) count * PIXELS, count + " images of " + PIXELS + " bytes");
    }

    /**
     * The labels of a label file, each checked to be in [0, classes).
     *
     * @param expectedCount the number of labels the file must hold, or -1 to accept any
     */
    static int[] labels(String name, byte[] file, int expectedCount, int classes) throws StageException {
        ByteBuffer b = ByteBuffer.wrap(decompress(name, file));
        header(name, b, LABELS_MAGIC, 8, "labels, 1 dimension");
        int count = b.getInt();
        checkCount(name, count, expectedCount, "labels");
        byte[] raw = payload(name, b, count, count + " labels");
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = raw[i] & 0xff;
            if (labels[i] >= classes) {
                throw new StageException(name + ": label #" + i + " is " + labels[i] + ", expected 0.." + (classes - 1));
            }
        }
        return labels;
    }

    private static void header(String name, ByteBuffer b, int magic, int headerBytes, String what) throws StageException {
        // the magic number first: a swapped or foreign file is best described by it, whatever its length
        int m = b.remaining() >= 4 ? b.getInt() : magic;
        if (m != magic) {
            throw new StageException(name + ": magic number " + hex(m) + ", expected " + hex(magic) + " (IDX " + what
                    + ")" + (m == LABELS_MAGIC || m == IMAGES_MAGIC ? ": images and labels swapped?" : ""));
        }
        if (b.position() + b.remaining() < headerBytes) {
            throw new StageException(name + ": " + b.limit() + " bytes (after decompression), too short for the "
                    + headerBytes + "-byte IDX header (" + what + "): truncated or not an IDX file");
        }
    }

    private static void checkCount(String name, int count, int expectedCount, String what) throws StageException {
        if (count < 0 || (expectedCount >= 0 && count != expectedCount)) {
            throw new StageException(name + ": header says " + Integer.toUnsignedString(count) + " " + what + ", expected "
                    + (expectedCount >= 0 ? expectedCount : "a non-negative count"));
        }
    }

    private static byte[] payload(String name, ByteBuffer b, long size, String what) throws StageException {
        if (b.remaining() != size) {
            throw new StageException(name + ": " + b.remaining() + " bytes follow the header, expected " + size + " ("
                    + what + "): " + (b.remaining() < size ? "truncated" : "extra bytes at the end"));
        }
        byte[] out = new byte[(int) size];
        b.get(out);
        return out;
    }

    /** The file's bytes, gunzipped if it starts with the gzip magic 1f 8b. */
    static byte[] decompress(String name, byte[] file) throws StageException {
        if (file.length < 2 || (file[0] & 0xff) != 0x1f || (file[1] & 0xff) != 0x8b) {
            return file;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(file.length * 2);
        byte[] buf = new byte[1 << 16];
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(file), 1 << 16)) {
            for (int n; (n = in.read(buf)) > 0;) {
                out.write(buf, 0, n);
            }
        } catch (EOFException e) {
            throw new StageException(name + ": the gzip stream of " + file.length + " bytes ends early, after "
                    + out.size() + " decompressed bytes: truncated file", e);
        } catch (ZipException e) {
            throw new StageException(name + ": corrupt gzip data after " + out.size() + " decompressed bytes ("
                    + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new StageException(name + ": unreadable gzip data (" + e.getMessage() + ")", e);
        }
        return out.toByteArray();
    }

    static String hex(int v) {
        return String.format("0x%08x", v);
    }
}
