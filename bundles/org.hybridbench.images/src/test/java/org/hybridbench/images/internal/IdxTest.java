package org.hybridbench.images.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import org.hybridbench.api.StageException;
import org.junit.jupiter.api.Test;

class IdxTest {
    /** An IDX image file of {@code n} images, header count {@code declared}, pixel p of image i = (i + p) % 256. */
    static byte[] imageFile(int magic, int declared, int rows, int cols, int n) {
        ByteBuffer b = ByteBuffer.allocate(16 + n * rows * cols);
        b.putInt(magic).putInt(declared).putInt(rows).putInt(cols);
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < rows * cols; p++) {
                b.put((byte) (i + p));
            }
        }
        return b.array();
    }

    static byte[] labelFile(int magic, int declared, byte... labels) {
        return ByteBuffer.allocate(8 + labels.length).putInt(magic).putInt(declared).put(labels).array();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    @Test
    void readsPlainAndGzippedImagesAndLabels() throws Exception {
        byte[] file = imageFile(0x803, 3, 28, 28, 3);
        byte[] plain = Idx.images("plain", file, 3);
        assertArrayEquals(Arrays.copyOfRange(file, 16, file.length), plain);
        assertEquals((byte) (2 + 783), plain[2 * 784 + 783]);
        assertArrayEquals(plain, Idx.images("gz", gzip(file), -1));
        assertArrayEquals(new int[] {9, 0, 3}, Idx.labels("labels", gzip(labelFile(0x801, 3, (byte) 9, (byte) 0, (byte) 3)), 3, 10));
    }

    private static String message(byte[] file, boolean images, int expected) {
        return assertThrows(StageException.class, () -> {
            if (images) {
                Idx.images("train-images-idx3-ubyte.gz", file, expected);
            } else {
                Idx.labels("train-labels-idx1-ubyte.gz", file, expected, 10);
            }
        }).getMessage();
    }

    @Test
    void truncatedFilesAreNamedWithExpectedAndFoundSizes() throws Exception {
        byte[] file = imageFile(0x803, 3, 28, 28, 3);
        String m = message(Arrays.copyOf(file, file.length - 100), true, 3);
        assertTrue(m.startsWith("train-images-idx3-ubyte.gz: "), m);
        assertTrue(m.contains((3 * 784 - 100) + " bytes follow the header, expected " + 3 * 784) && m.contains("truncated"), m);

        byte[] gz = gzip(file);
        m = message(Arrays.copyOf(gz, gz.length / 2), true, 3);
        assertTrue(m.contains("train-images-idx3-ubyte.gz") && m.contains("ends early") && m.contains("truncated"), m);

        m = message(Arrays.copyOf(file, 10), true, 3);
        assertTrue(m.contains("10 bytes") && m.contains("16-byte IDX header"), m);

        byte[] padded = Arrays.copyOf(file, file.length + 5);
        m = message(padded, true, 3);
        assertTrue(m.contains((3 * 784 + 5) + " bytes follow the header, expected " + 3 * 784) && m.contains("extra bytes"), m);
    }

    @Test
    void wrongMagicCountShapeAndLabelsAreRejected() {
        String m = message(labelFile(0x801, 0), true, -1);
        assertTrue(m.contains("magic number 0x00000801, expected 0x00000803") && m.contains("swapped"), m);
        m = message(imageFile(0x803, 3, 28, 28, 3), true, 60_000);
        assertTrue(m.contains("header says 3 images, expected 60000"), m);
        m = message(imageFile(0x803, 2, 32, 32, 2), true, 2);
        assertTrue(m.contains("images are 32x32, expected 28x28"), m);
        m = message(labelFile(0x801, 3, (byte) 1, (byte) 10, (byte) 2), false, 3);
        assertTrue(m.contains("label #1 is 10, expected 0..9"), m);
        m = message(labelFile(0x801, 2, (byte) 1, (byte) 2), false, 3);
        assertTrue(m.contains("header says 2 labels, expected 3"), m);
    }
}
