package org.hybridbench.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.felix.framework.FrameworkFactory;
import org.deeplearning4j.config.DL4JClassLoading;
import org.nd4j.common.config.ND4JClassLoading;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;

/**
 * The running workbench: a Felix framework over a product home ({@code lib/}, {@code boot/}, {@code bundles/},
 * {@code features/}) and a user workspace. Used by {@link Workbench} and by tests that start the real product in
 * the same JVM.
 */
public final class Platform implements AutoCloseable {

    public static final String HOME = "hybridbench.home";
    public static final String WORKSPACE = "hybridbench.workspace";
    public static final String JAVACPP_CACHEDIR = "org.bytedeco.javacpp.cachedir";

    private final Framework framework;
    private final List<Bundle> bootBundles;
    private final Map<String, String> bootFailures;
    private final Timings timings;

    /** Start-up phase durations in nanoseconds, for {@code -Dhybridbench.timing=true}. */
    public record Timings(long scanNanos, int exportedPackages, long frameworkNanos, long bootNanos) {
    }

    private final Path storage;

    private Platform(Framework framework, Path storage, List<Bundle> bootBundles, Map<String, String> bootFailures, Timings t) {
        this.framework = framework;
        this.storage = storage;
        this.bootBundles = bootBundles;
        this.bootFailures = bootFailures;
        this.timings = t;
    }

    /**
     * Starts the framework: pins the DL4J/ND4J class loaders to the class path, exports the platform packages,
     * installs every jar of {@code home/boot} and starts the non-fragments in name order.
     *
     * @param extra further framework properties (override the defaults; tests use it for {@code gosh.args})
     */
    public static Platform start(Path home, Path workspace, Map<String, String> extra) throws IOException, BundleException {
        Path homeDir = home.toAbsolutePath().normalize();
        Path ws = workspace.toAbsolutePath().normalize();
        Path boot = homeDir.resolve("boot");
        if (!Files.isDirectory(boot)) {
            throw new IOException("no boot/ folder in " + homeDir + " — is --home the assembled product directory?");
        }
        System.setProperty(HOME, homeDir.toString());
        System.setProperty(WORKSPACE, ws.toString());
        if (System.getProperty(JAVACPP_CACHEDIR) == null) {
            System.setProperty(JAVACPP_CACHEDIR, ws.resolve(".cache/javacpp").toString());
        }
        // DL4J logs through SLF4J; the simple binding on lib/ prints warnings and errors only unless told otherwise.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }

        // ND4J/DL4J remember the first caller's context class loader to find their backend: pin the class-path
        // loader before any bundle can call in (ARCHITECTURE §5). Neither call loads a backend.
        ClassLoader appLoader = Platform.class.getClassLoader();
        ND4JClassLoading.setNd4jClassloader(appLoader);
        DL4JClassLoading.setDl4jClassloader(appLoader);

        long t0 = System.nanoTime();
        Map<String, org.osgi.framework.Version> packages = PlatformPackages.scan(
                PlatformPackages.jarsOn(System.getProperty("java.class.path")));
        long t1 = System.nanoTime();

        // One framework storage per process: it is cleaned on every start anyway (boot/ is authoritative), and two
        // workbench processes on one workspace (a sweep over seeds) must not share — and corrupt — one bundle cache.
        Path storage = frameworkStorage(ws);
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, PlatformPackages.systemPackagesExtra(packages));
        config.put(HOME, homeDir.toString());
        config.put(WORKSPACE, ws.toString());
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("felix.fileinstall.dir", ws.resolve("plugins").toString());
        defaults.put("felix.fileinstall.poll", "1000");
        defaults.put("felix.fileinstall.noInitialDelay", "true");
        defaults.put("felix.fileinstall.bundles.new.start", "true");
        defaults.put("felix.fileinstall.log.level", "2");
        // A system property (-Dfelix.fileinstall.poll=…) wins over our default: Felix falls back to them.
        defaults.forEach((k, v) -> {
            if (System.getProperty(k) == null) {
                config.put(k, v);
            }
        });
        config.putAll(extra);

        Framework fw = new FrameworkFactory().newFramework(config);
        fw.init();
        fw.start();
        long t2 = System.nanoTime();

        BundleContext ctx = fw.getBundleContext();
        List<Path> jars;
        try (Stream<Path> s = Files.list(boot)) {
            jars = s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
        List<Bundle> bundles = new ArrayList<>();
        Map<String, String> failures = new LinkedHashMap<>();
        for (Path jar : jars) {
            try (InputStream in = Files.newInputStream(jar)) {
                bundles.add(ctx.installBundle(jar.toUri().toString(), in));
            } catch (BundleException e) {
                failures.put(jar.getFileName().toString(), GogoCommands.messageOf(e));
            }
        }
        for (Bundle b : bundles) {
            if (isFragment(b)) {
                continue;
            }
            try {
                b.start();
            } catch (BundleException e) {
                failures.put(b.getSymbolicName(), GogoCommands.messageOf(e));
            }
        }
        long t3 = System.nanoTime();
        return new Platform(fw, storage, List.copyOf(bundles), failures,
                new Timings(t1 - t0, packages.size(), t2 - t1, t3 - t2));
    }

    /**
     * {@code <workspace>/.cache/felix-<pid>}; removes the storage left by processes that no longer run (killed ones)
     * and by launchers before this scheme ({@code .cache/felix}).
     */
    static Path frameworkStorage(Path ws) throws IOException {
        Path cache = ws.resolve(".cache");
        Files.createDirectories(cache);
        try (Stream<Path> s = Files.list(cache)) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                if (name.equals("felix") || (name.startsWith("felix-") && isDeadPid(name.substring("felix-".length())))) {
                    deleteTree(p);
                }
            }
        }
        return cache.resolve("felix-" + ProcessHandle.current().pid());
    }

    private static boolean isDeadPid(String text) {
        try {
            return ProcessHandle.of(Long.parseLong(text)).map(h -> !h.isAlive()).orElse(true);
        } catch (NumberFormatException e) {
            return false; // not ours
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // another process may be removing it too; what is left is removed at a later start
        }
    }

    /**
     * Framework properties for a non-interactive workbench (exec, run, tests): gogo.jline opens no shell, and its
     * own (unused) login session gets an empty profile, because the default one sets up a line editor that a
     * non-interactive session does not have (and prints an error).
     */
    public static Map<String, String> batchProperties(Path workspace) throws IOException {
        Path goshHome = workspace.toAbsolutePath().normalize().resolve(".cache/gosh");
        Files.createDirectories(goshHome.resolve("etc"));
        Files.writeString(goshHome.resolve("etc/gosh_profile"),
                "# written by the workbench launcher: the non-interactive session needs no line editor set-up\n");
        return Map.of("gosh.args", "--nointeractive", "gosh.home", goshHome.toString());
    }

    static boolean isFragment(Bundle b) {
        return b.getHeaders("").get(Constants.FRAGMENT_HOST) != null;
    }

    public Framework framework() {
        return framework;
    }

    public BundleContext context() {
        return framework.getBundleContext();
    }

    public List<Bundle> bootBundles() {
        return bootBundles;
    }

    /** Boot jar or bundle → why it did not install or start. */
    public Map<String, String> bootFailures() {
        return bootFailures;
    }

    public Timings timings() {
        return timings;
    }

    /** Boot bundles (not fragments) that are not ACTIVE yet. */
    public List<Bundle> inactiveBootBundles() {
        List<Bundle> out = new ArrayList<>();
        for (Bundle b : bootBundles) {
            if (!isFragment(b) && b.getState() != Bundle.ACTIVE) {
                out.add(b);
            }
        }
        return out;
    }

    /** The Gogo command processor, or null. */
    public ServiceReference<?> commandProcessor() {
        ServiceReference<?>[] refs = allServices("(objectClass=" + GogoCommands.PROCESSOR + ")");
        return refs.length == 0 ? null : refs[0];
    }

    /**
     * Services matching {@code filter}, whatever class space they are in. (getServiceReferences would hide services
     * whose classes the system bundle's class loader can load from elsewhere, e.g. a bundle jar also on the class
     * path in tests.) Highest ranking first.
     */
    public ServiceReference<?>[] allServices(String filter) {
        try {
            ServiceReference<?>[] refs = context().getAllServiceReferences(null, filter);
            if (refs == null) {
                return new ServiceReference<?>[0];
            }
            java.util.Arrays.sort(refs, java.util.Collections.reverseOrder());
            return refs;
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * Whether a Gogo command {@code function} (in {@code scope}, or any scope if null) is registered. Matches
     * the {@code osgi.command.function} property whether it is a string or a string array.
     */
    public boolean hasCommand(String scope, String function) {
        String filter = scope == null
                ? "(osgi.command.function=" + function + ")"
                : "(&(osgi.command.scope=" + scope + ")(osgi.command.function=" + function + "))";
        return allServices(filter).length > 0;
    }

    /** Executes a Gogo command line in a fresh session (output to the process's stdout/stderr). */
    public void execute(String commandLine) throws Exception {
        ServiceReference<?> ref = commandProcessor();
        if (ref == null) {
            throw new IllegalStateException("no Gogo command processor is running");
        }
        GogoCommands.execute(context(), ref, commandLine);
    }

    /** Stops the framework and waits (up to 30 s) until it has stopped. */
    @Override
    public void close() throws BundleException {
        if ((framework.getState() & (Bundle.STARTING | Bundle.ACTIVE)) != 0) {
            framework.stop();
        }
        try {
            framework.waitForStop(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteTree(storage);
    }

    /** This process's framework storage ({@code <workspace>/.cache/felix-<pid>}), removed by {@link #close()}. */
    public Path storage() {
        return storage;
    }
}
