package org.hybridbench.metrics;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws a confusion matrix as a picture a person reads at a glance (after scikit-learn's
 * {@code ConfusionMatrixDisplay} with {@code normalize="true"}): rows = reference class, columns = predicted
 * class, both in class order; each cell coloured by its share of the reference row (so the diagonal is the
 * recall of its class) on a white → dark-blue scale with a colour bar; class names on both axes; the tokens of
 * each reference class to the right of its row; the title gives the accuracy and the token count.
 *
 * <p>Cell size and fonts shrink with the number of classes so 87 classes still fit in about 1,000 pixels;
 * cell percentages are printed only up to {@link #MAX_CLASSES_WITH_NUMBERS} classes (they would not be legible
 * beyond). Above that many classes, classes with neither reference tokens nor predictions are left out (and
 * the title says how many).
 */
final class ConfusionPicture {
    /** Up to this many classes every class is drawn and every non-empty cell carries its percentage. */
    static final int MAX_CLASSES_WITH_NUMBERS = 20;
    /**
     * A non-zero share is drawn at least at this point of the scale: a 0.2 % confusion among 87 classes would
     * otherwise be indistinguishable from white, and where confusions happen is what the picture is for.
     */
    static final double MIN_VISIBLE_SHARE = 0.08;
    /** The colour of a row whose reference class has no tokens (its shares are undefined, not 0). */
    static final Color NO_REFERENCE = new Color(0xE4E4E4);
    private static final Color GRID = new Color(0xE2E2E2);
    private static final Color TEXT = new Color(0x202020);
    private static final Color DIAGONAL_OUTLINE = new Color(0x404040);
    private static final int MAX_LABEL_CHARS = 14;
    /**
     * The scale, evenly spaced from share 0 to 1: white, then ColorBrewer's 8 darker "Blues" (Brewer 2002), as
     * in matplotlib's Blues colour map that scikit-learn uses.
     */
    private static final int[] SCALE = {0xFFFFFF, 0xDEEBF7, 0xC6DBEF, 0x9ECAE1, 0x6BAED6, 0x4292C6, 0x2171B5, 0x08519C,
        0x08306B};

    /** Where the matrix lies in the picture: cell (row, col) of the drawn classes starts at (left + col·cell, top + row·cell). */
    record Geometry(int left, int top, int cell, List<Integer> shownClasses) {
    }

    record Drawn(BufferedImage image, Geometry geometry) {
    }

    private ConfusionPicture() {
    }

    /** The colour of a row share in [0, 1] (linear along {@link #SCALE}). */
    static Color colour(double share) {
        double s = Math.max(0, Math.min(1, share)) * (SCALE.length - 1);
        int i = Math.min((int) s, SCALE.length - 2);
        double f = s - i;
        int a = SCALE[i];
        int b = SCALE[i + 1];
        return new Color(mix(a >> 16, b >> 16, f), mix(a >> 8, b >> 8, f), mix(a, b, f));
    }

    private static int mix(int a, int b, double f) {
        return (int) Math.round((a & 0xFF) + ((b & 0xFF) - (a & 0xFF)) * f);
    }

    /** The colour of a cell with {@code count} of its row's {@code support} tokens. */
    static Color cellColour(long count, long support) {
        if (support == 0) {
            return NO_REFERENCE;
        }
        if (count == 0) {
            return colour(0);
        }
        return colour(Math.max(MIN_VISIBLE_SHARE, count / (double) support));
    }

    /**
     * Draws {@code c} (rows = reference, columns = predicted; square, one name per class).
     *
     * @param heading the first title line's subject, e.g. the stage name
     */
    static Drawn draw(long[][] c, List<String> names, String heading) {
        int m = c.length;
        if (names.size() != m) {
            throw new IllegalArgumentException("confusion matrix has " + m + " classes but " + names.size() + " names");
        }
        long[] support = new long[m];
        long[] predicted = new long[m];
        long total = 0;
        long correct = 0;
        for (int i = 0; i < m; i++) {
            if (c[i].length != m) {
                throw new IllegalArgumentException("confusion matrix row " + i + " has " + c[i].length + " columns, expected " + m);
            }
            for (int j = 0; j < m; j++) {
                support[i] += c[i][j];
                predicted[j] += c[i][j];
            }
            total += support[i];
            correct += c[i][i];
        }
        List<Integer> shown = new ArrayList<>();
        for (int k = 0; k < m; k++) {
            if (m <= MAX_CLASSES_WITH_NUMBERS || support[k] > 0 || predicted[k] > 0) {
                shown.add(k);
            }
        }
        int dropped = m - shown.size();
        int n = shown.size();
        boolean numbers = n <= MAX_CLASSES_WITH_NUMBERS;

        // sizes: 3 classes → 64 px cells, 12 → 60, 87 → 11 (the smallest a 9-point label still fits)
        int cell = Math.max(11, Math.min(64, 720 / Math.max(1, n)));
        Font tickFont = new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(9, Math.min(13, (int) Math.round(cell * 0.8))));
        Font cellFont = new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(9, Math.min(13, cell / 4)));
        Font countFont = cellFont.deriveFont((float) Math.max(8, cellFont.getSize() - 2));
        Font axisFont = new Font(Font.SANS_SERIF, Font.BOLD, 12);
        Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 15);
        Font noteFont = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

        // a scratch graphics to measure text before the picture's size is known
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D mg = scratch.createGraphics();
        FontMetrics tick = mg.getFontMetrics(tickFont);
        FontMetrics axis = mg.getFontMetrics(axisFont);
        FontMetrics title = mg.getFontMetrics(titleFont);
        FontMetrics note = mg.getFontMetrics(noteFont);
        List<String> labels = new ArrayList<>();
        int labelWidth = 0;
        int supportWidth = tick.stringWidth("tokens");
        for (int k : shown) {
            String label = label(names.get(k));
            labels.add(label);
            labelWidth = Math.max(labelWidth, tick.stringWidth(label));
            supportWidth = Math.max(supportWidth, tick.stringWidth(grouped(support[k])));
        }
        boolean rotateColumnLabels = labelWidth > cell - 4;
        int columnLabelHeight = rotateColumnLabels ? labelWidth : tick.getAscent();

        List<String> titleLines = new ArrayList<>();
        titleLines.add(String.format(Locale.ROOT, "%s: accuracy %.2f%% (%s of %s tokens correct)", heading,
                total > 0 ? 100.0 * correct / total : Double.NaN, grouped(correct), grouped(total)));
        List<String> notes = new ArrayList<>();
        notes.add("rows: reference, columns: predicted; colour: share of the reference row (diagonal = recall),");
        notes.add("any non-zero share is drawn at least light blue");
        if (dropped > 0) {
            notes.add(dropped + " of " + m + " classes with neither reference tokens nor predictions are not shown");
        }
        boolean emptyRow = shown.stream().anyMatch(k -> support[k] == 0);
        if (emptyRow) {
            notes.add("grey row: no reference tokens of that class");
        }

        int pad = 16;
        int titleHeight = title.getHeight() + notes.size() * note.getHeight() + 14;
        int left = pad + axis.getHeight() + 6 + labelWidth + 6;
        int top = pad + titleHeight + tick.getHeight() + 2; // room for the "tokens" header
        int matrix = n * cell;
        int supportLeft = left + matrix + 8;
        int barLeft = supportLeft + supportWidth + 22;
        int barWidth = 16;
        int barHeight = Math.max(150, Math.min(matrix, 420));
        int barTickWidth = tick.stringWidth("100%");
        int right = barLeft + barWidth + 6 + barTickWidth + 6 + axis.getHeight() + pad;
        int width = right;
        for (String line : titleLines) {
            width = Math.max(width, pad + title.stringWidth(line) + pad);
        }
        for (String line : notes) {
            width = Math.max(width, pad + note.stringWidth(line) + pad);
        }
        int bottom = top + Math.max(matrix, barHeight) + 6 + columnLabelHeight + 8 + axis.getHeight() + pad;
        mg.dispose();

        BufferedImage img = new BufferedImage(width, bottom, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, bottom);

            int y = pad + title.getAscent();
            g.setColor(TEXT);
            g.setFont(titleFont);
            for (String line : titleLines) {
                g.drawString(line, pad, y);
                y += title.getHeight();
            }
            g.setFont(noteFont);
            g.setColor(Color.DARK_GRAY);
            for (String line : notes) {
                g.drawString(line, pad, y);
                y += note.getHeight();
            }

            // cells, then the grid over them, then the diagonal's outline over the grid
            for (int r = 0; r < n; r++) {
                int i = shown.get(r);
                for (int col = 0; col < n; col++) {
                    int j = shown.get(col);
                    g.setColor(cellColour(c[i][j], support[i]));
                    g.fillRect(left + col * cell, top + r * cell, cell, cell);
                }
            }
            g.setColor(GRID);
            for (int k = 1; k < n; k++) {
                g.drawLine(left + k * cell, top, left + k * cell, top + matrix - 1);
                g.drawLine(left, top + k * cell, left + matrix - 1, top + k * cell);
            }
            g.setColor(DIAGONAL_OUTLINE);
            for (int k = 0; k < n; k++) {
                g.drawRect(left + k * cell, top + k * cell, cell, cell);
            }
            g.setColor(Color.GRAY);
            g.drawRect(left, top, matrix, matrix);

            if (numbers) {
                g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
                boolean withCount = cell >= 44;
                FontMetrics cf = g.getFontMetrics(cellFont);
                FontMetrics nf = g.getFontMetrics(countFont);
                for (int r = 0; r < n; r++) {
                    int i = shown.get(r);
                    for (int col = 0; col < n; col++) {
                        int j = shown.get(col);
                        if (c[i][j] == 0) {
                            continue; // empty cells stay blank so the confusions stand out
                        }
                        double share = c[i][j] / (double) support[i];
                        g.setColor(share >= 0.5 ? Color.WHITE : TEXT);
                        String pct = percent(c[i][j], support[i]);
                        int cx = left + col * cell + cell / 2;
                        int cy = top + r * cell + cell / 2;
                        if (withCount) {
                            String count = grouped(c[i][j]);
                            int h = cf.getAscent() + nf.getAscent() + 2;
                            g.setFont(cellFont);
                            g.drawString(pct, cx - cf.stringWidth(pct) / 2, cy - h / 2 + cf.getAscent());
                            g.setFont(countFont);
                            g.drawString(count, cx - nf.stringWidth(count) / 2, cy + h / 2);
                        } else {
                            g.setFont(cellFont);
                            g.drawString(pct, cx - cf.stringWidth(pct) / 2, cy + cf.getAscent() / 2 - 1);
                        }
                    }
                }
            }

            // class names: reference to the left of the rows, predicted under the columns
            g.setFont(tickFont);
            g.setColor(TEXT);
            int tickBaseline = (cell + tick.getAscent() - tick.getDescent()) / 2;
            for (int r = 0; r < n; r++) {
                String label = labels.get(r);
                g.drawString(label, left - 6 - tick.stringWidth(label), top + r * cell + tickBaseline);
            }
            int columnLabelTop = top + matrix + 6;
            for (int col = 0; col < n; col++) {
                String label = labels.get(col);
                if (rotateColumnLabels) {
                    // read bottom to top, ending just under the matrix
                    int x = left + col * cell + tickBaseline;
                    drawRotated(g, label, x, columnLabelTop + tick.stringWidth(label), -Math.PI / 2);
                } else {
                    g.drawString(label, left + col * cell + (cell - tick.stringWidth(label)) / 2, columnLabelTop + tick.getAscent());
                }
            }
            // tokens per reference class
            g.setColor(Color.DARK_GRAY);
            g.drawString("tokens", supportLeft + supportWidth - tick.stringWidth("tokens"), top - tick.getDescent() - 2);
            for (int r = 0; r < n; r++) {
                String s = grouped(support[shown.get(r)]);
                g.drawString(s, supportLeft + supportWidth - tick.stringWidth(s), top + r * cell + tickBaseline);
            }

            g.setFont(axisFont);
            g.setColor(TEXT);
            String predictedTitle = "predicted";
            g.drawString(predictedTitle, left + (matrix - axis.stringWidth(predictedTitle)) / 2,
                    columnLabelTop + columnLabelHeight + 8 + axis.getAscent());
            String referenceTitle = "reference";
            drawRotated(g, referenceTitle, pad + axis.getAscent(), top + (matrix + axis.stringWidth(referenceTitle)) / 2,
                    -Math.PI / 2);

            colourBar(g, barLeft, top, barWidth, barHeight, tickFont, axisFont);
        } finally {
            g.dispose();
        }
        return new Drawn(img, new Geometry(left, top, cell, List.copyOf(shown)));
    }

    private static void colourBar(Graphics2D g, int x, int y, int w, int h, Font tickFont, Font axisFont) {
        for (int k = 0; k < h; k++) {
            g.setColor(colour(1 - k / (double) (h - 1)));
            g.drawLine(x, y + k, x + w - 1, y + k);
        }
        g.setColor(Color.GRAY);
        g.drawRect(x, y, w, h);
        g.setFont(tickFont);
        FontMetrics fm = g.getFontMetrics();
        for (int t = 0; t <= 4; t++) {
            int ty = y + h - (int) Math.round(t / 4.0 * h);
            g.setColor(Color.GRAY);
            g.drawLine(x + w, ty, x + w + 3, ty);
            g.setColor(TEXT);
            g.drawString(t * 25 + "%", x + w + 6, ty + (fm.getAscent() - fm.getDescent()) / 2);
        }
        g.setFont(axisFont);
        String label = "share of reference row";
        FontMetrics am = g.getFontMetrics();
        int labelX = x + w + 6 + fm.stringWidth("100%") + 6 + am.getAscent();
        drawRotated(g, label, labelX, y + (h + am.stringWidth(label)) / 2, -Math.PI / 2);
    }

    private static void drawRotated(Graphics2D g, String text, int x, int y, double angle) {
        AffineTransform saved = g.getTransform();
        g.translate(x, y);
        g.rotate(angle);
        g.drawString(text, 0, 0);
        g.setTransform(saved);
    }

    /**
     * A class name short enough for the axis: a long one keeps its start and its end, because names that differ
     * only at the end ("class-with-a-long-name-1", "…-2") would otherwise all read the same.
     */
    static String label(String name) {
        if (name.length() <= MAX_LABEL_CHARS) {
            return name;
        }
        int head = (MAX_LABEL_CHARS - 1) / 2;
        int tail = MAX_LABEL_CHARS - 1 - head;
        return name.substring(0, head) + "…" + name.substring(name.length() - tail);
    }

    /** A cell's share of its row, as printed in the cell: one decimal, "<0.1%" for a tiny non-zero share. */
    static String percent(long count, long support) {
        if (count == support) {
            return "100%";
        }
        double p = 100.0 * count / support;
        return p < 0.05 ? "<0.1%" : String.format(Locale.ROOT, "%.1f%%", Math.min(p, 99.9));
    }

    static String grouped(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }
}
