package org.hybridbench.product;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.hybridbench.launcher.Platform;
import org.hybridbench.launcher.Workbench;
import org.hybridbench.launcher.WorkspaceInit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleWiring;

/**
 * The assembled product (target/workbench) started through the launcher's own classes, in this JVM, on a fresh
 * workspace made by {@code init}: what {@code ./workbench} does, minus the shell script.
 */
class ProductIT {

    static final Path HOME = Path.of(System.getProperty("hybridbench.product", "target/workbench"));

    @TempDir
    static Path tmp;
    static Path workspace;
    static Platform platform;

    @BeforeAll
    static void start() throws Exception {
        workspace = WorkspaceInit.init(HOME.resolve("workspace-template"), tmp.resolve("ws"));
        platform = Platform.start(HOME, workspace, Platform.batchProperties(workspace));
        assertEquals(Map.of(), platform.bootFailures(), "every boot bundle installs and starts");
        await(() -> platform.inactiveBootBundles().isEmpty() && platform.commandProcessor() != null,
                "boot bundles active and Gogo up");
    }

    @AfterAll
    static void stop() throws Exception {
        if (platform != null) {
            platform.close();
        }
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(50);
        }
    }

    static Optional<Bundle> bundle(String bsn) {
        return Stream.of(platform.context().getBundles()).filter(b -> bsn.equals(b.getSymbolicName())).findFirst();
    }

    @Test
    void bootsWithTheWorkbenchCommandsAndTheWorkspaceProperties() {
        assertEquals(18, platform.bootBundles().size(), "the boot/ folder of the product");
        assertTrue(platform.hasCommand("hwb", "run"), "hwb:run from org.hybridbench.shell");
        assertTrue(platform.hasCommand("dl4j", "info"));
        assertTrue(platform.hasCommand(null, "lb"));
        assertEquals(workspace.toString(), platform.context().getProperty("hybridbench.workspace"));
        assertEquals(HOME.toAbsolutePath().normalize().toString(), platform.context().getProperty("hybridbench.home"));
        assertEquals(workspace.resolve("plugins").toString(), platform.context().getProperty("felix.fileinstall.dir"));
        // framework storage per process, so two workbench processes on one workspace do not share a bundle cache
        assertEquals(workspace.resolve(".cache/felix-" + ProcessHandle.current().pid()), platform.storage());
        assertTrue(Files.isDirectory(platform.storage()), "framework storage in the workspace");
    }

    /** System bundle exports: the DL4J platform packages, and nothing else from the class path. */
    @Test
    void exportsOnlyThePlatformPackagesFromTheClassPath() {
        List<BundleCapability> exports = platform.context().getBundle(0).adapt(BundleWiring.class)
                .getCapabilities("osgi.wiring.package");
        List<String> names = exports.stream().map(c -> (String) c.getAttributes().get("osgi.wiring.package")).toList();
        assertTrue(names.contains("org.nd4j.linalg.factory"));
        assertTrue(names.contains("org.deeplearning4j.nn.multilayer"));
        assertTrue(names.contains("org.bytedeco.javacpp"));
        for (String n : names) {
            for (String forbidden : List.of("org.apache.commons.", "com.google.", "org.slf4j", "com.fasterxml.",
                    "it.unimi.", "org.junit.", "oshi.")) {
                assertFalse(n.startsWith(forbidden), n + " must not be exported by the system bundle");
            }
        }
        // commons-math3 is used from its bundle in boot/, not from DL4J's copy on the class path
        Bundle math = bundle("org.apache.commons.math3").orElseThrow();
        assertEquals(Bundle.ACTIVE, math.getState());
        assertTrue(math.adapt(BundleWiring.class).getCapabilities("osgi.wiring.package").stream()
                .anyMatch(c -> "org.apache.commons.math3.linear".equals(c.getAttributes().get("osgi.wiring.package"))));
        assertTrue(exports.stream().filter(c -> "org.bytedeco.javacpp".equals(c.getAttributes().get("osgi.wiring.package")))
                .anyMatch(c -> "1.5.7".equals(String.valueOf(c.getAttributes().get("version")))), "javacpp's own version");
    }

    /** ND4J works inside the framework through the launcher's class-loader pinning (the product's path). */
    @Test
    void dl4jReadinessInitialisesNd4j() throws Exception {
        ServiceReference<?>[] refs = platform.allServices("(objectClass=org.hybridbench.dl4j.Dl4jReadiness)");
        assertEquals(1, refs.length, "Dl4jReadiness is registered (lazily: activated on first use)");
        ServiceReference<?> ref = refs[0];
        Object readiness = platform.context().getService(ref);
        try {
            Class<?> api = ref.getBundle().loadClass("org.hybridbench.dl4j.Dl4jReadiness");
            assertEquals("CPU", api.getMethod("backend").invoke(readiness));
            assertEquals("OPENBLAS", api.getMethod("blasVendor").invoke(readiness));
            assertEquals(1, api.getMethod("threads").invoke(readiness), "OMP_NUM_THREADS=1");
        } finally {
            platform.context().ungetService(ref);
        }
    }

    /** FileInstall: a jar dropped into plugins/ is installed and started; deleting it uninstalls it. */
    @Test
    void pluginsFolderIsLive() throws Exception {
        Path jar;
        try (Stream<Path> s = Files.list(HOME.resolve("bundles"))) {
            jar = s.filter(p -> p.getFileName().toString().startsWith("org.hybridbench.metrics-")).findFirst().orElseThrow();
        }
        assertNull(bundle("org.hybridbench.metrics").orElse(null));
        Path dropped = workspace.resolve("plugins").resolve(jar.getFileName());
        Path partial = workspace.resolve("plugins.tmp");
        Files.copy(jar, partial);
        Files.move(partial, dropped, StandardCopyOption.ATOMIC_MOVE);
        await(() -> bundle("org.hybridbench.metrics").map(b -> b.getState() == Bundle.ACTIVE).orElse(false),
                "the dropped bundle becomes ACTIVE");
        Files.delete(dropped);
        await(() -> bundle("org.hybridbench.metrics").isEmpty(), "the deleted bundle is uninstalled");
    }

    /** The command-line entry point: exit status 0 for a good command line, 1 with a message for a bad one. */
    @Test
    void execExitStatus() throws Exception {
        Path ws2 = WorkspaceInit.init(HOME.resolve("workspace-template"), tmp.resolve("ws2"));
        PrintStream err = System.err;
        String[] common = {"--home", HOME.toString(), "--workspace", ws2.toString()};
        assertEquals(0, Workbench.run(concat(common, "exec", "lb"), err));
        assertEquals(1, Workbench.run(concat(common, "exec", "no-such-command"), err));
        assertEquals(1, Workbench.run(concat(common, "run", "no-such-pipeline"), err));
        assertEquals(2, Workbench.run(concat(common, "run"), err), "usage error");
        assertEquals(1, Workbench.run(concat(common, "init", ws2.toString()), err), "refuses a non-empty workspace");
    }

    /** Every feature names bundles the product has: boot features in boot/, the others in bundles/. */
    @Test
    void featuresNameBundlesOfTheProduct() throws Exception {
        Map<String, String> where = new java.util.HashMap<>();
        for (String dir : List.of("boot", "bundles")) {
            try (Stream<Path> s = Files.list(HOME.resolve(dir))) {
                for (Path jar : s.filter(p -> p.toString().endsWith(".jar")).toList()) {
                    try (java.util.jar.JarFile jf = new java.util.jar.JarFile(jar.toFile())) {
                        String bsn = jf.getManifest().getMainAttributes().getValue("Bundle-SymbolicName");
                        where.put(bsn.split(";")[0].trim(), dir);
                    }
                }
            }
        }
        java.util.regex.Pattern bundles = java.util.regex.Pattern.compile("\"bundles\"\\s*:\\s*\\[([^]]*)]");
        java.util.regex.Pattern boot = java.util.regex.Pattern.compile("\"boot\"\\s*:\\s*(true|false)");
        List<Path> features;
        try (Stream<Path> s = Files.list(HOME.resolve("features"))) {
            features = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertTrue(features.size() >= 3, "core, dl4j, gmm");
        java.util.Set<String> inBoot = new java.util.HashSet<>();
        for (Path f : features) {
            String json = Files.readString(f);
            var b = bundles.matcher(json);
            var k = boot.matcher(json);
            assertTrue(b.find() && k.find(), f + " has bundles and boot");
            String expectedDir = Boolean.parseBoolean(k.group(1)) ? "boot" : "bundles";
            for (String quoted : b.group(1).split(",")) {
                String bsn = quoted.trim().replace("\"", "");
                if (bsn.isEmpty()) {
                    continue;
                }
                assertEquals(expectedDir, where.get(bsn), f.getFileName() + ": " + bsn);
                if (expectedDir.equals("boot")) {
                    inBoot.add(bsn);
                }
            }
        }
        where.forEach((bsn, dir) -> {
            if (dir.equals("boot")) {
                assertTrue(inBoot.contains(bsn), bsn + " in boot/ belongs to a boot feature");
            }
        });
    }

    private static String[] concat(String[] a, String... b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }
}
