package org.hybridbench.launcher;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;

/**
 * {@code workbench init DIR}: a new workspace as a copy of the product's {@code workspace-template/}. The copy is
 * made in a temporary directory next to {@code DIR} and then moved into place in one step, so an interrupted init
 * never leaves a half-made workspace behind. An existing, non-empty {@code DIR} is refused.
 */
public final class WorkspaceInit {

    private WorkspaceInit() {
    }

    /** Creates {@code target} from {@code template}; returns the absolute workspace path. */
    public static Path init(Path template, Path target) throws IOException {
        Path tpl = template.toAbsolutePath().normalize();
        Path dest = target.toAbsolutePath().normalize();
        if (!Files.isDirectory(tpl)) {
            throw new IOException("workspace template " + tpl + " is missing (is the product assembled?)");
        }
        if (Files.exists(dest)) {
            if (!Files.isDirectory(dest)) {
                throw new IOException(dest + " exists and is not a directory");
            }
            try (Stream<Path> s = Files.list(dest)) {
                if (s.findAny().isPresent()) {
                    throw new IOException(dest + " exists and is not empty; refusing to initialise a workspace there");
                }
            }
        }
        Path parent = dest.getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, "." + dest.getFileName() + ".init-");
        try {
            copyTree(tpl, tmp);
            if (Files.exists(dest)) {
                Files.delete(dest); // empty, checked above
            }
            try {
                Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dest);
            }
        } catch (IOException | RuntimeException e) {
            deleteTree(tmp);
            throw e;
        }
        return dest;
    }

    static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // best effort: a leftover hidden temp directory is harmless
        }
    }
}
