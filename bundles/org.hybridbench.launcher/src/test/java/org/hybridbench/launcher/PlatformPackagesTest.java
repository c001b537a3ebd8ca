package org.hybridbench.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Version;

class PlatformPackagesTest {

    @TempDir
    Path tmp;

    private Path jar(String name, String exportPackage, String... entries) throws IOException {
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (exportPackage != null) {
            mf.getMainAttributes().putValue("Export-Package", exportPackage);
        }
        Path p = tmp.resolve(name);
        try (OutputStream os = Files.newOutputStream(p); JarOutputStream jos = new JarOutputStream(os, mf)) {
            for (String e : entries) {
                jos.putNextEntry(new JarEntry(e));
                jos.closeEntry();
            }
        }
        return p;
    }

    @Test
    void exportsOnlyTheThreePlatformPrefixes() throws IOException {
        Path dl4j = jar("dl4j.jar", null,
                "org/nd4j/linalg/factory/Nd4j.class",
                "org/nd4j/linalg/factory/Nd4jBackend.class",
                "org/deeplearning4j/nn/multilayer/MultiLayerNetwork.class",
                "org/nd4j/shade/guava/collect/Lists.class",
                "com/google/common/collect/Lists.class",
                "org/apache/commons/math3/util/FastMath.class",
                "org/nd4jx/NotOurs.class",
                "META-INF/versions/9/org/nd4j/mr/Only9.class",
                "org/nd4j/resources/only-a-resource.txt",
                "TopLevel.class");
        Path cpp = jar("javacpp.jar",
                "org.bytedeco.javacpp;uses:=\"org.bytedeco.javacpp.annotation,org.bytedeco.javacpp.presets\";version=\"1.5.7\","
                        + "org.bytedeco.javacpp.indexer;version=\"1.5.7\"",
                "org/bytedeco/javacpp/Loader.class",
                "org/bytedeco/javacpp/indexer/Indexer.class",
                "org/bytedeco/javacpp/tools/Builder.class");

        Map<String, Version> pkgs = PlatformPackages.scan(List.of(dl4j, cpp));

        assertEquals(List.of("org.bytedeco.javacpp", "org.bytedeco.javacpp.indexer", "org.bytedeco.javacpp.tools",
                "org.deeplearning4j.nn.multilayer", "org.nd4j.linalg.factory", "org.nd4j.shade.guava.collect"),
                List.copyOf(pkgs.keySet()));
        assertEquals(new Version(1, 5, 7), pkgs.get("org.bytedeco.javacpp"));
        assertEquals(new Version(1, 5, 7), pkgs.get("org.bytedeco.javacpp.indexer"));
        assertEquals(Version.emptyVersion, pkgs.get("org.bytedeco.javacpp.tools"), "not in Export-Package: no version");
        assertEquals(Version.emptyVersion, pkgs.get("org.nd4j.linalg.factory"));

        String extra = PlatformPackages.systemPackagesExtra(pkgs);
        assertTrue(extra.startsWith("org.bytedeco.javacpp;version=\"1.5.7\",org.bytedeco.javacpp.indexer;version=\"1.5.7\","
                + "org.bytedeco.javacpp.tools,"), extra);
        assertFalse(extra.contains("com.google"), extra);
        assertFalse(extra.contains("org.apache"), extra);
    }

    @Test
    void splitPackageTakesTheHighestVersion() throws IOException {
        Path a = jar("a.jar", "org.nd4j.split;version=1.0", "org/nd4j/split/A.class");
        Path b = jar("b.jar", "org.nd4j.split;version=\"2.1.0\"", "org/nd4j/split/B.class");
        Path c = jar("c.jar", null, "org/nd4j/split/C.class");
        assertEquals(Map.of("org.nd4j.split", new Version(2, 1, 0)), PlatformPackages.scan(List.of(a, b, c)));
    }

    @Test
    void exportHeaderParsingHandlesQuotesDirectivesAndBadVersions() {
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().putValue("Export-Package",
                "p.one;p.two;version=\"3.0\";uses:=\"x,y;z\",p.three;specification-version=1.2,p.bad;version=\"x.y\",p.none");
        Map<String, Version> v = PlatformPackages.declaredExports(mf);
        assertEquals(new Version(3, 0, 0), v.get("p.one"));
        assertEquals(new Version(3, 0, 0), v.get("p.two"));
        assertEquals(new Version(1, 2, 0), v.get("p.three"));
        assertEquals(Version.emptyVersion, v.get("p.bad"));
        assertEquals(Version.emptyVersion, v.get("p.none"));
        assertEquals(5, v.size());
    }

    /** The real DL4J class path of this module: what the product exports, and what it must not. */
    @Test
    void realDl4jClassPath() throws IOException {
        List<Path> jars = PlatformPackages.jarsOn(System.getProperty("java.class.path"));
        long t0 = System.nanoTime();
        Map<String, Version> pkgs = PlatformPackages.scan(jars);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(pkgs.containsKey("org.nd4j.linalg.factory"));
        assertTrue(pkgs.containsKey("org.nd4j.common.config"));
        assertTrue(pkgs.containsKey("org.deeplearning4j.nn.multilayer"));
        assertTrue(pkgs.containsKey("org.nd4j.linalg.cpu.nativecpu"));
        assertEquals(new Version(1, 5, 7), pkgs.get("org.bytedeco.javacpp"));
        assertTrue(pkgs.keySet().stream().allMatch(PlatformPackages::isPlatformPackage));
        String extra = PlatformPackages.systemPackagesExtra(pkgs);
        for (String clause : extra.split(",")) {
            String pkg = clause.split(";")[0];
            for (String forbidden : List.of("org.apache.", "com.google.", "org.slf4j", "com.fasterxml.", "org.osgi.",
                    "org.junit.", "it.unimi.")) {
                assertFalse(pkg.startsWith(forbidden), pkg + " must not be exported");
            }
        }
        assertTrue(pkgs.size() > 300, pkgs.size() + " packages");
        assertTrue(ms < 5000, "scan took " + ms + " ms");
    }
}
