package org.hybridbench.shell.internal;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.hybridbench.api.workbench.RunInfo;
import org.hybridbench.api.workbench.RunStatus;

/**
 * Training curves of several runs in one picture: one panel per {@code stage.metric}, value against step, one
 * line per run, coloured by its {@link RunSummary.Group} so that the seeds of one configuration share a colour
 * and the spread over seeds is seen next to the difference between configurations.
 */
final class RunCurves {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int PANEL_WIDTH = 420;
    static final int PANEL_HEIGHT = 280;
    static final int COLUMNS = 3;
    /** More panels than this make an unreadable picture; the user should name fewer metrics. */
    static final int MAX_PANELS = 36;
    static final int LEGEND_LINE = 18;
    static final int LEGEND_PADDING = 12;

    // Panel margins: room for y tick labels on the left, x tick labels and "step" below, the title on top.
    private static final int LEFT = 66;
    private static final int RIGHT = 16;
    private static final int TOP = 30;
    private static final int BOTTOM = 40;

    /** The ten colours of matplotlib's "tab10" cycle, which readers of learning curves are used to. */
    private static final int[] PALETTE = {0x1F77B4, 0xFF7F0E, 0x2CA02C, 0xD62728, 0x9467BD, 0x8C564B, 0xE377C2,
        0x7F7F7F, 0xBCBD22, 0x17BECF};

    private RunCurves() {
    }

    /**
     * One run's series of one metric.
     *
     * @param group the index of the run's group in {@link Plot#groups()}, which picks its colour
     * @param points (step, value) pairs sorted by step; a value may be NaN or infinite (the line breaks there)
     */
    record Curve(RunInfo run, int group, List<double[]> points) {
    }

    /**
     * What to draw.
     *
     * @param groups the runs' groups, in {@link RunSummary#group} order
     * @param panels the curves of each {@code stage.metric} key, keys in the order requested
     */
    record Plot(List<RunSummary.Group> groups, Map<String, List<Curve>> panels) {
    }

    /** The runs whose pipeline and id match the globs. */
    static List<RunInfo> selected(List<RunInfo> runs, String pipelineGlob, String runGlob) {
        PathMatcher pipelineMatch = FileSystems.getDefault().getPathMatcher("glob:" + pipelineGlob);
        PathMatcher runMatch = FileSystems.getDefault().getPathMatcher("glob:" + runGlob);
        return runs.stream().filter(r -> pipelineMatch.matches(Path.of(r.pipeline())) && runMatch.matches(Path.of(r.id())))
                .toList();
    }

    /**
     * The completed runs among {@code selected}, the runs of {@link #selected}.
     *
     * @throws IllegalArgumentException when there are none, saying how many were selected but did not complete
     */
    static List<RunInfo> finished(List<RunInfo> selected, String pipelineGlob, String runGlob, Path runsDirectory) {
        List<RunInfo> finished = selected.stream().filter(r -> r.status() == RunStatus.COMPLETED).toList();
        if (finished.isEmpty()) {
            throw new IllegalArgumentException("no finished runs" + (selected.isEmpty() ? "" : " (" + selected.size()
                    + " selected runs are not completed)") + " in " + runsDirectory + " with pipeline '" + pipelineGlob
                    + "' and run id '" + runGlob + "'");
        }
        return finished;
    }

    /**
     * Every series of a run's {@code metrics.jsonl}, keyed {@code stage.metric} in order of first appearance. When
     * a step occurs twice (a resumed run logs again the steps after its last checkpoint) the later value is kept,
     * as it is the one the finished run continued from. A torn line (a run killed mid-write) is skipped.
     */
    static Map<String, List<double[]>> read(Path metricsJsonl) throws IOException {
        Map<String, TreeMap<Double, Double>> byStep = new LinkedHashMap<>();
        if (!Files.isRegularFile(metricsJsonl)) {
            return Map.of();
        }
        for (String line : Files.readAllLines(metricsJsonl, StandardCharsets.UTF_8)) {
            JsonNode fields;
            try {
                fields = JSON.readTree(line);
            } catch (JsonProcessingException torn) {
                continue;
            }
            if (fields == null || !fields.isObject() || !fields.path("stage").isTextual()) {
                continue;
            }
            String stage = fields.get("stage").textValue();
            double step = fields.path("step").isNumber() ? fields.get("step").doubleValue() : 0;
            fields.properties().forEach(e -> {
                String name = e.getKey();
                JsonNode value = e.getValue();
                if (!name.equals("step") && value.isNumber()) {
                    byStep.computeIfAbsent(stage + "." + name, k -> new TreeMap<>()).put(step, value.doubleValue());
                } else if (!name.equals("stage") && !name.equals("time") && value.isTextual() && isNonFinite(value.textValue())) {
                    // the workbench writes NaN and infinities as text, JSON having no such numbers
                    byStep.computeIfAbsent(stage + "." + name, k -> new TreeMap<>()).put(step, Double.parseDouble(value.textValue()));
                }
            });
        }
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        byStep.forEach((key, points) -> series.put(key,
                points.entrySet().stream().map(e -> new double[] {e.getKey(), e.getValue()}).toList()));
        return series;
    }

    private static boolean isNonFinite(String s) {
        return s.equals("NaN") || s.equals("Infinity") || s.equals("-Infinity");
    }

    /**
     * The keys {@code requested} names: a full key {@code stage.metric}, or a bare metric name matching it in every
     * stage that logs it.
     *
     * @throws IllegalArgumentException naming the keys that exist, when nothing is requested or a request matches none
     */
    static List<String> select(List<String> requested, Collection<String> available) {
        if (requested.isEmpty()) {
            throw new IllegalArgumentException("name the metrics to draw with -m stage.metric[,stage.metric...]; the "
                    + "selected runs log " + new TreeSet<>(available));
        }
        LinkedHashSet<String> keys = new LinkedHashSet<>();
        for (String want : requested) {
            List<String> match = available.stream().filter(k -> k.equals(want) || k.endsWith("." + want)).sorted().toList();
            if (match.isEmpty()) {
                throw new IllegalArgumentException("no selected run logs a metric '" + want + "'; they log "
                        + new TreeSet<>(available));
            }
            keys.addAll(match);
        }
        return List.copyOf(keys);
    }

    /** Reads the runs' metrics.jsonl files and collects the curves of the requested metrics. */
    static Plot collect(List<RunInfo> runs, List<String> requested) throws IOException {
        List<RunSummary.Group> groups = RunSummary.group(runs);
        Map<RunInfo, Map<String, List<double[]>>> series = new LinkedHashMap<>();
        TreeSet<String> available = new TreeSet<>();
        for (RunSummary.Group g : groups) {
            for (RunInfo r : g.runs()) {
                Map<String, List<double[]>> s = read(r.directory().resolve("metrics.jsonl"));
                series.put(r, s);
                available.addAll(s.keySet());
            }
        }
        List<String> keys = select(requested, available);
        if (keys.size() > MAX_PANELS) {
            throw new IllegalArgumentException(keys.size() + " panels requested (" + String.join(", ", keys) + "); at most "
                    + MAX_PANELS + " fit one picture");
        }
        Map<String, List<Curve>> panels = new LinkedHashMap<>();
        for (String key : keys) {
            List<Curve> curves = new ArrayList<>();
            for (int i = 0; i < groups.size(); i++) {
                for (RunInfo r : groups.get(i).runs()) {
                    List<double[]> points = series.get(r).get(key);
                    if (points != null) {
                        curves.add(new Curve(r, i, points));
                    }
                }
            }
            panels.put(key, curves);
        }
        return new Plot(groups, panels);
    }

    /** The colour of group {@code index}; after ten groups the colours repeat, with a dash pattern to tell them apart. */
    static Color color(int index) {
        return new Color(PALETTE[index % PALETTE.length]);
    }

    private static Stroke stroke(int group) {
        int cycle = group / PALETTE.length;
        if (cycle == 0) {
            return new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
        }
        float dash = 2f + 4f * cycle;
        return new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {dash, 4f}, 0f);
    }

    /** Picture width: up to {@link #COLUMNS} panels side by side. */
    static int width(int panels) {
        return Math.min(COLUMNS, panels) * PANEL_WIDTH;
    }

    /** Picture height: the rows of panels, then the legend, one line per group. */
    static int height(int panels, int groups) {
        return (panels + COLUMNS - 1) / COLUMNS * PANEL_HEIGHT + 2 * LEGEND_PADDING + groups * LEGEND_LINE;
    }

    static BufferedImage render(Plot plot) {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true"); // the workbench may run without a display
        }
        List<Map.Entry<String, List<Curve>>> panels = List.copyOf(plot.panels().entrySet());
        BufferedImage img = new BufferedImage(width(panels.size()), height(panels.size(), plot.groups().size()),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            for (int i = 0; i < panels.size(); i++) {
                panel(g, (i % COLUMNS) * PANEL_WIDTH, (i / COLUMNS) * PANEL_HEIGHT, panels.get(i).getKey(),
                        panels.get(i).getValue());
            }
            legend(g, (panels.size() + COLUMNS - 1) / COLUMNS * PANEL_HEIGHT, img.getWidth(), plot.groups());
        } finally {
            g.dispose();
        }
        return img;
    }

    /**
     * Renders {@code plot} as a PNG at {@code file} (relative to the current directory).
     *
     * @throws IllegalArgumentException when the file cannot be written, naming it and the reason
     */
    static Path write(Plot plot, String file) {
        Path p = Path.of(file).toAbsolutePath();
        BufferedImage img = render(plot);
        try {
            if (p.getParent() != null) {
                Files.createDirectories(p.getParent());
            }
            try (OutputStream out = Files.newOutputStream(p)) {
                if (!ImageIO.write(img, "png", out)) {
                    throw new IOException("no PNG writer in this Java runtime");
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write the curves to " + p + ": " + e, e);
        }
        return p;
    }

    private static void panel(Graphics2D g, int x0, int y0, String title, List<Curve> curves) {
        int left = x0 + LEFT;
        int right = x0 + PANEL_WIDTH - RIGHT;
        int top = y0 + TOP;
        int bottom = y0 + PANEL_HEIGHT - BOTTOM;
        double minX = Double.POSITIVE_INFINITY, maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY, maxY = Double.NEGATIVE_INFINITY;
        for (Curve c : curves) {
            for (double[] p : c.points()) {
                if (Double.isFinite(p[1])) {
                    minX = Math.min(minX, p[0]);
                    maxX = Math.max(maxX, p[0]);
                    minY = Math.min(minY, p[1]);
                    maxY = Math.max(maxY, p[1]);
                }
            }
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.setColor(Color.DARK_GRAY);
        g.drawString(title, x0 + 10, y0 + 19);
        g.setColor(new Color(0xBBBBBB));
        g.drawRect(left, top, right - left, bottom - top);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        if (minX > maxX) {
            g.setColor(Color.GRAY);
            g.drawString("no finite values", left + 10, (top + bottom) / 2);
            return;
        }
        if (maxX == minX) { // a single step: centre it
            minX -= 1;
            maxX += 1;
        }
        if (maxY == minY) {
            double pad = Math.max(1e-12, Math.abs(minY) * 0.05);
            minY -= pad;
            maxY += pad;
        }
        // a margin so that curves do not run along the frame
        double padY = (maxY - minY) * 0.04;
        minY -= padY;
        maxY += padY;
        double[] xTicks = ticks(minX, maxX, 6, true);
        double[] yTicks = ticks(minY, maxY, 5, false);
        Axis xAxis = new Axis(minX, maxX, left, right);
        Axis yAxis = new Axis(minY, maxY, bottom, top);
        FontMetrics fm = g.getFontMetrics();
        for (double t : yTicks) {
            int y = (int) Math.round(yAxis.pixel(t));
            g.setColor(new Color(0xEEEEEE));
            g.drawLine(left + 1, y, right - 1, y);
            g.setColor(Color.GRAY);
            g.drawLine(left - 4, y, left, y);
            String label = tickLabel(t, yTicks);
            g.drawString(label, left - 6 - fm.stringWidth(label), y + fm.getAscent() / 2 - 1);
        }
        for (double t : xTicks) {
            int x = (int) Math.round(xAxis.pixel(t));
            g.setColor(new Color(0xEEEEEE));
            g.drawLine(x, top + 1, x, bottom - 1);
            g.setColor(Color.GRAY);
            g.drawLine(x, bottom, x, bottom + 4);
            String label = tickLabel(t, xTicks);
            g.drawString(label, x - fm.stringWidth(label) / 2, bottom + 6 + fm.getAscent());
        }
        g.drawString("step", (left + right) / 2 - fm.stringWidth("step") / 2, bottom + 8 + 2 * fm.getAscent());
        // clip a marker's width outside the frame, so a lone point on the edge shows whole but nothing strays further
        g.setClip(left - 5, top - 5, right - left + 11, bottom - top + 11);
        for (Curve c : curves) {
            g.setColor(color(c.group()));
            g.setStroke(stroke(c.group()));
            drawCurve(g, c.points(), xAxis, yAxis);
        }
        g.setClip(null);
        g.setStroke(new BasicStroke(1f));
    }

    /** Connects consecutive finite points; a finite point with no finite neighbour (a lone value) gets a marker. */
    private static void drawCurve(Graphics2D g, List<double[]> points, Axis xAxis, Axis yAxis) {
        Path2D.Double line = new Path2D.Double();
        List<double[]> segment = new ArrayList<>();
        for (int i = 0; i <= points.size(); i++) {
            double[] p = i < points.size() ? points.get(i) : null;
            if (p != null && Double.isFinite(p[1])) {
                segment.add(new double[] {xAxis.pixel(p[0]), yAxis.pixel(p[1])});
                continue;
            }
            if (segment.size() == 1) {
                double[] q = segment.get(0);
                g.fill(new Ellipse2D.Double(q[0] - 4, q[1] - 4, 8, 8));
            } else if (segment.size() > 1) {
                line.moveTo(segment.get(0)[0], segment.get(0)[1]);
                segment.subList(1, segment.size()).forEach(q -> line.lineTo(q[0], q[1]));
            }
            segment.clear();
        }
        g.draw(line);
    }

    private static void legend(Graphics2D g, int y0, int width, List<RunSummary.Group> groups) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        int textX = 52;
        for (int i = 0; i < groups.size(); i++) {
            RunSummary.Group group = groups.get(i);
            int y = y0 + LEGEND_PADDING + i * LEGEND_LINE + LEGEND_LINE / 2;
            g.setColor(color(i));
            g.setStroke(stroke(i));
            g.draw(new Line2D.Double(14, y, textX - 8, y));
            g.setStroke(new BasicStroke(1f));
            g.setColor(Color.DARK_GRAY);
            int n = group.runs().size();
            String text = group.pipeline() + (group.overrides().isEmpty() ? "" : " " + group.overridesText()) + " (" + n
                    + (n == 1 ? " run)" : " runs)");
            g.drawString(fit(text, fm, width - textX - 8), textX, y + fm.getAscent() / 2 - 1);
        }
    }

    /** Shortens {@code text} with an ellipsis to fit {@code pixels}. */
    private static String fit(String text, FontMetrics fm, int pixels) {
        if (fm.stringWidth(text) <= pixels) {
            return text;
        }
        String s = text;
        while (!s.isEmpty() && fm.stringWidth(s + "…") > pixels) {
            s = s.substring(0, s.length() - 1);
        }
        return s + "…";
    }

    /** A linear map from data values onto pixels. */
    private record Axis(double min, double max, double fromPixel, double toPixel) {
        double pixel(double v) {
            return fromPixel + (v - min) / (max - min) * (toPixel - fromPixel);
        }
    }

    /**
     * Tick values inside [min, max] at a "nice" spacing (1, 2 or 5 times a power of ten) giving about
     * {@code target} ticks; whole numbers only when {@code integral} (steps are counted).
     */
    static double[] ticks(double min, double max, int target, boolean integral) {
        double raw = (max - min) / target;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double r = raw / magnitude;
        double spacing = (r < 1.5 ? 1 : r < 3 ? 2 : r < 7 ? 5 : 10) * magnitude;
        if (integral) {
            spacing = Math.max(1, spacing);
        }
        long first = (long) Math.ceil(min / spacing - 1e-9);
        long last = (long) Math.floor(max / spacing + 1e-9);
        if (!Double.isFinite(spacing) || last - first > 4L * target) {
            return new double[0]; // a range beyond double precision (or overflowing it): no ticks rather than thousands
        }
        double[] ticks = new double[(int) Math.max(0, last - first + 1)];
        for (int i = 0; i < ticks.length; i++) {
            // multiplying rather than adding keeps 0.1 * 3 from drifting into labels like 0.30000000000000004
            ticks[i] = (first + i) * spacing;
            if (ticks[i] == 0) {
                ticks[i] = 0; // no "-0"
            }
        }
        return ticks;
    }

    /** A tick label with as many decimals as the tick spacing needs, so that neighbouring labels differ. */
    static String tickLabel(double v, double[] ticks) {
        double spacing = ticks.length > 1 ? ticks[1] - ticks[0] : Math.abs(v);
        double largest = Math.max(Math.abs(ticks[0]), Math.abs(ticks[ticks.length - 1]));
        if (largest >= 1e6 || (spacing > 0 && spacing < 1e-4)) {
            return String.format(Locale.ROOT, "%.3g", v);
        }
        int decimals = spacing > 0 ? Math.max(0, (int) -Math.floor(Math.log10(spacing) + 1e-9)) : 0;
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
