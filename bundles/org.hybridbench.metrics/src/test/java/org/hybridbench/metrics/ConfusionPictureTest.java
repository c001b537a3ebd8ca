package org.hybridbench.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import javax.imageio.ImageIO;

import org.hybridbench.api.StageConfig;
import org.hybridbench.api.TrainingRegime;
import org.hybridbench.api.model.Predictions;
import org.hybridbench.testing.FakeRunContext;
import org.hybridbench.testing.FakeStageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The confusion picture and the top confusions of {@code metric.accuracy}. Expected colours are points of the
 * documented scale (white, then ColorBrewer Blues #DEEBF7 #C6DBEF #9ECAE1 #6BAED6 #4292C6 #2171B5 #08519C
 * #08306B at shares 0, 1/8, …, 1), so a share of 1/4 is #C6DBEF, 1/2 is #6BAED6, 3/4 is #2171B5.
 */
class ConfusionPictureTest {
    static final int WHITE = 0xFFFFFF;
    static final int DARKEST = 0x08306B;

    @TempDir
    Path tmp;

    /** Predictions with {@code counts[i][j]} rows of reference i predicted as j. */
    static Predictions fromCounts(long[][] counts, List<String> names) {
        List<Integer> predicted = new ArrayList<>();
        List<Integer> reference = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            for (int j = 0; j < counts[i].length; j++) {
                for (long k = 0; k < counts[i][j]; k++) {
                    reference.add(i);
                    predicted.add(j);
                }
            }
        }
        return new Predictions(predicted.stream().mapToInt(Integer::intValue).toArray(),
                reference.stream().mapToInt(Integer::intValue).toArray(), names.size(), names);
    }

    static List<String> names(int n) {
        return IntStream.range(0, n).mapToObj(k -> "tag" + k).toList();
    }

    /** A plausible tagger: 90 % on the diagonal, the rest spread over the next two classes. */
    static long[][] mostlyRight(int n) {
        long[][] c = new long[n][n];
        for (int i = 0; i < n; i++) {
            c[i][i] = 90 + i;
            c[i][(i + 1) % n] += 7;
            c[i][(i + 2) % n] += 3;
        }
        return c;
    }

    /** The colour (RGB, no alpha) inside cell (row, col) of the drawn matrix, away from grid, outline and text. */
    static int cellPixel(BufferedImage img, ConfusionPicture.Geometry g, int row, int col) {
        return img.getRGB(g.left() + col * g.cell() + 3, g.top() + row * g.cell() + 3) & 0xFFFFFF;
    }

    FakeRunContext runAccuracy(Predictions p, boolean picture) throws Exception {
        FakeRunContext ctx = new FakeRunContext(tmp, new TrainingRegime(1, 0, 1, 0));
        new AccuracyStageProvider().create(new StageConfig("eval", Map.of(AccuracyStageProvider.PICTURE, picture)))
                .run(new FakeStageIO().with("predictions", p), ctx);
        return ctx;
    }

    BufferedImage stagePicture(int classes) throws Exception {
        FakeRunContext ctx = runAccuracy(fromCounts(mostlyRight(classes), names(classes)), true);
        Path png = ctx.runDir.resolve("confusion-" + ctx.stageName() + ".png");
        assertTrue(Files.isRegularFile(png), png + " missing; run directory: " + Files.list(ctx.runDir).toList());
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img, png + " does not decode as an image");
        return img;
    }

    @Test
    void stageSavesADecodablePngSizedToTheClassCount() throws Exception {
        BufferedImage three = stagePicture(3);
        BufferedImage twelve = stagePicture(12);
        BufferedImage many = stagePicture(87);
        // small matrices are not tiny, large ones stay on a screen: 300…1,600 pixels either way
        for (BufferedImage img : List.of(three, twelve, many)) {
            assertTrue(img.getWidth() >= 300 && img.getWidth() <= 1600, "width " + img.getWidth());
            assertTrue(img.getHeight() >= 300 && img.getHeight() <= 1600, "height " + img.getHeight());
        }
        assertTrue(three.getWidth() <= twelve.getWidth() && twelve.getWidth() < many.getWidth(),
                three.getWidth() + " " + twelve.getWidth() + " " + many.getWidth());
        // 87 cells of at least 11 pixels: a 9-point tag name fits each row
        assertTrue(ConfusionPicture.draw(mostlyRight(87), names(87), "x").geometry().cell() >= 11);
        // the decoded file is the drawn picture: its diagonal (90+ %) is dark, the far corner white
        ConfusionPicture.Geometry g = ConfusionPicture.draw(mostlyRight(12), names(12), "x").geometry();
        assertEquals(WHITE, cellPixel(twelve, g, 0, 11 - 2));
        int diagonal = cellPixel(twelve, g, 5, 5);
        // 95 of 105 = 0.905: just past #08519C on the scale, every channel below 0xA0
        assertTrue((diagonal >> 16) < 0xA0 && (diagonal >> 8 & 0xFF) < 0xA0 && (diagonal & 0xFF) < 0xA0, Integer.toHexString(diagonal));
    }

    @Test
    void aPerfectClassifiersDiagonalIsTheDarkestColourAndTheRestWhite() {
        for (int n : new int[] {3, 12, 87}) {
            long[][] c = new long[n][n];
            for (int i = 0; i < n; i++) {
                c[i][i] = 1 + i % 5;
            }
            ConfusionPicture.Drawn d = ConfusionPicture.draw(c, names(n), "perfect");
            for (int i = 0; i < n; i++) {
                assertEquals(DARKEST, cellPixel(d.image(), d.geometry(), i, i), n + " classes, diagonal cell " + i);
                assertEquals(WHITE, cellPixel(d.image(), d.geometry(), i, (i + 1) % n), n + " classes, cell " + i + "," + (i + 1) % n);
            }
        }
    }

    @Test
    void cellsAreColouredByTheirShareOfTheReferenceRow() {
        long[][] c = {
            {30, 10, 0}, // 3/4 right, 1/4 confused with b
            {0, 0, 40}, // every b predicted as c
            {1, 0, 1}, // half right
        };
        ConfusionPicture.Drawn d = ConfusionPicture.draw(c, List.of("a", "b", "c"), "rows");
        BufferedImage img = d.image();
        ConfusionPicture.Geometry g = d.geometry();
        assertEquals(0x2171B5, cellPixel(img, g, 0, 0));
        assertEquals(0xC6DBEF, cellPixel(img, g, 0, 1));
        assertEquals(WHITE, cellPixel(img, g, 0, 2));
        assertEquals(DARKEST, cellPixel(img, g, 1, 2), "an off-diagonal 100 % cell");
        assertEquals(WHITE, cellPixel(img, g, 1, 1), "the diagonal of a class never predicted right");
        // row 2 has 2 tokens against row 1's 40: the colour follows the share, not the count
        assertEquals(0x6BAED6, cellPixel(img, g, 2, 0));
        assertEquals(0x6BAED6, cellPixel(img, g, 2, 2));
    }

    @Test
    void classesWithoutTokensAreDroppedOnlyWhenThereAreMany() {
        long[][] c = mostlyRight(30);
        for (int unused : new int[] {5, 7}) {
            // neither reference tokens nor predictions of the class: clear its row and its column
            c[unused] = new long[30];
            for (long[] row : c) {
                row[unused] = 0;
            }
        }
        List<Integer> shown = ConfusionPicture.draw(c, names(30), "many").geometry().shownClasses();
        assertEquals(28, shown.size());
        assertFalse(shown.contains(5) || shown.contains(7), shown.toString());
        assertEquals(List.of(0, 1, 2, 3, 4, 6, 8), shown.subList(0, 7), "class order is kept");

        long[][] few = {{2, 0, 0}, {0, 0, 0}, {1, 0, 3}};
        ConfusionPicture.Drawn d = ConfusionPicture.draw(few, List.of("a", "b", "c"), "few");
        assertEquals(List.of(0, 1, 2), d.geometry().shownClasses());
        assertEquals(ConfusionPicture.NO_REFERENCE.getRGB() & 0xFFFFFF, cellPixel(d.image(), d.geometry(), 1, 1),
                "a class without reference tokens has an undefined row: grey, not white");
    }

    @Test
    void longClassNamesKeepTheirStartAndEnd() {
        assertEquals("NOUN", ConfusionPicture.label("NOUN"));
        assertEquals("fourteen-chars", ConfusionPicture.label("fourteen-chars"));
        // 6 + "…" + 7 = 14 characters; names differing only at the end stay apart
        assertEquals("class-…name-12", ConfusionPicture.label("class-with-a-long-name-12"));
        assertEquals("class-…name-13", ConfusionPicture.label("class-with-a-long-name-13"));
    }

    @Test
    void topConfusionsAreCountedAndLogged() throws Exception {
        // errors: a→b 3, b→a 1, c→a 3, c→b 2 (9 in all); a→b and c→a tie at 3 and stay in class order
        long[][] c = {{5, 3, 0}, {1, 4, 0}, {3, 2, 6}};
        FakeRunContext ctx = runAccuracy(fromCounts(c, List.of("a", "b", "c")), false);
        String json = Files.readString(ctx.runDir.resolve("accuracy.json"));
        assertTrue(json.contains("\"topConfusions\":[\n"
                + "{\"reference\":\"a\",\"predicted\":\"b\",\"count\":3,\"shareOfErrors\":" + 3.0 / 9 + "},\n"
                + "{\"reference\":\"c\",\"predicted\":\"a\",\"count\":3,\"shareOfErrors\":" + 3.0 / 9 + "},\n"
                + "{\"reference\":\"c\",\"predicted\":\"b\",\"count\":2,\"shareOfErrors\":" + 2.0 / 9 + "},\n"
                + "{\"reference\":\"b\",\"predicted\":\"a\",\"count\":1,\"shareOfErrors\":" + 1.0 / 9 + "}]"), json);
        // the existing members are still there
        assertTrue(json.contains("\"confusion\":[\n[5,3,0],\n[1,4,0],\n[3,2,6]]"), json);
        assertTrue(json.contains("\"accuracy\":" + 15.0 / 24), json);
        assertTrue(ctx.logs.contains("  a -> b: 3 (33.3%)"), ctx.logs.toString());
        assertTrue(ctx.logs.contains("  b -> a: 1 (11.1%)"), ctx.logs.toString());
        assertFalse(Files.exists(ctx.runDir.resolve("confusion-" + ctx.stageName() + ".png")), "confusionPicture=false");
    }

    @Test
    void atMostTenConfusionsLargestFirst() {
        // 12 classes, reference i predicted as i+1 exactly i+1 times: 12 errors cells of counts 1…12
        long[][] c = new long[12][12];
        for (int i = 0; i < 12; i++) {
            c[i][(i + 1) % 12] = i + 1;
        }
        List<AccuracyMetric.Confusion> top = AccuracyMetric.topConfusions(c, AccuracyStageProvider.TOP_CONFUSIONS);
        assertEquals(10, top.size());
        assertEquals(new AccuracyMetric.Confusion(11, 0, 12, 12.0 / 78), top.get(0)); // 1+…+12 = 78 errors
        assertEquals(new AccuracyMetric.Confusion(2, 3, 3, 3.0 / 78), top.get(9));
    }

    @Test
    void aPerfectClassifierHasNoConfusions() throws Exception {
        FakeRunContext ctx = runAccuracy(fromCounts(new long[][] {{2, 0}, {0, 3}}, List.of("x", "y")), false);
        assertTrue(Files.readString(ctx.runDir.resolve("accuracy.json")).contains("\"topConfusions\":[]"));
        assertTrue(ctx.logs.contains("metric.accuracy: no confusions, every prediction is correct"), ctx.logs.toString());
    }
}
