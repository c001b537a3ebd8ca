package org.hybridbench.images.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.hybridbench.api.StageException;
import org.hybridbench.fetch.NpmPackFetcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fetcher against a stand-in apt-get serving a small .deb built here (so the test needs no network). */
class DebPackageFetcherTest {
    @TempDir
    Path tmp;
    private Path cache;
    private Path deb;
    private final Map<String, byte[]> contents = new LinkedHashMap<>();

    @BeforeEach
    void buildDeb() throws Exception {
        cache = tmp.resolve("cache");
        Path root = Files.createDirectories(tmp.resolve("pkg/usr/share/datasets/fashion-mnist"));
        contents.put("train-images-idx3-ubyte.gz", IdxTest.gzip(IdxTest.imageFile(0x803, 2, 28, 28, 2)));
        contents.put("train-labels-idx1-ubyte.gz", IdxTest.gzip(IdxTest.labelFile(0x801, 2, (byte) 3, (byte) 9)));
        for (Map.Entry<String, byte[]> e : contents.entrySet()) {
            Files.write(root.resolve(e.getKey()), e.getValue());
        }
        Path control = Files.createDirectories(tmp.resolve("control"));
        Files.writeString(control.resolve("control"), "Package: dataset-fashion-mnist\nVersion: 1.0-1\nArchitecture: all\n"
                + "Maintainer: test <test@example.invalid>\nDescription: test package\n");
        exec("tar", "-czf", tmp.resolve("data.tar.gz").toString(), "-C", tmp.resolve("pkg").toString(), ".");
        exec("tar", "-czf", tmp.resolve("control.tar.gz").toString(), "-C", control.toString(), ".");
        deb = tmp.resolve("served.deb");
        Files.write(deb, ar(Map.of("debian-binary", "2.0\n".getBytes(StandardCharsets.US_ASCII)),
                Map.of("control.tar.gz", Files.readAllBytes(tmp.resolve("control.tar.gz"))),
                Map.of("data.tar.gz", Files.readAllBytes(tmp.resolve("data.tar.gz")))));
    }

    private static void exec(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
    }

    /** An ar archive (the .deb container) of the given members, in order. */
    @SafeVarargs
    private static byte[] ar(Map<String, byte[]>... members) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("!<arch>\n".getBytes(StandardCharsets.US_ASCII));
        for (Map<String, byte[]> m : members) {
            Map.Entry<String, byte[]> e = m.entrySet().iterator().next();
            String header = String.format("%-16s%-12s%-6s%-6s%-8s%-10s`\n", e.getKey(), "0", "0", "0", "100644",
                    e.getValue().length);
            out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(e.getValue());
            if (e.getValue().length % 2 == 1) {
                out.write('\n');
            }
        }
        return out.toByteArray();
    }

    /** A stand-in apt-get: counts its calls, then "download" copies the served .deb into the working directory. */
    private String fakeApt(String downloadBody) throws Exception {
        Path script = tmp.resolve("apt-get");
        Files.writeString(script, "#!/bin/sh\n"
                + "echo x >> '" + tmp.resolve("calls") + "'\n"
                + "if [ \"$1\" = download ] && [ \"$2\" = dataset-fashion-mnist=1.0-1 ]; then " + downloadBody + "; fi\n"
                + "exit 3\n");
        assertTrue(script.toFile().setExecutable(true));
        return script.toString();
    }

    private String serveDeb() throws Exception {
        return fakeApt("cp '" + deb + "' dataset-fashion-mnist_1.0-1_all.deb; exit 0");
    }

    private Map<String, String> wanted() throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : contents.entrySet()) {
            files.put("usr/share/datasets/fashion-mnist/" + e.getKey(),
                    NpmPackFetcher.sha256(new java.io.ByteArrayInputStream(e.getValue())));
        }
        return files;
    }

    private DebPackageFetcher fetcher(String apt, String debSha, Map<String, String> files, String dpkgDeb) {
        return new DebPackageFetcher("dataset-fashion-mnist", "1.0-1", debSha, files, apt, dpkgDeb);
    }

    private void assertCacheEmpty() throws Exception {
        if (Files.exists(cache)) {
            try (var s = Files.list(cache)) {
                assertEquals(List.of(), s.toList(), "a failed fetch must leave nothing in the cache");
            }
        }
    }

    private void fetchesAndRecordsProvenance(String dpkgDeb) throws Exception {
        DebPackageFetcher f = fetcher(serveDeb(), NpmPackFetcher.sha256(deb), wanted(), dpkgDeb);
        Path dir = f.ensureCached(cache, s -> { });
        assertEquals(cache.resolve("dataset-fashion-mnist_1.0-1"), dir);
        for (Map.Entry<String, byte[]> e : contents.entrySet()) {
            assertArrayEquals(e.getValue(), Files.readAllBytes(dir.resolve(e.getKey())));
        }
        Map<String, String> provenance = FashionMnist.readProvenance(dir.resolve("provenance.json"));
        assertEquals("debian", provenance.get("source"));
        assertEquals(NpmPackFetcher.sha256(deb), provenance.get("debSha256"));
        assertEquals(wanted().get("usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz"),
                provenance.get("sha256:train-labels-idx1-ubyte.gz"));
        assertEquals("apt-get download dataset-fashion-mnist=1.0-1", provenance.get("command"));
        try (var s = Files.list(dir)) {
            assertEquals(3, s.count(), "the two files and provenance.json, no .deb or extracted tree");
        }
        try (var s = Files.list(cache)) {
            assertEquals(1, s.count(), "no temporary directory left");
        }
        // cached: apt-get is not run again
        f.ensureCached(cache, s -> { });
        assertEquals(1, Files.readAllLines(tmp.resolve("calls")).size());
    }

    @Test
    void fetchesWithDpkgDeb() throws Exception {
        fetchesAndRecordsProvenance("dpkg-deb");
    }

    @Test
    void fetchesWithoutDpkgDebByReadingTheArArchive() throws Exception {
        fetchesAndRecordsProvenance("/nonexistent/dpkg-deb");
    }

    @Test
    void wrongDebChecksumFailsAndLeavesNothing() throws Exception {
        String m = assertThrows(StageException.class,
                () -> fetcher(serveDeb(), "00".repeat(32), wanted(), "dpkg-deb").ensureCached(cache, s -> { })).getMessage();
        assertTrue(m.contains("dataset-fashion-mnist_1.0-1_all.deb has sha-256 " + NpmPackFetcher.sha256(deb)
                + ", expected " + "00".repeat(32)), m);
        assertCacheEmpty();
    }

    @Test
    void wrongFileChecksumNamesTheFile() throws Exception {
        Map<String, String> files = wanted();
        files.put("usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz", "11".repeat(32));
        String m = assertThrows(StageException.class,
                () -> fetcher(serveDeb(), NpmPackFetcher.sha256(deb), files, "dpkg-deb").ensureCached(cache, s -> { }))
                .getMessage();
        assertTrue(m.contains("/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz") && m.contains("11".repeat(32)), m);
        assertCacheEmpty();
    }

    @Test
    void failingOrMissingAptGetSaysWhatToRun() throws Exception {
        String m = assertThrows(StageException.class,
                () -> fetcher(fakeApt("echo 'E: Unable to locate package'; exit 100"), "x", wanted(), "dpkg-deb")
                        .ensureCached(cache, s -> { })).getMessage();
        assertTrue(m.contains("apt-get download dataset-fashion-mnist=1.0-1 failed with exit code 100")
                && m.contains("Unable to locate package") && m.contains("apt-get update"), m);
        assertCacheEmpty();
        m = assertThrows(StageException.class,
                () -> fetcher(tmp.resolve("no-such-apt-get").toString(), "x", wanted(), "dpkg-deb").ensureCached(cache, s -> { }))
                .getMessage();
        assertTrue(m.contains("cannot run apt-get") && m.contains("'apt-get download dataset-fashion-mnist=1.0-1'"), m);
        assertCacheEmpty();
        assertFalse(Files.exists(cache.resolve("dataset-fashion-mnist_1.0-1")));
    }
}
