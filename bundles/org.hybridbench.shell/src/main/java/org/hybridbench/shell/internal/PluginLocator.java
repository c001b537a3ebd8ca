package org.hybridbench.shell.internal;

import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Turns what a user typed after {@code hwb:install} into a jar file: a path, or Maven coordinates in the local repository. */
final class PluginLocator {
    private PluginLocator() {
    }

    static Path locate(String what, Path workspace) throws FileNotFoundException {
        String[] gav = what.split(":");
        if (gav.length == 3 && !what.contains("/")) {
            Path repo = localRepository();
            Path jar = repo.resolve(gav[0].replace('.', '/')).resolve(gav[1]).resolve(gav[2]).resolve(gav[1] + "-" + gav[2] + ".jar");
            if (!Files.isRegularFile(jar)) {
                throw new FileNotFoundException("Maven artifact " + what + " is not in the local repository: no " + jar
                        + " (build it with mvn install first)");
            }
            return jar;
        }
        Path p = Path.of(what);
        if (!p.isAbsolute() && !Files.exists(p)) {
            p = workspace.resolve(what);
        }
        if (!Files.isRegularFile(p)) {
            throw new FileNotFoundException("no plugin jar " + what + " (expected a jar file path or group:artifact:version)");
        }
        return p.toAbsolutePath();
    }

    static Path localRepository() {
        String prop = System.getProperty("maven.repo.local");
        return prop != null ? Path.of(prop) : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }
}
