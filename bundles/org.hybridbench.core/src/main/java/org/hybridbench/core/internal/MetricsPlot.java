package org.hybridbench.core.internal;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Draws every metric series of a run ({@code metrics.jsonl}: one panel per stage and metric with at least two
 * points, value against step) into one PNG, because a learning curve is read at a glance and not from numbers.
 */
final class MetricsPlot {
    static final int MAX_PANELS = 24;
    private static final int COLS = 3;
    private static final int W = 380;
    private static final int H = 230;

    private MetricsPlot() {
    }

    /** Series keyed "stage: metric", in order of first appearance; each a list of (step, value). */
    static Map<String, List<double[]>> read(Path metricsJsonl) throws IOException {
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        if (!Files.isRegularFile(metricsJsonl)) {
            return series;
        }
        for (String line : Files.readAllLines(metricsJsonl, StandardCharsets.UTF_8)) {
            JsonNode n;
            try {
                n = PipelineParser.MAPPER.readTree(line);
            } catch (IOException torn) {
                continue; // a line torn by a kill
            }
            if (n == null || !n.isObject()) {
                continue;
            }
            String stage = n.path("stage").asText();
            double step = n.path("step").asDouble();
            n.properties().forEach(e -> {
                if (e.getValue().isNumber() && !e.getKey().equals("step")) {
                    series.computeIfAbsent(stage + ": " + e.getKey(), k -> new ArrayList<>())
                            .add(new double[] {step, e.getValue().doubleValue()});
                }
            });
        }
        series.values().removeIf(points -> points.size() < 2);
        return series;
    }

    /** Writes the plot (atomically); returns false when there is nothing to plot. */
    static boolean write(Path metricsJsonl, Path png) throws IOException {
        Map<String, List<double[]>> series = read(metricsJsonl);
        if (series.isEmpty()) {
            return false;
        }
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        List<Map.Entry<String, List<double[]>>> panels = new ArrayList<>(series.entrySet()).subList(0, Math.min(MAX_PANELS, series.size()));
        int rows = (panels.size() + COLS - 1) / COLS;
        int cols = Math.min(COLS, panels.size());
        BufferedImage img = new BufferedImage(cols * W, rows * H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            for (int i = 0; i < panels.size(); i++) {
                panel(g, (i % COLS) * W, (i / COLS) * H, panels.get(i).getKey(), panels.get(i).getValue());
            }
        } finally {
            g.dispose();
        }
        AtomicFiles.write(png, out -> ImageIO.write(img, "png", out));
        return true;
    }

    private static void panel(Graphics2D g, int x0, int y0, String title, List<double[]> points) {
        int left = x0 + 62;
        int right = x0 + W - 14;
        int top = y0 + 28;
        int bottom = y0 + H - 30;
        double minX = Double.POSITIVE_INFINITY, maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY, maxY = Double.NEGATIVE_INFINITY;
        for (double[] p : points) {
            if (Double.isFinite(p[1])) {
                minX = Math.min(minX, p[0]);
                maxX = Math.max(maxX, p[0]);
                minY = Math.min(minY, p[1]);
                maxY = Math.max(maxY, p[1]);
            }
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
        g.setColor(Color.DARK_GRAY);
        g.drawString(title, x0 + 10, y0 + 17);
        g.setColor(new Color(0xCCCCCC));
        g.drawRect(left, top, right - left, bottom - top);
        if (minX > maxX) {
            return; // no finite value
        }
        if (maxX == minX) {
            maxX = minX + 1;
        }
        if (maxY == minY) {
            double pad = Math.max(1e-12, Math.abs(minY) * 1e-6);
            minY -= pad;
            maxY += pad;
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        g.setColor(Color.GRAY);
        g.drawString(fmt(maxY), x0 + 4, top + 8);
        g.drawString(fmt(minY), x0 + 4, bottom);
        g.drawString(fmtStep(minX), left, bottom + 14);
        String maxLabel = fmtStep(maxX);
        g.drawString(maxLabel, right - g.getFontMetrics().stringWidth(maxLabel), bottom + 14);
        g.drawString("step", (left + right) / 2 - 10, bottom + 14);
        Path2D.Double line = new Path2D.Double();
        boolean started = false;
        for (double[] p : points) {
            if (!Double.isFinite(p[1])) {
                started = false;
                continue;
            }
            double px = left + (p[0] - minX) / (maxX - minX) * (right - left);
            double py = bottom - (p[1] - minY) / (maxY - minY) * (bottom - top);
            if (started) {
                line.lineTo(px, py);
            } else {
                line.moveTo(px, py);
                started = true;
            }
        }
        g.setColor(new Color(0x1F77B4));
        g.setStroke(new BasicStroke(1.8f));
        g.draw(line);
    }

    /** Steps are usually whole numbers: show them so. */
    static String fmtStep(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : fmt(v);
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, Math.abs(v) >= 1e5 || (Math.abs(v) < 1e-3 && v != 0) ? "%.3g" : "%.4g", v);
    }
}
