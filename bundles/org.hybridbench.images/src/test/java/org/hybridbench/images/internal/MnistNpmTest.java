package org.hybridbench.images.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.hybridbench.api.StageException;
import org.junit.jupiter.api.Test;

class MnistNpmTest {
    @Test
    void parsesPackageValuesBackToBytes() throws Exception {
        StringBuilder sb = new StringBuilder("{\"data\":[");
        for (int p = 0; p < 2 * 784; p++) {
            int b = p % 256;
            // the package's form: byte/255 rounded to 3 decimals (e.g. 128 -> 0.502)
            sb.append(p > 0 ? "," : "").append(Math.round(b / 255.0 * 1000) / 1000.0);
        }
        sb.append("]}");
        List<byte[]> digits = MnistNpm.parse("3.json", sb.toString());
        assertEquals(2, digits.size());
        for (int p = 0; p < 784; p++) {
            assertEquals(p % 256, digits.get(0)[p] & 0xff);
            assertEquals((784 + p) % 256, digits.get(1)[p] & 0xff);
        }
    }

    @Test
    void badValuesNameFileDigitAndPixel() {
        String ok = "0,".repeat(784 + 5);
        String m = assertThrows(StageException.class, () -> MnistNpm.parse("7.json", "{\"data\":[" + ok + "0.1234]}")).getMessage();
        assertTrue(m.contains("7.json") && m.contains("value #789 (digit 1, pixel 5)") && m.contains("not a pixel byte/255"), m);
        m = assertThrows(StageException.class, () -> MnistNpm.parse("7.json", "{\"data\":[" + ok + "x]}")).getMessage();
        assertTrue(m.contains("is not a number: \"x\""), m);
        m = assertThrows(StageException.class, () -> MnistNpm.parse("7.json", "{\"data\":[" + ok + "0]}")).getMessage();
        assertTrue(m.contains("holds 790 values") && m.contains("truncated"), m);
        m = assertThrows(StageException.class, () -> MnistNpm.parse("7.json", "{\"data\":[0,0,0")).getMessage();
        assertTrue(m.contains("7.json") && m.contains("truncated"), m);
    }

    @Test
    void splitTakesEverySeventhDigitOfAClassAsTestAndInterleaves() {
        // class c has 8 + c digits; digit i of class c has every byte = c * 20 + i
        List<List<byte[]>> byClass = new ArrayList<>();
        for (int c = 0; c < 10; c++) {
            List<byte[]> digits = new ArrayList<>();
            for (int i = 0; i < 8 + c; i++) {
                byte[] d = new byte[784];
                java.util.Arrays.fill(d, (byte) (c * 20 + i));
                digits.add(d);
            }
            byClass.add(digits);
        }
        ImageSet test = MnistNpm.split(byClass, "test");
        // index 6 in every class (all have >= 8 digits); index 13 only in classes with >= 14 digits (c >= 6)
        assertEquals(10 + 4, test.size());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 6, 7, 8, 9}, test.labels());
        assertEquals(6 * 20 + 13, test.pixels()[10 * 784] & 0xff);
        assertEquals(MnistNpm.key(6, 13), test.keys()[10]);
        ImageSet train = MnistNpm.split(byClass, "train");
        assertEquals(10 * 8 + 45 - 14, train.size());
        // row 60 is the first of index 7 (indices 0..5 give 60 rows), class 0
        assertEquals(7, train.pixels()[60 * 784] & 0xff);
        // the k-th train digit of a class has index k + k/6; the k-th test digit 7k + 6
        assertEquals(7, MnistNpm.indexInClass("train", 6));
        assertEquals(13, MnistNpm.indexInClass("test", 1));
    }
}
