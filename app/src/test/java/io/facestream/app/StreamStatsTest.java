package io.facestream.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.facestream.core.BoundingBox;
import io.facestream.core.Landmarks;
import io.facestream.core.event.MatchEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The figures of a run: percentiles by nearest rank on known values, counts and rates on made-up events. */
class StreamStatsTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    @Test
    void percentilesOfOneToAHundredAreTheirOwnRanks() {
        long[] values = LongStream.rangeClosed(1, 100).toArray();
        assertEquals(1, StreamStats.percentile(values, 1));
        assertEquals(50, StreamStats.percentile(values, 50));
        assertEquals(95, StreamStats.percentile(values, 95));
        assertEquals(99, StreamStats.percentile(values, 99));
        assertEquals(100, StreamStats.percentile(values, 100));
        assertEquals(51, StreamStats.percentile(values, 50.5));
    }

    @Test
    void percentilesAreAlwaysOneOfTheValuesByNearestRank() {
        long[] values = {15, 20, 35, 40, 50};
        assertEquals(15, StreamStats.percentile(values, 5));
        assertEquals(20, StreamStats.percentile(values, 30));
        assertEquals(20, StreamStats.percentile(values, 40));
        assertEquals(35, StreamStats.percentile(values, 50));
        assertEquals(50, StreamStats.percentile(values, 95));
        assertEquals(50, StreamStats.percentile(values, 100));
        // Ten values: p95 and p99 are the largest, p50 the fifth.
        long[] ten = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100};
        assertEquals(50, StreamStats.percentile(ten, 50));
        assertEquals(100, StreamStats.percentile(ten, 95));
        assertEquals(100, StreamStats.percentile(ten, 99));
        assertEquals(90, StreamStats.percentile(ten, 90));
        assertEquals(7, StreamStats.percentile(new long[] {7}, 99));
    }

    @Test
    void percentilesOfNothingOrOutOfRangeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> StreamStats.percentile(new long[0], 50));
        assertThrows(IllegalArgumentException.class, () -> StreamStats.percentile(new long[] {1}, 0));
        assertThrows(IllegalArgumentException.class, () -> StreamStats.percentile(new long[] {1}, 100.5));
    }

    @Test
    void latenciesOfEventsInAnyOrderAreMeasuredFromCaptureTime() {
        // 200 frames of one face each, received 1..200 ms after capture and processed at half that, shuffled.
        List<Integer> order = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(3));
        StreamStats stats = new StreamStats();
        for (int ms : order) {
            Instant capture = T0.plusSeconds(ms);
            stats.record(event(ms, 0, capture, capture.plusMillis(ms).minusNanos(ms * 500_000L), null),
                    capture.plusMillis(ms));
        }
        StreamStats.Latency received = stats.captureToReceived();
        assertEquals(new StreamStats.Latency(200, Duration.ofMillis(100), Duration.ofMillis(190), Duration.ofMillis(198),
                Duration.ofMillis(200)), received);
        assertEquals(new StreamStats.Latency(200, Duration.ofMillis(50), Duration.ofMillis(95), Duration.ofMillis(99),
                Duration.ofMillis(100)), stats.captureToProcessed());
        assertEquals("p50 100 ms, p95 190 ms, p99 198 ms, max 200 ms (200 events)", received.describe());
        assertEquals("no events", new StreamStats().captureToReceived().describe());
    }

    @Test
    void eventsAreCountedPerIdentityAndFramesWithFacesOnce() {
        StreamStats stats = new StreamStats();
        Instant at = T0.plusMillis(300);
        stats.record(event(0, 0, T0, T0, "ada"), at);
        stats.record(event(0, 1, T0, T0, null), at);
        stats.record(event(1, 0, T0, T0, "ada"), at);
        stats.record(event(1, 1, T0, T0, "grace"), at);
        stats.record(event(2, 0, T0, T0, null), at.plusMillis(10));
        assertEquals(5, stats.events());
        assertEquals(3, stats.known());
        assertEquals(2, stats.unknown());
        assertEquals(Map.of("ada", 2L, "grace", 1L), stats.eventsPerIdentity());
        assertEquals(3, stats.framesWithFaces(), "frames 0, 1 and 2");
        assertEquals(at, stats.firstReceived());
        assertEquals(at.plusMillis(10), stats.lastReceived());

        StreamStats.Summary s = stats.summary(10, Duration.ofSeconds(2));
        assertEquals(5.0, s.framesPerSecond(), 1e-9);
        assertEquals(2.5, s.eventsPerSecond(), 1e-9);
        assertEquals(List.of(
                "frames: 10 sent, 3 with faces, 5.0 frames/s over 2.0 s",
                "events: 5, 2.5 events/s; ada 2, grace 1, unknown 2",
                "latency capture → received: p50 300 ms, p95 310 ms, p99 310 ms, max 310 ms (5 events)",
                "latency capture → processed: p50 0 ms, p95 0 ms, p99 0 ms, max 0 ms (5 events)"), s.lines());
    }

    @Test
    void unknownFacesAreCountedByTheUnknownPeopleTheJobGroupedThemInto() {
        StreamStats stats = new StreamStats();
        stats.record(event(0, 0, T0, T0, null).inUnknownGroup("unknown-1"), T0);
        stats.record(event(1, 0, T0, T0, null).inUnknownGroup("unknown-1"), T0);
        stats.record(event(1, 1, T0, T0, null).inUnknownGroup("unknown-4"), T0);
        stats.record(event(2, 0, T0, T0, "ada"), T0);
        StreamStats.Summary s = stats.summary(3, Duration.ofSeconds(1));
        assertEquals(2, s.unknownPeople());
        assertEquals("events: 4, 4.0 events/s; ada 1, unknown 3 (2 unknown people)", s.lines().get(1));
        assertEquals("cam cam-1  frame 1  face 1  track 0 → unknown, unknown-4",
                MatchFeed.line(event(1, 1, T0, T0, null).inUnknownGroup("unknown-4")));
    }

    private static MatchEvent event(long frame, int face, Instant capture, Instant processed, String identity) {
        return new MatchEvent(MatchEvent.eventId("cam-1", frame, face), "cam-1", frame, capture, processed, 0,
                new BoundingBox(10, 10, 50, 60), Landmarks.of(20, 30, 40, 30, 30, 40, 22, 50, 38, 50), identity,
                identity == null ? 1.5 : 0.4, 1.196, "mobilefacenet-192");
    }
}
