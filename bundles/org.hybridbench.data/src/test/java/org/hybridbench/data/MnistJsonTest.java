package org.hybridbench.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.hybridbench.api.StageException;
import org.junit.jupiter.api.Test;

class MnistJsonTest {

    private static String digits(int n, String value) {
        StringBuilder sb = new StringBuilder("{ \"data\": [");
        for (int i = 0; i < n * 784; i++) {
            sb.append(i == 0 ? "" : ",").append(i == 5 ? value : "0");
        }
        return sb.append("]}").toString();
    }

    private static List<byte[]> parse(String text) throws StageException {
        return MnistJson.parse("7.json", text.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void restoresTheExactByteFromThreeDecimals() throws Exception {
        // 0.624 is 159/255 = 0.62352… rounded; 1 is 255; 0.004 is 1/255 = 0.00392…
        for (int b : new int[] {159, 255, 1, 128}) {
            String v = new java.math.BigDecimal(b / 255.0).setScale(3, java.math.RoundingMode.HALF_UP).toPlainString();
            List<byte[]> d = parse(digits(2, v));
            assertEquals(2, d.size());
            assertEquals(b, d.get(0)[5] & 0xff, v);
            assertEquals(0, d.get(1)[5]);
        }
    }

    @Test
    void truncatedFileNamesFileAndIndex() {
        String full = digits(1, "0.502");
        StageException e = assertThrows(StageException.class, () -> parse(full.substring(0, 801)));
        assertTrue(e.getMessage().matches("7\\.json: file ends (after|before) value #\\d+ \\(digit 0, pixel \\d+\\).*"), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void incompleteDigitIsReported() {
        String text = "{\"data\":[" + "0,".repeat(800) + "0]}";
        StageException e = assertThrows(StageException.class, () -> parse(text));
        assertTrue(e.getMessage().contains("holds 801 values") && e.getMessage().contains("digit #1"), e.getMessage());
    }

    @Test
    void nonNumberAndOutOfRangeValuesAreNamed() {
        StageException e = assertThrows(StageException.class, () -> parse(digits(1, "x")));
        assertTrue(e.getMessage().contains("value #5 (digit 0, pixel 5)"), e.getMessage());
        e = assertThrows(StageException.class, () -> parse(digits(1, "1.5")));
        assertTrue(e.getMessage().contains("value #5") && e.getMessage().contains("outside [0, 1]"), e.getMessage());
        e = assertThrows(StageException.class, () -> parse(digits(1, "0.1234")));
        assertTrue(e.getMessage().contains("not a pixel byte/255"), e.getMessage());
        e = assertThrows(StageException.class, () -> parse("{\"pixels\": []}"));
        assertTrue(e.getMessage().contains("\"data\""), e.getMessage());
    }
}
