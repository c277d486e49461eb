package io.facestream.gallery.ratelimit;

import java.util.Locale;

/**
 * How many requests one API token may make: {@code perSecond} on average, with bursts of up to {@code burst} at
 * once (a console page loading its thumbnails). {@link #OFF} lets every request through.
 *
 * @param perSecond the rate the bucket refills at, requests per second; 0 turns the limit off
 * @param burst how many requests the full bucket holds
 */
public record RateLimit(double perSecond, int burst) {

    /** No limit. */
    public static final RateLimit OFF = new RateLimit(0, 0);
    /**
     * An operator clicking through the console makes a few requests a second, a page of 50 thumbnails 50 at once;
     * a script enrolling a folder is paced by its enrolments' results. Far beyond either is a runaway client.
     */
    public static final double DEFAULT_PER_SECOND = 20;
    public static final int DEFAULT_BURST = 200;
    public static final RateLimit DEFAULT = new RateLimit(DEFAULT_PER_SECOND, DEFAULT_BURST);

    public RateLimit {
        if (!(perSecond >= 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("the rate limit must be 0 (off) or more requests per second, was " + perSecond);
        }
        if (perSecond > 0 && burst < 1) {
            throw new IllegalArgumentException("the rate limit's burst must be 1 or more requests, was " + burst
                    + " (set the rate to 0 to turn the limit off)");
        }
    }

    /** Whether requests are limited at all. */
    public boolean on() {
        return perSecond > 0;
    }

    @Override
    public String toString() {
        return on() ? String.format(Locale.ROOT, "%s/s, bursts of %d", perSecond, burst) : "off";
    }
}
