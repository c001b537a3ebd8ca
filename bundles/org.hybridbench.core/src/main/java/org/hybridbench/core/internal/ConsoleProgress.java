package org.hybridbench.core.internal;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

import org.hybridbench.api.ProgressMonitor;

/**
 * A progress line with percent, rate and ETA, printed at most every {@code intervalNanos} (and at the end), one
 * line each so it reads well in a terminal, a log file and CI output alike.
 */
final class ConsoleProgress implements ProgressMonitor {
    private final PrintStream out;
    private final String label;
    private final long total;
    private final String unit;
    private final LongSupplier clock;
    private final long intervalNanos;
    private final long start;
    private long startDone;
    private long done;
    private long lastPrint;
    private boolean closed;

    ConsoleProgress(PrintStream out, String label, long total, String unit, LongSupplier clock, long intervalNanos) {
        this.out = out;
        this.label = label;
        this.total = total;
        this.unit = unit;
        this.clock = clock;
        this.intervalNanos = intervalNanos;
        this.start = clock.getAsLong();
        this.lastPrint = start;
    }

    @Override
    public synchronized void advance(long units) {
        done += units;
        maybePrint();
    }

    @Override
    public synchronized void set(long value) {
        if (done == 0 && startDone == 0) {
            startDone = value; // resumed work does not count towards the rate
        }
        done = value;
        maybePrint();
    }

    private void maybePrint() {
        long now = clock.getAsLong();
        if (now - lastPrint >= intervalNanos) {
            lastPrint = now;
            out.println(line(now));
        }
    }

    /** E.g. {@code gmm: EM  42% 42/100 iterations, 3.10 iterations/s, ETA 0:19}. */
    String line(long now) {
        double seconds = (now - start) / 1e9;
        double rate = seconds > 0 ? (done - startDone) / seconds : 0;
        StringBuilder sb = new StringBuilder(label);
        if (total > 0) {
            sb.append(String.format(Locale.ROOT, " %3d%% %d/%d %s", (int) (100.0 * done / total), done, total, unit));
        } else {
            sb.append(' ').append(done).append(' ').append(unit);
        }
        sb.append(String.format(Locale.ROOT, ", %.3g %s/s", rate, unit));
        if (total > 0 && rate > 0 && done < total) {
            sb.append(", ETA ").append(duration((long) ((total - done) / rate)));
        } else if (done >= total && total > 0) {
            sb.append(", took ").append(duration((long) seconds));
        }
        return sb.toString();
    }

    static String duration(long seconds) {
        long h = seconds / 3600;
        long m = (seconds % 3600) / 60;
        long s = seconds % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s) : String.format(Locale.ROOT, "%d:%02d", m, s);
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            out.println(line(clock.getAsLong()));
        }
    }
}
