package org.hybridbench.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceInitTest {

    @TempDir
    Path tmp;
    Path template;

    @BeforeEach
    void template() throws IOException {
        template = tmp.resolve("home/workspace-template");
        Files.createDirectories(template.resolve("pipelines"));
        Files.createDirectories(template.resolve("plugins"));
        Files.createDirectories(template.resolve("runs"));
        Files.writeString(template.resolve("pipelines/README.md"), "pipelines here");
        Files.writeString(template.resolve("plugins/README.md"), "drop bundles here");
        Files.writeString(template.resolve("runs/.gitkeep"), "");
    }

    private List<String> tree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.map(p -> root.relativize(p).toString().replace('\\', '/')).sorted().toList();
        }
    }

    @Test
    void copiesTheTemplate() throws IOException {
        Path ws = WorkspaceInit.init(template, tmp.resolve("a/b/ws"));
        assertEquals(tmp.resolve("a/b/ws").toAbsolutePath(), ws);
        assertEquals(tree(template), tree(ws));
        assertEquals("drop bundles here", Files.readString(ws.resolve("plugins/README.md")));
        try (Stream<Path> s = Files.list(ws.getParent())) {
            assertEquals(List.of(ws), s.toList(), "no temporary directory is left behind");
        }
    }

    @Test
    void acceptsAnExistingEmptyDirectory() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("empty"));
        WorkspaceInit.init(template, dir);
        assertTrue(Files.isRegularFile(dir.resolve("pipelines/README.md")));
    }

    @Test
    void refusesANonEmptyDirectoryAndTouchesNothing() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("used"));
        Files.writeString(dir.resolve("mine.txt"), "keep");
        IOException e = assertThrows(IOException.class, () -> WorkspaceInit.init(template, dir));
        assertTrue(e.getMessage().contains("not empty"), e.getMessage());
        assertEquals(List.of("", "mine.txt"), tree(dir));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(2, s.count(), "only home/ and used/");
        }
    }

    @Test
    void refusesAFile() throws IOException {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertThrows(IOException.class, () -> WorkspaceInit.init(template, file));
    }

    @Test
    void missingTemplateIsAClearError() {
        IOException e = assertThrows(IOException.class, () -> WorkspaceInit.init(tmp.resolve("nope"), tmp.resolve("ws")));
        assertTrue(e.getMessage().contains("workspace template"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("ws")));
    }

    @Test
    void commandLineParsing() {
        Workbench.Invocation inv = Workbench.parse(new String[] {"--home", "h", "--workspace", "w", "run", "p", "--x"});
        assertEquals(Path.of("h"), inv.home());
        assertEquals(Path.of("w"), inv.workspace());
        assertEquals("run", inv.command());
        assertEquals(List.of("p", "--x"), inv.args());
        assertEquals("shell", Workbench.parse(new String[0]).command());
        assertEquals("help", Workbench.parse(new String[] {"--help"}).command());
        assertThrows(IllegalArgumentException.class, () -> Workbench.parse(new String[] {"--bogus"}));
    }

    @Test
    void gogoQuoting() {
        assertEquals("hwb:run mnist-gmm", GogoCommands.commandLine("hwb:run", List.of("mnist-gmm")));
        assertEquals("hwb:run 'my pipe.json'", GogoCommands.commandLine("hwb:run", List.of("my pipe.json")));
        assertEquals("hwb:run \"it's \\$x\"", GogoCommands.commandLine("hwb:run", List.of("it's $x")));
        assertEquals("x ''", GogoCommands.commandLine("x", List.of("")));
    }
}
