package io.facestream.app;

import io.facestream.core.event.MatchEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Figures of one run of the stream, gathered from the match events as a downstream reader receives them: latency
 * percentiles, events per identity, frames with faces, and rates over the run. For the demo's summary and for
 * benchmarks of the whole stream.
 *
 * <p>Latency is counted from the frame's capture time, so it includes everything the frame went through: ingest,
 * {@code frames}, the recognize job and, for the reader, the wait for the job's checkpoint to commit its output.
 * A live camera stamps frames with the wall clock; a file read at its frame rate with the time its frame was due. A
 * file read as fast as it decodes has capture times that run ahead of the wall clock, and its latencies are then
 * too small (even negative) to mean anything. Each value is kept (8 bytes an event) until the run ends.
 */
final class StreamStats {

    private final Samples received = new Samples();
    private final Samples processed = new Samples();
    private final Map<String, Long> perIdentity = new TreeMap<>();
    private final Set<String> frames = new HashSet<>();
    private long events;
    private long unknown;
    private final Set<String> unknownPeople = new HashSet<>();
    private Instant firstReceived;
    private Instant lastReceived;

    /** Counts one event that the reader received at {@code receivedAt}. */
    void record(MatchEvent e, Instant receivedAt) {
        events++;
        if (e.known()) {
            perIdentity.merge(e.identityId(), 1L, Long::sum);
        } else {
            unknown++;
            if (e.unknownId() != null) {
                unknownPeople.add(e.unknownId());
            }
        }
        frames.add(e.cameraId() + ":" + e.frameSequence());
        received.add(micros(e.captureTime(), receivedAt));
        processed.add(micros(e.captureTime(), e.processingTime()));
        if (firstReceived == null) {
            firstReceived = receivedAt;
        }
        lastReceived = receivedAt;
    }

    /** Events received. */
    long events() {
        return events;
    }

    /** Events that named an identity. */
    long known() {
        return events - unknown;
    }

    /** Events of unknown faces. */
    long unknown() {
        return unknown;
    }

    /** Events per identity id, in the ids' order; unknown faces are not in it. */
    Map<String, Long> eventsPerIdentity() {
        return new TreeMap<>(perIdentity);
    }

    /** Frames with at least one face: frames that produced an event. */
    long framesWithFaces() {
        return frames.size();
    }

    /** From a frame's capture to the reader receiving its event. */
    Latency captureToReceived() {
        return received.latency();
    }

    /** From a frame's capture to the job's processing of it (the event's processing time). */
    Latency captureToProcessed() {
        return processed.latency();
    }

    /** When the first event arrived; null before it. */
    Instant firstReceived() {
        return firstReceived;
    }

    /** When the last event arrived; null before the first. */
    Instant lastReceived() {
        return lastReceived;
    }

    /**
     * The figures of a run of {@code run} in which {@code framesSent} frames went into the stream.
     *
     * @param run from the start of ingest to the last event received
     */
    Summary summary(long framesSent, Duration run) {
        if (framesSent < 0 || run == null || run.isNegative()) {
            throw new IllegalArgumentException("a run needs frames sent >= 0 and a duration >= 0, was " + framesSent
                    + " frames in " + run);
        }
        double seconds = Math.max(1e-3, run.toNanos() / 1e9);
        return new Summary(framesSent, framesWithFaces(), events, unknown, unknownPeople.size(), eventsPerIdentity(),
                framesSent / seconds,
                events / seconds, run, captureToReceived(), captureToProcessed());
    }

    /**
     * The value at percentile {@code p} of sorted values by the nearest-rank method: the smallest value with at
     * least {@code p}% of the values at or below it, always one of the values.
     */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no values to take percentile " + p + " of");
        }
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], was " + p);
        }
        // p·n/100 rather than p/100·n: 95/100 is not exact in binary and would round 95 of 100 up to 96.
        int rank = (int) Math.ceil(p * sorted.length / 100);
        return sorted[Math.max(1, rank) - 1];
    }

    private static long micros(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1000;
    }

    /**
     * Latency percentiles of the events; all zero when there were none.
     *
     * @param count events measured
     */
    record Latency(int count, Duration p50, Duration p95, Duration p99, Duration max) {

        /** "p50 412 ms, p95 980 ms, p99 1204 ms, max 1300 ms (20 events)", or "no events". */
        String describe() {
            if (count == 0) {
                return "no events";
            }
            return String.format(Locale.ROOT, "p50 %s, p95 %s, p99 %s, max %s (%d events)", ms(p50), ms(p95), ms(p99),
                    ms(max), count);
        }

        private static String ms(Duration d) {
            return String.format(Locale.ROOT, "%.0f ms", d.toNanos() / 1e6);
        }
    }

    /**
     * What a run of the stream did.
     *
     * @param framesSent frames that went into {@code frames}
     * @param framesWithFaces frames that produced at least one event
     * @param events events received, one per face
     * @param unknown events of faces nobody in the gallery matched
     * @param unknownPeople the unknown groups ({@code unknown-<n>}) those events were given
     * @param perIdentity events per identity id
     * @param framesPerSecond frames sent per second of the run
     * @param eventsPerSecond events received per second of the run
     * @param run the run's duration
     * @param captureToReceived from capture to the reader's receipt
     * @param captureToProcessed from capture to the job's processing
     */
    record Summary(long framesSent, long framesWithFaces, long events, long unknown, int unknownPeople,
            Map<String, Long> perIdentity,
            double framesPerSecond, double eventsPerSecond, Duration run, Latency captureToReceived,
            Latency captureToProcessed) {

        Summary {
            perIdentity = Map.copyOf(perIdentity);
        }

        /** The summary as lines for people. */
        List<String> lines() {
            List<String> lines = new ArrayList<>();
            lines.add(String.format(Locale.ROOT, "frames: %d sent, %d with faces, %.1f frames/s over %.1f s", framesSent,
                    framesWithFaces, framesPerSecond, run.toNanos() / 1e9));
            StringBuilder who = new StringBuilder();
            new TreeMap<>(perIdentity).forEach((id, n) -> who.append(id).append(' ').append(n).append(", "));
            who.append("unknown ").append(unknown);
            if (unknownPeople > 0) {
                who.append(" (").append(unknownPeople).append(unknownPeople == 1 ? " unknown person)" : " unknown people)");
            }
            lines.add(String.format(Locale.ROOT, "events: %d, %.1f events/s; %s", events, eventsPerSecond, who));
            lines.add("latency capture → received: " + captureToReceived.describe());
            lines.add("latency capture → processed: " + captureToProcessed.describe());
            return lines;
        }
    }

    /** A growing array of latencies in microseconds. */
    private static final class Samples {
        private long[] values = new long[1024];
        private int size;

        void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        Latency latency() {
            if (size == 0) {
                return new Latency(0, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);
            }
            long[] sorted = Arrays.copyOf(values, size);
            Arrays.sort(sorted);
            return new Latency(size, us(percentile(sorted, 50)), us(percentile(sorted, 95)), us(percentile(sorted, 99)),
                    us(sorted[size - 1]));
        }

        private static Duration us(long micros) {
            return Duration.ofNanos(micros * 1000);
        }
    }
}
