package org.hybridbench.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsPlotTest {

    @Test
    void seriesAreGroupedByStageAndMetricAndTornLinesAreSkipped(@TempDir Path dir) throws Exception {
        Path m = Files.writeString(dir.resolve("metrics.jsonl"), """
                {"time":"t","stage":"gmm","step":1,"logLikelihood":-10.0,"bic":5}
                {"time":"t","stage":"gmm","step":2,"logLikelihood":-8.5,"bic":4}
                {"time":"t","stage":"eval","step":0,"purity":0.5}
                {"time":"t","stage":"gmm","step":3,"logLikel""");
        Map<String, List<double[]>> s = MetricsPlot.read(m);
        assertEquals(List.of("gmm: logLikelihood", "gmm: bic"), List.copyOf(s.keySet()), "single points are not plotted");
        assertEquals(-8.5, s.get("gmm: logLikelihood").get(1)[1]);
        assertEquals(2, s.get("gmm: logLikelihood").size());
    }

    @Test
    void writesAPngWithOnePanelPerSeries(@TempDir Path dir) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 50; i++) {
            sb.append("{\"stage\":\"gmm\",\"step\":").append(i).append(",\"logLikelihood\":").append(-100.0 / i)
                    .append(",\"bic\":").append(1000 - i).append("}\n");
        }
        Path m = Files.writeString(dir.resolve("metrics.jsonl"), sb);
        assertTrue(MetricsPlot.write(m, dir.resolve("metrics.png")));
        BufferedImage img = ImageIO.read(dir.resolve("metrics.png").toFile());
        assertEquals(2 * 380, img.getWidth());
        assertEquals(230, img.getHeight());
        // the curve is drawn: some pixels of the line colour exist inside the first panel
        int blue = 0;
        for (int x = 62; x < 366; x++) {
            for (int y = 28; y < 200; y++) {
                int rgb = img.getRGB(x, y) & 0xFFFFFF;
                if ((rgb & 0xFF) > 150 && ((rgb >> 16) & 0xFF) < 120) {
                    blue++;
                }
            }
        }
        assertTrue(blue > 100, "curve pixels: " + blue);
        assertFalse(MetricsPlot.write(dir.resolve("missing.jsonl"), dir.resolve("none.png")));
    }
}
