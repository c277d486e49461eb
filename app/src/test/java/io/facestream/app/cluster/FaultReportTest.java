package io.facestream.app.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.BoundingBox;
import io.facestream.core.Landmarks;
import io.facestream.core.event.MatchEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fault table's counting, on made-up frames and arrivals. */
class FaultReportTest {

    private static final Instant T0 = Instant.parse("2026-11-26T06:00:00Z");

    @Test
    void framesAreCountedAgainstTheFaultInPlayWhenTheyWereSent() {
        List<FaultReport.SentFrame> sent = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            sent.add(new FaultReport.SentFrame("cam-1", i, T0.plusSeconds(i)));
        }
        // A restarted ingestor that started again from 0 would send frame 3 twice.
        sent.add(new FaultReport.SentFrame("cam-1", 3, T0.plusSeconds(10)));
        List<FaultRun.Fault> faults = List.of(
                new FaultRun.Fault("taskmanager-1 SIGKILL", "events again", T0.plusSeconds(4), Duration.ofMillis(2500)),
                new FaultRun.Fault("gallery SIGKILL", "listed again", T0.plusSeconds(7), null));
        List<MatchWatch.Seen> seen = new ArrayList<>();
        for (int i : new int[] {0, 1, 2, 3, 4, 5, 5, 7, 8, 9}) {
            seen.add(new MatchWatch.Seen(event(i, 0), T0.plusSeconds(20)));
        }
        seen.add(new MatchWatch.Seen(event(11, 0), T0.plusSeconds(20)));
        seen.add(new MatchWatch.Seen(event(2, 1), T0.plusSeconds(20)));

        FaultReport r = FaultReport.of(90.5, Map.of("kafka-1", 1L << 30), faults, sent, seen,
                List.of("dancer", "sample-1"), List.of("dancer"));

        assertEquals(List.of(
                new FaultReport.Row("none (the stream before any fault)", "-", null, 4, 4, 0, 0),
                new FaultReport.Row("taskmanager-1 SIGKILL", "events again", 2.5, 3, 2, 1, 1),
                new FaultReport.Row("gallery SIGKILL", "listed again", null, 4, 4, 0, 0)), r.rows());
        assertEquals(new FaultReport.Row("all frames sent", "-", null, 10, 9, 1, 1), r.total());
        assertEquals(2, r.unexpected(), "frame 11 was never sent, and frame 2 had one face");
        assertEquals(1, r.framesNumberedTwice());
        assertEquals(List.of("sample-1"), r.missing());
        assertFalse(r.clean());
    }

    @Test
    void aRunWithEveryEventOnceAndEveryFaultHealedIsClean() {
        List<FaultReport.SentFrame> sent = List.of(new FaultReport.SentFrame("cam-2", 0, T0),
                new FaultReport.SentFrame("cam-2", 1, T0.plusSeconds(2)));
        FaultReport r = FaultReport.of(1, Map.of(), List.of(new FaultRun.Fault("cut", "back", T0.plusSeconds(1),
                Duration.ofSeconds(1))), sent, List.of(new MatchWatch.Seen(event("cam-2", 0), T0),
                new MatchWatch.Seen(event("cam-2", 1), T0)), List.of("dancer"), List.of("dancer", "other"));
        assertTrue(r.clean());
    }

    private static MatchEvent event(int frame, int face) {
        return event("cam-1", frame, face);
    }

    private static MatchEvent event(String camera, int frame) {
        return event(camera, frame, 0);
    }

    private static MatchEvent event(String camera, int frame, int face) {
        return new MatchEvent(MatchEvent.eventId(camera, frame, face), camera, frame, T0, T0, 0,
                new BoundingBox(10, 10, 50, 60), Landmarks.of(20, 30, 40, 30, 30, 40, 22, 50, 38, 50), "dancer", 0.4,
                1.196, "mobilefacenet-192");
    }
}
