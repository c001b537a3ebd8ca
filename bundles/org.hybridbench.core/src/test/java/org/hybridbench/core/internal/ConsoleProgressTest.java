package org.hybridbench.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class ConsoleProgressTest {

    @Test
    void printsPercentRateAndEtaAtMostOncePerInterval() {
        long[] now = {0};
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ConsoleProgress p = new ConsoleProgress(out, "gmm: EM", 100, "iterations", () -> now[0], 1_000_000_000L);
        now[0] = 500_000_000L;
        p.advance(10); // within the interval: nothing printed
        assertEquals("", bytes.toString(StandardCharsets.UTF_8));
        now[0] = 2_000_000_000L;
        p.advance(10); // 20 done in 2 s: 10/s, 80 left: 8 s
        assertEquals("gmm: EM  20% 20/100 iterations, 10.0 iterations/s, ETA 0:08\n", bytes.toString(StandardCharsets.UTF_8));
        now[0] = 10_000_000_000L;
        p.set(100);
        p.close();
        String all = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(all.endsWith("gmm: EM 100% 100/100 iterations, 10.0 iterations/s, took 0:10\n"), all);
    }

    @Test
    void resumedWorkDoesNotInflateTheRate() {
        long[] now = {0};
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleProgress p = new ConsoleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), "x", 100, "it",
                () -> now[0], 1L);
        now[0] = 1_000_000_000L;
        p.set(50); // resumed at 50
        now[0] = 2_000_000_000L;
        p.set(52);
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("52/100 it, 1.00 it/s"), bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void durationFormat() {
        assertEquals("0:59", ConsoleProgress.duration(59));
        assertEquals("2:05", ConsoleProgress.duration(125));
        assertEquals("1:00:01", ConsoleProgress.duration(3601));
    }
}
