package io.facestream.recognize.eval;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A console progress bar on stderr: {@code [#####.....] 1234/7701 16% 23.4 img/s ETA 4:37}. On a
 * terminal it is redrawn in place at most 5 times a second; when stderr is a file or a pipe it
 * prints a plain line every 10% so logs stay readable. {@link #step} may be called from any thread.
 */
public final class ProgressBar implements AutoCloseable {

    private static final int BAR = 30;
    private static final long REDRAW_NANOS = 200_000_000L; // 5 redraws a second is smooth and cheap
    private static final int LOG_EVERY_PERCENT = 10;

    private final String unit;
    private final long total;
    private final PrintStream out;
    private final boolean interactive;
    private final LongSupplier clock;
    private final long start;
    private long done;
    private long lastDraw;
    private int lastLoggedDecile;
    private int lastWidth;
    private boolean closed;

    /** A bar on stderr counting {@code total} items of {@code unit} (e.g. "img"); in place when stderr is a terminal. */
    public ProgressBar(long total, String unit) {
        this(total, unit, System.err, System.console() != null, System::nanoTime);
    }

    /** A bar on the given stream, drawn in place or as log lines, timed by {@code clockNanos}. */
    public ProgressBar(long total, String unit, PrintStream out, boolean interactive, LongSupplier clockNanos) {
        if (total < 0) {
            throw new IllegalArgumentException("progress total must be 0 or more, was " + total);
        }
        this.total = total;
        this.unit = unit == null || unit.isBlank() ? "items" : unit;
        this.out = out;
        this.interactive = interactive;
        this.clock = clockNanos;
        this.start = clockNanos.getAsLong();
        this.lastDraw = start - REDRAW_NANOS; // the first step draws at once
    }

    /** Counts one item done. */
    public void step() {
        step(1);
    }

    /** Counts {@code n} items done and redraws when due. */
    public synchronized void step(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("progress step must be 0 or more, was " + n);
        }
        if (closed) {
            return;
        }
        done += n;
        long now = clock.getAsLong();
        if (interactive) {
            if (now - lastDraw >= REDRAW_NANOS || done >= total) {
                lastDraw = now;
                drawInPlace(line(now, false));
            }
        } else {
            int decile = total == 0 ? LOG_EVERY_PERCENT : (int) Math.min(100, 100 * done / total) / LOG_EVERY_PERCENT;
            if (decile > lastLoggedDecile && done < total) {
                lastLoggedDecile = decile;
                out.println(line(now, false));
            }
        }
    }

    /** Items counted so far. */
    public synchronized long done() {
        return done;
    }

    /** Prints the final line with the elapsed time and the mean rate; later steps are ignored. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        String last = line(clock.getAsLong(), true);
        if (interactive) {
            drawInPlace(last);
            out.println();
        } else {
            out.println(last);
        }
        out.flush();
    }

    private void drawInPlace(String text) {
        // Pad over the previous, possibly longer, line: \r returns the cursor but does not clear.
        int pad = Math.max(0, lastWidth - text.length());
        out.print("\r" + text + " ".repeat(pad));
        out.flush();
        lastWidth = text.length();
    }

    private String line(long now, boolean finished) {
        double seconds = Math.max(0, now - start) / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        int filled = total == 0 ? BAR : (int) Math.min(BAR, BAR * done / total);
        long percent = total == 0 ? 100 : Math.min(100, 100 * done / total);
        StringBuilder s = new StringBuilder(80);
        s.append('[').append("#".repeat(filled)).append(".".repeat(BAR - filled)).append("] ");
        s.append(done).append('/').append(total).append(' ').append(percent).append("% ");
        s.append(String.format(Locale.ROOT, "%.1f %s/s", rate, unit));
        if (finished) {
            s.append(" in ").append(clockTime(seconds));
        } else if (rate > 0 && done < total) {
            s.append(" ETA ").append(clockTime((total - done) / rate));
        }
        return s.toString();
    }

    /** 4:37, or 1:02:03 past an hour. */
    static String clockTime(double seconds) {
        long t = Math.round(seconds);
        long h = t / 3600;
        long m = (t % 3600) / 60;
        long s = t % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s) : String.format(Locale.ROOT, "%d:%02d", m, s);
    }
}
