package io.facestream.gallery.console;

import java.util.Arrays;

/** The latest {@code capacity} values of a figure, and their percentiles; thread-safe. */
final class Percentiles {

    private final double[] values;
    private int next;
    private int count;

    Percentiles(int capacity) {
        this.values = new double[capacity];
    }

    synchronized void add(double v) {
        values[next] = v;
        next = (next + 1) % values.length;
        count = Math.min(count + 1, values.length);
    }

    synchronized int count() {
        return count;
    }

    /** The nearest-rank percentiles {@code ps} (0-100) of the values held; NaN each when there are none. */
    synchronized double[] of(double... ps) {
        double[] out = new double[ps.length];
        if (count == 0) {
            Arrays.fill(out, Double.NaN);
            return out;
        }
        double[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        for (int i = 0; i < ps.length; i++) {
            int rank = (int) Math.ceil(ps[i] / 100 * count);
            out[i] = sorted[Math.max(0, Math.min(count - 1, rank - 1))];
        }
        return out;
    }
}
