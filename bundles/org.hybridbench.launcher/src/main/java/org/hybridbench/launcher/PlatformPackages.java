package org.hybridbench.launcher;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import org.osgi.framework.Version;

/**
 * Finds the packages of the platform layer (DL4J/ND4J/JavaCPP on the launcher class path) that the system
 * bundle exports to the framework through {@code org.osgi.framework.system.packages.extra}.
 *
 * <p>Only {@code org.nd4j.*}, {@code org.deeplearning4j.*} and {@code org.bytedeco.*} are exported (ARCHITECTURE
 * §5): exporting everything on the class path would wire other bundles' imports (commons-math3, guava, jackson)
 * to the class-path copies that DL4J happens to pull in. A package's version comes from its jar's own
 * {@code Export-Package} header where there is one (JavaCPP), else it is exported without a version (0.0.0).
 * Only directories holding at least one {@code .class} file count as packages; {@code META-INF} (including
 * multi-release {@code META-INF/versions}) is skipped. The scan reads zip central directories only (~100 ms).
 */
public final class PlatformPackages {

    /** Package name prefixes exported from the class path. */
    public static final List<String> EXPORTED_ROOTS = List.of("org.nd4j", "org.deeplearning4j", "org.bytedeco");

    private PlatformPackages() {
    }

    /** Whether {@code pkg} is one of the platform packages ({@code org.nd4j}, {@code org.nd4j.x} … ). */
    public static boolean isPlatformPackage(String pkg) {
        for (String root : EXPORTED_ROOTS) {
            if (pkg.equals(root) || pkg.startsWith(root + ".")) {
                return true;
            }
        }
        return false;
    }

    /** The jars (not directories) named on a class path string. */
    public static List<Path> jarsOn(String classPath) {
        List<Path> jars = new ArrayList<>();
        if (classPath == null || classPath.isEmpty()) {
            return jars;
        }
        for (String element : classPath.split(File.pathSeparator)) {
            if (element.endsWith(".jar")) {
                Path p = Path.of(element);
                if (Files.isRegularFile(p)) {
                    jars.add(p);
                }
            }
        }
        return jars;
    }

    /**
     * Scans {@code jars} and returns package → version (sorted by package) of every platform package found.
     * Where a package occurs in several jars (split packages) the highest declared version wins.
     */
    public static Map<String, Version> scan(List<Path> jars) throws IOException {
        Map<String, Version> packages = new TreeMap<>();
        for (Path jar : jars) {
            try (JarFile jf = new JarFile(jar.toFile(), false)) {
                Map<String, Version> declared = declaredExports(jf.getManifest());
                Enumeration<JarEntry> entries = jf.entries();
                String lastDir = null;
                while (entries.hasMoreElements()) {
                    String name = entries.nextElement().getName();
                    if (!name.endsWith(".class") || name.startsWith("META-INF/")) {
                        continue;
                    }
                    int slash = name.lastIndexOf('/');
                    if (slash <= 0) {
                        continue; // default package
                    }
                    String dir = name.substring(0, slash);
                    if (dir.equals(lastDir)) {
                        continue; // entries of one directory are usually adjacent
                    }
                    lastDir = dir;
                    String pkg = dir.replace('/', '.');
                    if (!isPlatformPackage(pkg)) {
                        continue;
                    }
                    Version v = declared.getOrDefault(pkg, Version.emptyVersion);
                    packages.merge(pkg, v, (a, b) -> a.compareTo(b) >= 0 ? a : b);
                }
            } catch (IOException e) {
                throw new IOException("cannot scan " + jar + ": " + e.getMessage(), e);
            }
        }
        return packages;
    }

    /** The value for {@code org.osgi.framework.system.packages.extra}: {@code p1,p2;version="1.5.7",…}. */
    public static String systemPackagesExtra(Map<String, Version> packages) {
        StringBuilder sb = new StringBuilder(packages.size() * 40);
        packages.forEach((pkg, v) -> {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(pkg);
            if (!Version.emptyVersion.equals(v)) {
                sb.append(";version=\"").append(v).append('"');
            }
        });
        return sb.toString();
    }

    /** package → version of a manifest's {@code Export-Package} header (empty without manifest or header). */
    static Map<String, Version> declaredExports(Manifest manifest) {
        Map<String, Version> result = new TreeMap<>();
        if (manifest == null) {
            return result;
        }
        String header = manifest.getMainAttributes().getValue(new Attributes.Name("Export-Package"));
        if (header == null) {
            return result;
        }
        for (String clause : split(header, ',')) {
            List<String> parts = split(clause, ';');
            List<String> names = new ArrayList<>();
            Version version = Version.emptyVersion;
            for (String part : parts) {
                String p = part.trim();
                int eq = p.indexOf('=');
                if (eq < 0) {
                    if (!p.isEmpty()) {
                        names.add(p);
                    }
                    continue;
                }
                String key = p.substring(0, eq).trim();
                if (key.endsWith(":")) {
                    continue; // a directive such as uses:=
                }
                if (key.equals("version") || key.equals("specification-version")) {
                    String value = unquote(p.substring(eq + 1).trim());
                    try {
                        version = Version.parseVersion(value);
                    } catch (IllegalArgumentException e) {
                        version = Version.emptyVersion; // a malformed version is exported without one
                    }
                }
            }
            for (String n : names) {
                result.put(n, version);
            }
        }
        return result;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    /** Splits on {@code sep} outside double quotes. */
    static List<String> split(String s, char sep) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == sep && !quoted) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (cur.length() > 0) {
            out.add(cur.toString());
        }
        return out;
    }
}
