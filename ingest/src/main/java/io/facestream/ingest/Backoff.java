package io.facestream.ingest;

import java.time.Duration;

/**
 * Exponential reconnection delays: {@code initial}, doubling on each failure in a row, never above {@code max}.
 *
 * @param initial the delay after the first failure
 * @param max the cap on the delay
 */
public record Backoff(Duration initial, Duration max) {

    /** 1 s doubling to 30 s: quick to recover from a blip, gentle on a camera that is down for long. */
    public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

    public Backoff {
        if (initial == null || initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial reconnect delay must be positive, was " + initial
                    + "; 1 s is the default");
        }
        if (max == null || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("maximum reconnect delay must be at least the initial "
                    + initial + ", was " + max + "; 30 s is the default");
        }
    }

    /** The delay before attempt {@code failures} (1 for the first failure in a row). */
    public Duration delay(int failures) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures in a row must be >= 1, was " + failures);
        }
        int doublings = Math.min(failures - 1, 62);
        long ms = initial.toMillis();
        for (int i = 0; i < doublings && ms < max.toMillis(); i++) {
            ms *= 2;
        }
        return Duration.ofMillis(Math.min(ms, max.toMillis()));
    }
}
