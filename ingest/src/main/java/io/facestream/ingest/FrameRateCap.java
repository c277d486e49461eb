package io.facestream.ingest;

/**
 * Drops frames so that at most {@code maxFps} pass per second of source time; a cap of 0 passes everything. Not
 * thread-safe.
 */
public final class FrameRateCap {

    private final double maxFps;
    private final long intervalMicros;
    private final long toleranceMicros;
    private long nextDueMicros = Long.MIN_VALUE;
    private long passed;
    private long dropped;

    /** A cap of {@code maxFps} frames per second; 0 means no cap. */
    public FrameRateCap(double maxFps) {
        if (!(maxFps >= 0) || Double.isInfinite(maxFps)) {
            throw new IllegalArgumentException("frame-rate cap must be a finite number >= 0 (0 = no cap), was " + maxFps);
        }
        this.maxFps = maxFps;
        this.intervalMicros = maxFps == 0 ? 0 : Math.round(1_000_000 / maxFps);
        // Source timestamps jitter by a few microseconds (rounding of time bases); without slack a frame due at
        // exactly the interval would be dropped for being 1 us early and the next one taken instead.
        this.toleranceMicros = intervalMicros / 10;
    }

    /** Whether the frame with this source timestamp (microseconds, non-decreasing) passes the cap. */
    public boolean admit(long timestampMicros) {
        if (intervalMicros == 0) {
            passed++;
            return true;
        }
        if (nextDueMicros != Long.MIN_VALUE && timestampMicros < nextDueMicros - toleranceMicros) {
            dropped++;
            return false;
        }
        if (nextDueMicros == Long.MIN_VALUE || timestampMicros - nextDueMicros > intervalMicros) {
            // First frame, or after a gap in the source: start the schedule again rather than let a burst through.
            nextDueMicros = timestampMicros + intervalMicros;
        } else {
            // On schedule: advance by the interval so the long-run rate is the cap, not the cap minus jitter.
            nextDueMicros += intervalMicros;
        }
        passed++;
        return true;
    }

    /** The cap in frames per second, 0 for none. */
    public double maxFps() {
        return maxFps;
    }

    /** Frames admitted so far. */
    public long passed() {
        return passed;
    }

    /** Frames dropped so far. */
    public long dropped() {
        return dropped;
    }
}
