package org.hybridbench.vae;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

import org.hybridbench.api.data.Matrix;

/**
 * A scatter plot of the first two columns of latent means, one dot per image coloured by its class, with a legend
 * (headless AWT, as ImageGrid). For a latent space of more than two dimensions it shows the first two coordinates of μ
 * — a projection, not a PCA, so what it shows is exactly two of the model's own coordinates.
 */
final class LatentScatter {
    static final int SIZE = 600;
    static final int MARGIN = 50;
    static final int LEGEND = 150;
    /** Ten distinguishable colours (the "tab10" palette). */
    static final int[] PALETTE = {0x1F77B4, 0xFF7F0E, 0x2CA02C, 0xD62728, 0x9467BD, 0x8C564B, 0xE377C2, 0x7F7F7F, 0xBCBD22, 0x17BECF};

    private LatentScatter() {
    }

    /** The first {@code count} rows of {@code mu} (≥ 2 columns, or 1: drawn on a line); {@code labels} may be null. */
    static BufferedImage render(Matrix mu, int count, int[] labels, List<String> classNames, String title) {
        int d = mu.cols();
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < count; i++) {
            double x = mu.get(i, 0);
            double y = d > 1 ? mu.get(i, 1) : 0;
            if (Double.isFinite(x) && Double.isFinite(y)) {
                minX = Math.min(minX, x);
                maxX = Math.max(maxX, x);
                minY = Math.min(minY, y);
                maxY = Math.max(maxY, y);
            }
        }
        if (!(maxX > minX)) {
            minX -= 1;
            maxX += 1;
        }
        if (!(maxY > minY)) {
            minY -= 1;
            maxY += 1;
        }
        BufferedImage img = new BufferedImage(SIZE + 2 * MARGIN + LEGEND, SIZE + 2 * MARGIN, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(1));
            g.drawRect(MARGIN, MARGIN, SIZE, SIZE);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            g.drawString(title, MARGIN, MARGIN - 20);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            g.drawString(String.format(Locale.ROOT, "mu1 %.2f … %.2f", minX, maxX), MARGIN, MARGIN + SIZE + 20);
            g.drawString(String.format(Locale.ROOT, "mu2 %.2f … %.2f", minY, maxY), MARGIN, MARGIN + SIZE + 36);
            for (int i = 0; i < count; i++) {
                double x = mu.get(i, 0);
                double y = d > 1 ? mu.get(i, 1) : 0;
                if (!Double.isFinite(x) || !Double.isFinite(y)) {
                    continue;
                }
                int px = MARGIN + (int) Math.round((x - minX) / (maxX - minX) * SIZE);
                int py = MARGIN + SIZE - (int) Math.round((y - minY) / (maxY - minY) * SIZE);
                g.setColor(new Color(labels == null ? 0x444444 : PALETTE[labels[i] % PALETTE.length]));
                g.fillOval(px - 2, py - 2, 4, 4);
            }
            if (labels != null) {
                for (int c = 0; c < classNames.size(); c++) {
                    int y = MARGIN + 10 + 18 * c;
                    g.setColor(new Color(PALETTE[c % PALETTE.length]));
                    g.fillOval(MARGIN + SIZE + 20, y - 5, 8, 8);
                    g.setColor(Color.BLACK);
                    g.drawString(classNames.get(c), MARGIN + SIZE + 34, y + 3);
                }
            }
        } finally {
            g.dispose();
        }
        return img;
    }
}
