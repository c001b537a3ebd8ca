package org.hybridbench.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.List;

import org.junit.jupiter.api.Test;

class ImageGridTest {
    @Test
    void drawsRowMajorPixelsClampedWithNanInRed() {
        // a 2x2 image: top-left 0, top-right 1, bottom-left overshoot 1.7 (drawn white), bottom-right NaN
        double[] image = {0.0, 1.0, 1.7, Double.NaN};
        BufferedImage img = ImageGrid.render(List.of(image, new double[] {0.25, 0.25, 0.25, 0.25}), 1, null);
        // no title: one column of two tiles of 2·2 = 4 px, gaps of 2 px
        assertEquals(2 + 4 + 2, img.getWidth());
        assertEquals(2 + 2 * (4 + 2), img.getHeight());
        assertEquals(0x000000, img.getRGB(2, 2) & 0xFFFFFF);
        assertEquals(0xFFFFFF, img.getRGB(2 + 2, 2) & 0xFFFFFF);
        assertEquals(0xFFFFFF, img.getRGB(2, 2 + 2) & 0xFFFFFF);
        assertEquals(0xFF0000, img.getRGB(2 + 3, 2 + 3) & 0xFFFFFF);
        // second tile below the first, grey 64 = round(255 · 0.25)
        assertEquals(0x404040, img.getRGB(3, 2 + 4 + 2 + 1) & 0xFFFFFF);
    }

    @Test
    void rejectsNonSquareAndMixedSizes() {
        String m = assertThrows(IllegalArgumentException.class, () -> ImageGrid.render(List.of(new double[5]), 4, "t"))
                .getMessage();
        assertTrue(m.contains("image 0 has 5 values"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> ImageGrid.render(List.of(new double[4], new double[9]), 4, "t")).getMessage();
        assertTrue(m.contains("image 1 has 9 values, image 0 has 4"), m);
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.render(List.of(), 4, "t"));
    }
}
