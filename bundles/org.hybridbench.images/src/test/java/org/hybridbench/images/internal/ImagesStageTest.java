package org.hybridbench.images.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.DataInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import javax.imageio.ImageIO;

import org.hybridbench.api.PortTypes;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageException;
import org.hybridbench.api.TrainingRegime;
import org.hybridbench.api.data.Dataset;
import org.hybridbench.api.data.Matrix;
import org.hybridbench.images.Binarization;
import org.hybridbench.testing.FakeRunContext;
import org.hybridbench.testing.FakeStageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagesStageTest {
    @TempDir
    Path tmp;

    private Dataset run(String source, String split, int limit, String binarize, long seed) throws Exception {
        FakeStageIO io = new FakeStageIO();
        new ImagesStageProvider().create(new StageConfig("images", Map.of("source", source, "split", split, "limit",
                (long) limit, "binarize", binarize, "seed", seed)))
                .run(io, new FakeRunContext(tmp, new TrainingRegime(1, 0, 1, 0)));
        return io.output("dataset", PortTypes.DATASET);
    }

    /** The pixel bytes of a committed fixture file, read here with plain java.io (not the stage's reader). */
    private static int[] fixtureBytes(String source, String file) throws Exception {
        try (InputStream raw = ImagesStageTest.class.getResourceAsStream("fixture/" + source + "/" + file);
                DataInputStream in = new DataInputStream(new GZIPInputStream(raw))) {
            int magic = in.readInt();
            int n = in.readInt();
            int size = magic == 0x803 ? n * in.readInt() * in.readInt() : n;
            byte[] b = in.readNBytes(size);
            assertEquals(-1, in.read(), file + " has bytes after its payload");
            int[] out = new int[size];
            for (int i = 0; i < size; i++) {
                out[i] = b[i] & 0xff;
            }
            return out;
        }
    }

    @Test
    void descriptorDeclaresConfigAndPort() {
        var d = new ImagesStageProvider().descriptor();
        assertEquals("dataset.images", d.type());
        assertEquals(List.of("fashion-mnist", "mnist", "fashion-mnist-fixture", "mnist-fixture"),
                d.configParam("source").orElseThrow().allowedValues());
        assertEquals(List.of("none", "threshold", "fixed", "dynamic"), d.configParam("binarize").orElseThrow().allowedValues());
        assertEquals(PortTypes.DATASET, d.output("dataset").orElseThrow().type());
    }

    @Test
    void fashionFixtureIsTheCommittedBytesOver255WithFashionClassNames() throws Exception {
        for (String split : List.of("train", "test")) {
            Dataset d = run("fashion-mnist-fixture", split, 0, "none", 1);
            String prefix = split.equals("test") ? "t10k" : "train";
            int[] pixels = fixtureBytes("fashion-mnist", prefix + "-images-idx3-ubyte.gz");
            int[] labels = fixtureBytes("fashion-mnist", prefix + "-labels-idx1-ubyte.gz");
            assertEquals(split.equals("test") ? 100 : 200, d.size());
            assertEquals(784, d.features().cols());
            assertArrayEquals(labels, d.labels());
            double[] x = d.features().data();
            for (int i = 0; i < x.length; i++) {
                assertEquals(pixels[i] / 255.0, x[i], 0.0, "pixel " + i);
            }
            assertEquals(List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
                    "Ankle boot"), d.classNames());
            assertEquals("fixture", d.provenance().get("source"));
            assertEquals(split, d.provenance().get("split"));
            // every class occurs among the first 200 / 100 Fashion-MNIST images
            assertEquals(10, Arrays.stream(d.labels()).distinct().count());
        }
    }

    @Test
    void mnistFixtureHasTwentyTrainAndTenTestDigitsPerClassInterleaved() throws Exception {
        Dataset train = run("mnist-fixture", "train", 0, "none", 1);
        Dataset test = run("mnist-fixture", "test", 0, "none", 1);
        assertEquals(200, train.size());
        assertEquals(100, test.size());
        for (int r = 0; r < 200; r++) {
            assertEquals(r % 10, train.labels()[r]);
        }
        for (int r = 0; r < 100; r++) {
            assertEquals(r % 10, test.labels()[r]);
        }
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), train.classNames());
        assertTrue(train.provenance().get("splitRule").contains("i % 7 == 6"));
        // real handwriting: roughly a fifth of MNIST pixels are ink
        long ink = Arrays.stream(train.features().data()).filter(v -> v > 0).count();
        double share = ink / (200.0 * 784);
        assertTrue(share > 0.1 && share < 0.3, "ink share " + share);
    }

    @Test
    void limitKeepsTheFirstRows() throws Exception {
        Dataset all = run("fashion-mnist-fixture", "train", 0, "none", 1);
        Dataset first = run("fashion-mnist-fixture", "train", 37, "none", 1);
        assertEquals(37, first.size());
        assertArrayEquals(Arrays.copyOf(all.features().data(), 37 * 784), first.features().data());
        assertArrayEquals(Arrays.copyOf(all.labels(), 37), first.labels());
    }

    @Test
    void thresholdBinarisationIsGreyAtLeastOneHalf() throws Exception {
        Dataset grey = run("mnist-fixture", "train", 0, "none", 1);
        Dataset bin = run("mnist-fixture", "train", 0, "threshold", 1);
        double[] g = grey.features().data();
        double[] b = bin.features().data();
        for (int i = 0; i < g.length; i++) {
            assertEquals(g[i] >= 0.5 ? 1.0 : 0.0, b[i], 0.0, "pixel " + i);
        }
        assertEquals("threshold", bin.provenance().get(Binarization.MODE_KEY));
    }

    @Test
    void fixedBinarisationIsASeededBernoulliDrawPerImage() throws Exception {
        Dataset grey = run("fashion-mnist-fixture", "train", 0, "none", 1);
        Dataset a = run("fashion-mnist-fixture", "train", 0, "fixed", 5);
        Dataset again = run("fashion-mnist-fixture", "train", 0, "fixed", 5);
        Dataset other = run("fashion-mnist-fixture", "train", 0, "fixed", 6);
        Dataset limited = run("fashion-mnist-fixture", "train", 10, "fixed", 5);
        double[] g = grey.features().data();
        double[] x = a.features().data();
        double sumGrey = 0;
        double sumBin = 0;
        for (int i = 0; i < g.length; i++) {
            assertTrue(x[i] == 0.0 || x[i] == 1.0);
            if (g[i] == 0.0) {
                assertEquals(0.0, x[i], "pixel " + i + " has grey 0");
            } else if (g[i] == 1.0) {
                assertEquals(1.0, x[i], "pixel " + i + " has grey 1");
            }
            sumGrey += g[i];
            sumBin += x[i];
        }
        // E[binary] = grey; over 156,800 pixels the mean's standard deviation is below 0.0013
        assertEquals(sumGrey / g.length, sumBin / g.length, 0.006);
        assertArrayEquals(x, again.features().data());
        assertFalse(Arrays.equals(x, other.features().data()));
        assertArrayEquals(Arrays.copyOf(x, 10 * 784), limited.features().data());
        assertEquals("fixed", a.provenance().get(Binarization.MODE_KEY));
        assertEquals(5L, Binarization.seedOf(a));
    }

    @Test
    void dynamicBinarisationOutputsGreyFlaggedForTheTrainer() throws Exception {
        Dataset grey = run("mnist-fixture", "test", 0, "none", 1);
        Dataset dyn = run("mnist-fixture", "test", 0, "dynamic", 9);
        assertArrayEquals(grey.features().data(), dyn.features().data());
        assertTrue(Binarization.isDynamic(dyn));
        assertFalse(Binarization.isDynamic(grey));
        assertEquals(9L, Binarization.seedOf(dyn));
        Matrix e0 = Binarization.sample(dyn.features(), Binarization.seedOf(dyn), 0);
        Matrix e0again = Binarization.sample(dyn.features(), 9, 0);
        Matrix e1 = Binarization.sample(dyn.features(), 9, 1);
        assertArrayEquals(e0.data(), e0again.data());
        assertFalse(Arrays.equals(e0.data(), e1.data()), "epochs must draw different images");
        double[] g = dyn.features().data();
        double sumGrey = 0;
        double sum0 = 0;
        for (int i = 0; i < g.length; i++) {
            assertTrue(e0.get(i / 784, i % 784) == 0.0 || e0.get(i / 784, i % 784) == 1.0);
            sumGrey += g[i];
            sum0 += e0.data()[i];
        }
        // 78,400 pixels: the mean's standard deviation is below 0.0018
        assertEquals(sumGrey / g.length, sum0 / g.length, 0.008);
    }

    @Test
    void savesAGridOfTheFirstImagesTheRightWayUp() throws Exception {
        Dataset d = run("fashion-mnist-fixture", "train", 0, "none", 1);
        Path png = tmp.resolve("run/samples-stage.png");
        assertTrue(Files.isRegularFile(png));
        BufferedImage img = ImageIO.read(png.toFile());
        // 8 tiles of 56 px with 2 px gaps: 8 rows below the title band
        assertEquals(2 + 8 * 58, img.getWidth());
        int titleHeight = img.getHeight() - (2 + 8 * 58);
        assertTrue(titleHeight > 0 && titleHeight < 40, "title band " + titleHeight);
        // image k sits at column k % 8, row k / 8; its pixel (y, x) is feature y·28 + x, drawn 2×2
        for (int k : new int[] {0, 9, 63}) {
            int left = 2 + (k % 8) * 58;
            int top = titleHeight + 2 + (k / 8) * 58;
            for (int y = 0; y < 28; y += 3) {
                for (int x = 0; x < 28; x += 5) {
                    int expected = (int) Math.round(255 * d.features().get(k, y * 28 + x));
                    int rgb = img.getRGB(left + 2 * x + 1, top + 2 * y + 1);
                    assertEquals(expected, rgb & 0xff, "image " + k + " pixel (" + y + ", " + x + ")");
                    assertEquals(expected, (rgb >> 16) & 0xff);
                }
            }
        }
    }

    @Test
    void installedFashionDirectoryWithATruncatedFileIsNamed() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("usr-share"));
        byte[] images = IdxTest.imageFile(0x803, 60_000, 28, 28, 2);
        Files.write(dir.resolve(FashionMnist.TRAIN_IMAGES), IdxTest.gzip(images));
        Files.write(dir.resolve(FashionMnist.TRAIN_LABELS), IdxTest.labelFile(0x801, 60_000, new byte[60_000]));
        Files.write(dir.resolve(FashionMnist.TEST_IMAGES), new byte[0]);
        Files.write(dir.resolve(FashionMnist.TEST_LABELS), new byte[0]);
        FashionMnist fashion = new FashionMnist(dir, "/nonexistent/apt-get", "/nonexistent/dpkg-deb");
        FakeRunContext context = new FakeRunContext(tmp, new TrainingRegime(1, 0, 1, 0));
        ImagesStage stage = new ImagesStage("fashion-mnist", "train", 0, "none", 1, fashion, null);
        String m = assertThrows(StageException.class, () -> stage.run(new FakeStageIO(), context)).getMessage();
        assertTrue(m.startsWith(dir.resolve(FashionMnist.TRAIN_IMAGES).toString()), m);
        assertTrue(m.contains((2 * 784) + " bytes follow the header, expected " + 60_000L * 784), m);
        assertTrue(m.contains("truncated"), m);
        assertEquals("false", fashionProvenance(fashion, context).get("matchesPinnedVersion"));
    }

    private static Map<String, String> fashionProvenance(FashionMnist fashion, FakeRunContext context) throws Exception {
        return fashion.locate(context.dataCache(), context::log).provenance();
    }

    @Test
    void missingFashionSourceSaysHowToGetIt() throws Exception {
        FashionMnist fashion = new FashionMnist(tmp.resolve("absent"), "/nonexistent/apt-get", "/nonexistent/dpkg-deb");
        FakeRunContext context = new FakeRunContext(tmp, new TrainingRegime(1, 0, 1, 0));
        ImagesStage stage = new ImagesStage("fashion-mnist", "test", 0, "none", 1, fashion, null);
        String m = assertThrows(StageException.class, () -> stage.run(new FakeStageIO(), context)).getMessage();
        assertTrue(m.contains("apt-get download dataset-fashion-mnist=0.0~git20200523.55506a9-1"), m);
        assertTrue(m.contains("fixture"), m);
        try (var s = Files.list(context.dataCache())) {
            assertEquals(List.of(), s.toList(), "nothing may be left in the data cache");
        }
    }
}
