package io.facestream.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.facestream.core.BoundingBox;
import io.facestream.core.Landmarks;
import io.facestream.core.event.MatchEvent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnknownsBenchScoreTest {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    private static MatchEvent event(long frame, long track, String group) {
        return event(frame, track, group, 320);
    }

    /** A 60 px face centred at ({@code x}, 180); the picture's middle is (320, 180). */
    private static MatchEvent event(long frame, long track, String group, double x) {
        return new MatchEvent(MatchEvent.eventId("bench", frame, 0), "bench", frame, T0, T0, track,
                new BoundingBox(x - 30, 150, x + 30, 210), Landmarks.of(x - 12, 170, x + 12, 170, x, 182, x - 10, 195,
                x + 10, 195), null, 1.5, 1.2, "m", group);
    }

    @Test
    void tracksAreScoredByThePhotoMostOfTheirFacesWereIn() {
        List<UnknownsBenchCommand.Shown> shown = List.of(
                new UnknownsBenchCommand.Shown("ada", Path.of("a1.jpg"), 0, 5),
                new UnknownsBenchCommand.Shown("bob", Path.of("b1.jpg"), 45, 50),
                new UnknownsBenchCommand.Shown("ada", Path.of("a2.jpg"), 90, 95),
                new UnknownsBenchCommand.Shown("bob", Path.of("b2.jpg"), 135, 140));
        List<MatchEvent> events = new ArrayList<>();
        for (int f = 0; f < 5; f++) {
            events.add(event(f, 1, "unknown-1"));
            events.add(event(45 + f, 2, "unknown-2"));
            events.add(event(90 + f, 3, "unknown-1"));
            events.add(event(135 + f, 4, "unknown-1")); // bob put with ada
        }
        events.add(event(5, 1, "unknown-1")); // one frame past its photo: the majority still says ada
        events.add(event(20, 9, "unknown-3")); // a face in an empty frame: no photo's
        events.add(event(2, 10, "unknown-1", 420)); // a bystander beside ada in her photo: nobody's
        UnknownsBenchCommand.Score s = UnknownsBenchCommand.score(events, shown);
        assertEquals(4, s.tracks());
        assertEquals(2, s.strayTracks());
        assertEquals(4, s.alone().groups());
        assertEquals(1.0, s.alone().pairwisePrecision());
        assertEquals(0.0, s.alone().pairwiseRecall());
        assertEquals(2, s.grouped().groups());
        // groups {1,3,4} and {2}: 3 pairs claimed, one right (1-3); 2 same-person pairs (1-3, 2-4), one found
        assertEquals(1 / 3.0, s.grouped().pairwisePrecision(), 1e-9);
        assertEquals(0.5, s.grouped().pairwiseRecall(), 1e-9);
    }
}
