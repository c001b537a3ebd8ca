package org.hybridbench.images.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.hybridbench.api.StageException;
import org.hybridbench.fetch.NpmPackFetcher;

/**
 * Brings files of a pinned Debian package into the data cache once, without root: {@code apt-get download
 * NAME=VERSION} in a {@code .tmp-*} directory inside the cache, sha-256 check of the {@code .deb}, extraction with
 * {@code dpkg-deb -x} (or, without dpkg-deb, the {@code data.tar.*} member read from the ar archive in Java and
 * unpacked with {@code tar -xf}), sha-256 check of every wanted file, a {@code provenance.json}, then one atomic
 * rename to {@code <cache>/<name>_<version>/} (with '~' and ':' of the version replaced by '-'). A directory of that
 * name therefore always holds a complete, verified copy; a failure leaves nothing (the temporary directory is
 * deleted, and a crash leaves only a {@code .tmp-*} directory that is never read).
 */
final class DebPackageFetcher {
    private final String packageName;
    private final String version;
    private final String debSha256;
    /** Wanted files: path inside the package (no leading '/') → expected sha-256; stored under their file names. */
    private final Map<String, String> files;
    private final String aptGet;
    private final String dpkgDeb;

    DebPackageFetcher(String packageName, String version, String debSha256, Map<String, String> files, String aptGet,
            String dpkgDeb) {
        this.packageName = packageName;
        this.version = version;
        this.debSha256 = debSha256;
        this.files = files;
        this.aptGet = aptGet;
        this.dpkgDeb = dpkgDeb;
    }

    String directoryName() {
        return packageName + "_" + version.replace('~', '-').replace(':', '-');
    }

    String aptCommand() {
        return "apt-get download " + packageName + "=" + version;
    }

    /** The cached directory (the wanted files by name, and provenance.json), fetched first if absent. */
    Path ensureCached(Path cacheDirectory, Consumer<String> log) throws StageException {
        // absolute: the tools run with the temporary directory as their working directory
        Path cache = cacheDirectory.toAbsolutePath();
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
            log.accept("fetching Debian package " + packageName + " " + version + " with '" + aptCommand() + "' into " + cache);
            run(List.of(aptGet, "download", packageName + "=" + version), tmp, aptCommand());
            Path deb;
            try (Stream<Path> s = Files.list(tmp)) {
                List<Path> debs = s.filter(p -> p.getFileName().toString().endsWith(".deb")).toList();
                if (debs.size() != 1) {
                    throw new StageException("'" + aptCommand() + "' left " + debs.size() + " .deb files in " + tmp
                            + ", expected 1");
                }
                deb = debs.get(0);
            }
            String debActual = NpmPackFetcher.sha256(deb);
            if (!debActual.equals(debSha256)) {
                throw new StageException(deb.getFileName() + " has sha-256 " + debActual + ", expected " + debSha256
                        + ": the archive served different bytes than the ones this workbench was built for");
            }
            Path root = Files.createDirectory(tmp.resolve("root"));
            extract(deb, root, tmp);
            StringBuilder fileLines = new StringBuilder();
            for (Map.Entry<String, String> f : files.entrySet()) {
                Path in = root.resolve(f.getKey());
                if (!Files.isRegularFile(in)) {
                    throw new StageException(deb.getFileName() + " does not contain /" + f.getKey());
                }
                String actual = NpmPackFetcher.sha256(in);
                if (!actual.equals(f.getValue())) {
                    throw new StageException("/" + f.getKey() + " in " + deb.getFileName() + " has sha-256 " + actual
                            + ", expected " + f.getValue());
                }
                Path name = in.getFileName();
                Files.move(in, tmp.resolve(name));
                fileLines.append(",\n  \"sha256:").append(name).append("\": \"").append(actual).append('"');
            }
            NpmPackFetcher.deleteTree(root);
            Files.delete(deb);
            String provenance = "{\n"
                    + "  \"source\": \"debian\",\n"
                    + "  \"package\": \"" + packageName + "\",\n"
                    + "  \"version\": \"" + version + "\",\n"
                    + "  \"command\": \"" + aptCommand() + "\",\n"
                    + "  \"deb\": \"" + deb.getFileName() + "\",\n"
                    + "  \"debSha256\": \"" + debActual + "\""
                    + fileLines + ",\n"
                    + "  \"fetchedAt\": \"" + Instant.now() + "\"\n"
                    + "}\n";
            Files.writeString(tmp.resolve("provenance.json"), provenance, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                // Another run fetched the same package meanwhile; its copy is as good as ours.
                NpmPackFetcher.deleteTree(tmp);
            } catch (AtomicMoveNotSupportedException e) {
                throw new StageException("the data cache " + cache + " does not support atomic renames", e);
            }
            log.accept("cached " + packageName + " " + version + " (.deb sha-256 " + debActual + ") in " + target);
            return target;
        } catch (IOException e) {
            throw new StageException("fetching Debian package " + packageName + " " + version + " into " + cache
                    + " failed: " + e, e);
        } finally {
            if (Files.exists(tmp)) {
                NpmPackFetcher.deleteTree(tmp);
            }
        }
    }

    /** Unpacks the .deb's data into {@code root}: dpkg-deb if it runs, else its data.tar.* member via tar. */
    private void extract(Path deb, Path root, Path tmp) throws StageException, IOException {
        try {
            run(List.of(dpkgDeb, "-x", deb.toString(), root.toString()), tmp, "dpkg-deb -x " + deb.getFileName());
            return;
        } catch (MissingProgram e) {
            // Not a Debian system: read the ar archive ourselves; tar knows the member's compression.
        }
        Path member = dataMember(deb, tmp);
        try {
            run(List.of("tar", "-xf", member.toString(), "-C", root.toString()), tmp, "tar -xf " + member.getFileName());
            Files.delete(member);
        } catch (MissingProgram e) {
            throw new StageException("neither dpkg-deb nor tar can be run (" + e.getMessage() + "): install dpkg or tar "
                    + "to unpack " + deb.getFileName(), e);
        }
    }

    /**
     * Copies the {@code data.tar.*} member of a .deb (an ar archive: "!&lt;arch&gt;\n", then 60-byte headers with the
     * name in bytes 0–15 and the decimal size in bytes 48–57, members padded to even length) into {@code dir}.
     */
    static Path dataMember(Path deb, Path dir) throws StageException, IOException {
        try (InputStream in = Files.newInputStream(deb)) {
            byte[] magic = in.readNBytes(8);
            if (!new String(magic, StandardCharsets.US_ASCII).equals("!<arch>\n")) {
                throw new StageException(deb.getFileName() + " is not an ar archive (a .deb)");
            }
            while (true) {
                byte[] header = in.readNBytes(60);
                if (header.length == 0) {
                    throw new StageException(deb.getFileName() + " has no data.tar.* member");
                }
                if (header.length < 60) {
                    throw new StageException(deb.getFileName() + ": truncated ar header");
                }
                String name = new String(header, 0, 16, StandardCharsets.US_ASCII).strip();
                if (name.endsWith("/")) {
                    name = name.substring(0, name.length() - 1);
                }
                long size;
                try {
                    size = Long.parseLong(new String(header, 48, 10, StandardCharsets.US_ASCII).strip());
                } catch (NumberFormatException e) {
                    throw new StageException(deb.getFileName() + ": bad ar member size for " + name, e);
                }
                if (name.startsWith("data.tar")) {
                    Path out = dir.resolve(name);
                    try (OutputStream o = Files.newOutputStream(out)) {
                        long copied = copy(in, o, size);
                        if (copied != size) {
                            throw new StageException(deb.getFileName() + ": member " + name + " truncated after " + copied
                                    + " of " + size + " bytes");
                        }
                    }
                    return out;
                }
                long skip = size + (size % 2);
                if (in.skip(skip) != skip) {
                    throw new StageException(deb.getFileName() + ": truncated inside member " + name);
                }
            }
        }
    }

    private static long copy(InputStream in, OutputStream out, long size) throws IOException {
        byte[] buf = new byte[1 << 16];
        long done = 0;
        while (done < size) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, size - done));
            if (n < 0) {
                break;
            }
            out.write(buf, 0, n);
            done += n;
        }
        return done;
    }

    /** A program that could not be started at all (as opposed to one that failed). */
    static final class MissingProgram extends StageException {
        private static final long serialVersionUID = 1L;

        MissingProgram(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private void run(List<String> command, Path dir, String what) throws StageException {
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            String hint = command.get(0).equals(aptGet)
                    ? "cannot run apt-get (" + e.getMessage() + "): on Debian/Ubuntu run '" + aptCommand()
                            + "' or 'apt-get install " + packageName + "', or use a fixture source"
                    : "cannot run " + command.get(0) + " (" + e.getMessage() + ")";
            throw new MissingProgram(hint, e);
        }
        try (InputStream in = p.getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new StageException(what + " did not finish within 10 minutes");
            }
            if (p.exitValue() != 0) {
                String text = out.toString(StandardCharsets.UTF_8).strip();
                throw new StageException(what + " failed with exit code " + p.exitValue() + ": "
                        + (text.length() <= 2000 ? text : "…" + text.substring(text.length() - 2000))
                        + (command.get(0).equals(aptGet) ? " (is the package in the apt sources? run 'apt-get update')" : ""));
            }
        } catch (IOException e) {
            throw new StageException(what + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new StageException(what + " was interrupted", e);
        }
    }

    /** The wanted files' names in the cached directory. */
    List<String> fileNames() {
        List<String> names = new ArrayList<>();
        for (String f : files.keySet()) {
            names.add(Path.of(f).getFileName().toString());
        }
        return names;
    }
}
