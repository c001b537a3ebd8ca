package org.hybridbench.images;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import org.hybridbench.api.RunContext;
import org.hybridbench.api.data.Matrix;

/**
 * A grid of square grey images (sample grids, reconstructions) as a PNG artifact of the run. Each image is a row of
 * {@code side × side} values in [0, 1], row-major from the top-left pixel (the IDX/MNIST layout); 0 is drawn black and
 * 1 white, as MNIST and Fashion-MNIST are usually shown. Values outside [0, 1] are clamped (a decoder's output may
 * overshoot a little), NaN is drawn red so a broken model is visible rather than hidden.
 */
public final class ImageGrid {
    /** Screen pixels per image pixel: 28 × 28 images become 56 × 56 tiles. */
    static final int SCALE = 2;
    /** Gap between tiles and around the grid, in screen pixels. */
    static final int GAP = 2;
    private static final Color BACKGROUND = new Color(0x808080);
    private static final Color NAN = new Color(0xFF0000);

    private ImageGrid() {
    }

    /**
     * Draws {@code images} in rows of {@code columns} under {@code title} and saves the PNG as artifact {@code fileName}.
     *
     * @return the saved file
     * @throws IllegalArgumentException if there are no images, an image is not square or the sizes differ
     */
    public static Path write(RunContext context, String fileName, List<double[]> images, int columns, String title)
            throws IOException {
        BufferedImage picture = render(images, columns, title);
        return context.saveArtifact(fileName, out -> {
            if (!ImageIO.write(picture, "png", out)) {
                throw new IOException("no PNG writer in this Java runtime");
            }
        });
    }

    /** The first {@code count} rows of {@code images} (fewer if it has fewer), as {@link #write(RunContext, String, List, int, String)}. */
    public static Path write(RunContext context, String fileName, Matrix images, int count, int columns, String title)
            throws IOException {
        return write(context, fileName, firstRows(images, count), columns, title);
    }

    /** Copies of the first {@code count} rows of a matrix (all rows if it has fewer). */
    public static List<double[]> firstRows(Matrix m, int count) {
        List<double[]> rows = new ArrayList<>();
        for (int r = 0; r < Math.min(count, m.rows()); r++) {
            rows.add(m.row(r));
        }
        return rows;
    }

    /** The picture {@link #write} saves: a title band, then the tiles left to right, top to bottom. */
    public static BufferedImage render(List<double[]> images, int columns, String title) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no images to draw");
        }
        if (columns < 1) {
            throw new IllegalArgumentException("columns must be at least 1, got " + columns);
        }
        int length = images.get(0).length;
        int side = (int) Math.round(Math.sqrt(length));
        if (side * side != length || length == 0) {
            throw new IllegalArgumentException("image 0 has " + length + " values, not a square number of pixels");
        }
        for (int i = 1; i < images.size(); i++) {
            if (images.get(i).length != length) {
                throw new IllegalArgumentException("image " + i + " has " + images.get(i).length + " values, image 0 has "
                        + length);
            }
        }
        int cols = Math.min(columns, images.size());
        int rows = (images.size() + cols - 1) / cols;
        int tile = side * SCALE;

        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D mg = scratch.createGraphics();
        FontMetrics fm = mg.getFontMetrics(font);
        mg.dispose();
        boolean hasTitle = title != null && !title.isBlank();
        int titleHeight = hasTitle ? fm.getHeight() + 8 : 0;
        int gridWidth = GAP + cols * (tile + GAP);
        int width = Math.max(gridWidth, hasTitle ? fm.stringWidth(title) + 12 : 0);
        int height = titleHeight + GAP + rows * (tile + GAP);

        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, titleHeight);
            g.setColor(BACKGROUND);
            g.fillRect(0, titleHeight, width, height - titleHeight);
            if (hasTitle) {
                g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
                g.setColor(Color.BLACK);
                g.setFont(font);
                g.drawString(title, 6, 4 + fm.getAscent());
            }
        } finally {
            g.dispose();
        }
        for (int i = 0; i < images.size(); i++) {
            double[] image = images.get(i);
            int left = GAP + (i % cols) * (tile + GAP);
            int top = titleHeight + GAP + (i / cols) * (tile + GAP);
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    int rgb = colour(image[y * side + x]);
                    for (int dy = 0; dy < SCALE; dy++) {
                        for (int dx = 0; dx < SCALE; dx++) {
                            img.setRGB(left + x * SCALE + dx, top + y * SCALE + dy, rgb);
                        }
                    }
                }
            }
        }
        return img;
    }

    /** The RGB of one value: grey level round(255·v) after clamping to [0, 1]; NaN is red. */
    static int colour(double v) {
        if (Double.isNaN(v)) {
            return NAN.getRGB() & 0xFFFFFF;
        }
        int level = (int) Math.round(255 * Math.max(0, Math.min(1, v)));
        return (level << 16) | (level << 8) | level;
    }
}
