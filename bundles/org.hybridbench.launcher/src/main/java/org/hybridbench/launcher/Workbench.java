package org.hybridbench.launcher;

import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.osgi.framework.Bundle;

/**
 * Command-line entry point of the workbench.
 *
 * <pre>
 * workbench [--home DIR] [--workspace DIR] [shell]        interactive Gogo shell
 * workbench [--home DIR] [--workspace DIR] run PIPELINE [ARG…]   hwb:run PIPELINE ARG…, then exit
 * workbench [--home DIR] [--workspace DIR] exec "COMMAND LINE"    any Gogo command line, then exit
 * workbench [--home DIR] init DIR                         new workspace from the product's template
 * </pre>
 *
 * System properties: {@code hybridbench.timing=true} prints the start-up time, {@code hybridbench.debug=true}
 * prints stack traces of failing commands, {@code hybridbench.ready.timeout} (seconds, default 60) bounds the
 * wait for the commands of {@code run}/{@code exec}.
 */
public final class Workbench {

    static final String USAGE = String.join(System.lineSeparator(),
            "usage: workbench [--home DIR] [--workspace DIR] [COMMAND]",
            "",
            "commands:",
            "  shell                    interactive Gogo shell (default); 'exit' or Ctrl-D leaves it",
            "  run PIPELINE [ARG...]    run a pipeline (a file, or NAME for <workspace>/pipelines/NAME.json) and exit",
            "  exec \"COMMAND LINE\"      execute one Gogo command line and exit (status 1 if it fails)",
            "  init DIR                 create a new workspace DIR from the product's workspace-template/",
            "  --help                   this text",
            "",
            "options:",
            "  --home DIR               the product directory (lib/, boot/, bundles/, features/); default: the",
            "                           parent of the folder holding the launcher jar",
            "  --workspace DIR          the user workspace (pipelines/, plugins/, config/, data/, runs/);",
            "                           default: ./workspace",
            "",
            "system properties: -Dhybridbench.timing=true (print start-up time), -Dhybridbench.debug=true",
            "(stack traces), -Dhybridbench.ready.timeout=SECONDS (default 60)");

    private Workbench() {
    }

    public static void main(String[] args) {
        int status = run(args, System.err);
        System.out.flush();
        System.exit(status);
    }

    /** Parsed command line. */
    record Invocation(Path home, Path workspace, String command, List<String> args) {
    }

    static Invocation parse(String[] argv) {
        Path home = null;
        Path workspace = null;
        int i = 0;
        while (i < argv.length && argv[i].startsWith("--")) {
            String opt = argv[i];
            if (opt.equals("--help")) {
                return new Invocation(null, null, "help", List.of());
            }
            if (opt.equals("--home") || opt.equals("--workspace")) {
                if (i + 1 >= argv.length) {
                    throw new IllegalArgumentException(opt + " needs a directory");
                }
                Path p = Path.of(argv[i + 1]);
                if (opt.equals("--home")) {
                    home = p;
                } else {
                    workspace = p;
                }
                i += 2;
                continue;
            }
            throw new IllegalArgumentException("unknown option " + opt);
        }
        String command = i < argv.length ? argv[i++] : "shell";
        List<String> rest = new ArrayList<>(List.of(argv).subList(i, argv.length));
        if (command.equals("-h") || command.equals("help")) {
            command = "help";
        }
        return new Invocation(home, workspace, command, rest);
    }

    /** Runs a command line as {@link #main} does, without exiting the JVM; returns the exit status. */
    public static int run(String[] argv, PrintStream err) {
        boolean debug = Boolean.getBoolean("hybridbench.debug");
        Invocation inv;
        try {
            inv = parse(argv);
        } catch (IllegalArgumentException e) {
            err.println("workbench: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        try {
            switch (inv.command()) {
                case "help":
                    System.out.println(USAGE);
                    return 0;
                case "init":
                    return init(inv, err);
                case "shell":
                    if (!inv.args().isEmpty()) {
                        err.println("workbench: shell takes no arguments");
                        return 2;
                    }
                    return shell(inv, err);
                case "run":
                    if (inv.args().isEmpty()) {
                        err.println("workbench: run needs a PIPELINE (a file or a name in <workspace>/pipelines/)");
                        return 2;
                    }
                    return runCommand(inv, "hwb", "run", GogoCommands.commandLine("hwb:run", inv.args()), err);
                case "exec":
                    if (inv.args().isEmpty()) {
                        err.println("workbench: exec needs a Gogo command line, e.g. exec \"lb\"");
                        return 2;
                    }
                    String line = String.join(" ", inv.args());
                    return runCommand(inv, null, null, line, err);
                default:
                    err.println("workbench: unknown command '" + inv.command() + "'");
                    err.println(USAGE);
                    return 2;
            }
        } catch (Exception e) {
            err.println("workbench: " + GogoCommands.messageOf(e));
            if (debug) {
                e.printStackTrace(err);
            }
            return 1;
        }
    }

    static Path home(Invocation inv) throws URISyntaxException {
        if (inv.home() != null) {
            return inv.home();
        }
        String prop = System.getProperty(Platform.HOME);
        if (prop != null) {
            return Path.of(prop);
        }
        // <home>/lib/org.hybridbench.launcher-*.jar
        Path jar = Path.of(Workbench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return jar.getParent().getParent();
    }

    static Path workspace(Invocation inv) {
        if (inv.workspace() != null) {
            return inv.workspace();
        }
        String prop = System.getProperty(Platform.WORKSPACE);
        return Path.of(prop != null ? prop : "workspace");
    }

    static int init(Invocation inv, PrintStream err) throws Exception {
        if (inv.args().size() != 1) {
            err.println("workbench: init needs exactly one DIR");
            return 2;
        }
        Path ws = WorkspaceInit.init(home(inv).resolve("workspace-template"), Path.of(inv.args().get(0)));
        System.out.println("created workspace " + ws);
        return 0;
    }

    private static Path checkedWorkspace(Invocation inv) throws Exception {
        Path ws = workspace(inv).toAbsolutePath().normalize();
        if (!Files.isDirectory(ws)) {
            throw new IllegalStateException("workspace " + ws + " does not exist; create it with: workbench init " + ws);
        }
        Files.createDirectories(ws.resolve("plugins"));
        return ws;
    }

    static int shell(Invocation inv, PrintStream err) throws Exception {
        Path ws = checkedWorkspace(inv);
        // gogo.jline starts the interactive shell on the system terminal itself (it never writes to System.out);
        // 'exit' or end of input stops the framework.
        // The product's etc/gosh_profile and etc/motd (prompt, welcome text, a plain 'exit') replace gogo's defaults.
        Path home = home(inv);
        Map<String, String> props = System.getProperty("gosh.home") == null && Files.isRegularFile(
                home.resolve("etc/gosh_profile")) ? Map.of("gosh.home", home.toAbsolutePath().toString()) : Map.of();
        Platform p = Platform.start(home, ws, props);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopQuietly(p), "workbench-shutdown"));
        reportBootFailures(p, err);
        long deadline = System.nanoTime() + readyTimeout().toNanos();
        while (p.commandProcessor() == null && !p.inactiveBootBundles().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        printTiming(p);
        p.framework().waitForStop(0);
        return 0;
    }

    /**
     * Waits until the boot bundles are active and the command ({@code scope:function}, or the first word of
     * {@code line}) is registered, executes {@code line}, stops the framework. 0 on success, 1 on failure.
     */
    static int runCommand(Invocation inv, String scope, String function, String line, PrintStream err) throws Exception {
        Path ws = checkedWorkspace(inv);
        boolean debug = Boolean.getBoolean("hybridbench.debug");
        if (System.getProperty("org.jline.terminal.dumb") == null) {
            System.setProperty("org.jline.terminal.dumb", "true"); // no terminal is needed; no fallback warning
        }
        Platform p = Platform.start(home(inv), ws, Platform.batchProperties(ws));
        Thread hook = new Thread(() -> stopQuietly(p), "workbench-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            reportBootFailures(p, err);
            Optional<String> notReady = awaitReady(p, scope, function, line);
            if (notReady.isPresent()) {
                err.println("workbench: " + notReady.get());
                return 1;
            }
            printTiming(p);
            try {
                p.execute(line);
                return 0;
            } catch (GogoCommands.CommandFailed e) {
                err.println(e.getMessage());
                if (debug) {
                    e.getCause().printStackTrace(err);
                }
                return 1;
            }
        } finally {
            System.out.flush();
            stopQuietly(p);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
    }

    static Duration readyTimeout() {
        return Duration.ofSeconds(Long.getLong("hybridbench.ready.timeout", 60));
    }

    /**
     * Polls until every boot bundle is ACTIVE, the Gogo command processor is registered and the wanted command
     * exists. For {@code exec} the wanted command is the first word of the line when it looks like a command name;
     * if nothing registers for 3 s after the boot bundles and the processor are up, the line is executed anyway
     * (Gogo then reports an unknown command itself). Empty when ready, else why not.
     */
    static Optional<String> awaitReady(Platform p, String scope, String function, String line) throws InterruptedException {
        boolean strict = function != null;
        String wantScope = scope;
        String wantFunction = function;
        if (!strict) {
            String first = line.trim().split("\\s+", 2)[0];
            if (first.matches("([A-Za-z_][\\w.-]*:)?[A-Za-z_][\\w-]*")) {
                int colon = first.indexOf(':');
                wantScope = colon < 0 ? null : first.substring(0, colon);
                wantFunction = first.substring(colon + 1);
            }
        }
        long timeout = readyTimeout().toNanos();
        long start = System.nanoTime();
        long settledSince = -1;
        int lastServiceCount = -1;
        while (true) {
            List<Bundle> inactive = p.inactiveBootBundles();
            boolean processor = p.commandProcessor() != null;
            boolean command = wantFunction == null || p.hasCommand(wantScope, wantFunction);
            if (inactive.isEmpty() && processor && command) {
                return Optional.empty();
            }
            long now = System.nanoTime();
            if (!p.bootFailures().isEmpty() && !command && processor && now - start > 2_000_000_000L) {
                // a boot bundle did not start and the command has not appeared within 2 s: it will not
                return Optional.of(missing(wantScope, wantFunction) + "; boot bundles failed: "
                        + p.bootFailures().keySet());
            }
            if (!strict && inactive.isEmpty() && processor) {
                int services = serviceCount(p);
                if (services != lastServiceCount) {
                    lastServiceCount = services;
                    settledSince = now;
                } else if (now - settledSince > 3_000_000_000L) {
                    return Optional.empty();
                }
            }
            if (now - start > timeout) {
                StringBuilder why = new StringBuilder("not ready after " + readyTimeout().toSeconds() + " s: ");
                List<String> reasons = new ArrayList<>();
                if (!inactive.isEmpty()) {
                    reasons.add("boot bundles not active: " + inactive.stream()
                            .map(b -> b.getSymbolicName() + " (" + state(b) + ")").collect(Collectors.joining(", ")));
                }
                if (!processor) {
                    reasons.add("no Gogo command processor (is org.apache.felix.gogo.runtime in boot/?)");
                }
                if (!command) {
                    reasons.add(missing(wantScope, wantFunction));
                }
                return Optional.of(why.append(String.join("; ", reasons)).toString());
            }
            Thread.sleep(20);
        }
    }

    private static String missing(String scope, String function) {
        String name = scope == null ? function : scope + ":" + function;
        String hint = "hwb".equals(scope) ? " (it comes from org.hybridbench.shell in boot/)" : "";
        return "no command " + name + " is registered" + hint;
    }

    private static int serviceCount(Platform p) {
        return p.allServices(null).length;
    }

    static String state(Bundle b) {
        return switch (b.getState()) {
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            default -> "UNINSTALLED";
        };
    }

    private static void reportBootFailures(Platform p, PrintStream err) {
        p.bootFailures().forEach((what, why) -> err.println("workbench: boot bundle " + what + " did not start: " + why));
    }

    private static void printTiming(Platform p) {
        if (!Boolean.getBoolean("hybridbench.timing")) {
            return;
        }
        double total = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() / 1e3;
        Platform.Timings t = p.timings();
        System.err.println(String.format(Locale.ROOT,
                "workbench ready in %.2f s (package scan %.2f s for %d packages, framework %.2f s, boot bundles %.2f s)",
                total, t.scanNanos() / 1e9, t.exportedPackages(), t.frameworkNanos() / 1e9, t.bootNanos() / 1e9));
    }

    private static void stopQuietly(Platform p) {
        try {
            p.close();
        } catch (Exception e) {
            // stopping anyway
        }
    }
}
