package org.hybridbench.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two workbench processes on one workspace get their own framework storage; what dead ones left is removed. */
class FrameworkStorageTest {

    @TempDir
    Path ws;

    @Test
    void storageIsPerProcessAndStaleOnesAreRemoved() throws Exception {
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        long dead = finished.pid();
        long alive = ProcessHandle.current().parent().orElseThrow().pid();
        Path cache = ws.resolve(".cache");
        Files.createDirectories(cache.resolve("felix/bundle1"));
        Files.writeString(cache.resolve("felix/bundle1/bundle.info"), "x");
        Files.createDirectories(cache.resolve("felix-" + dead + "/bundle3"));
        Files.createDirectories(cache.resolve("felix-" + alive));
        Files.createDirectories(cache.resolve("javacpp"));

        Path mine = Platform.frameworkStorage(ws);

        assertEquals(cache.resolve("felix-" + ProcessHandle.current().pid()), mine);
        assertFalse(Files.exists(cache.resolve("felix")), "the shared storage of older launchers");
        assertFalse(Files.exists(cache.resolve("felix-" + dead)), "a dead process's storage");
        assertTrue(Files.isDirectory(cache.resolve("felix-" + alive)), "a running process's storage is left alone");
        assertTrue(Files.isDirectory(cache.resolve("javacpp")), "other caches are left alone");
    }
}
