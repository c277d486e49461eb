package io.facestream.recognize.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.event.UnknownGroup;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnknownGroupsTest {

    private static final Instant T0 = Instant.parse("2026-11-26T09:00:00Z");
    private static final double T1 = 1.0;
    private static final double T2 = 0.5;
    private static final byte[] FACE = {1, 2, 3};

    /** A unit vector in the plane of axes 0 and 1 at {@code degrees}; squared distance 2 − 2 cos(angle between). */
    private static float[] at(double degrees) {
        double r = Math.toRadians(degrees);
        return new float[] {(float) Math.cos(r), (float) Math.sin(r), 0};
    }

    private static UnknownGroups.Sample sample(double first, double second) {
        return new UnknownGroups.Sample("m", at(first), at(second));
    }

    @Test
    void aTrackJoinsAGroupOnlyWhereBothEmbeddersAgree() {
        UnknownGroups g = new UnknownGroups(GroupingOptions.defaults());
        // 2 − 2 cos 30° = 0.27 (within both thresholds); 2 − 2 cos 60° = 1 (within neither)
        assertEquals(new UnknownGroups.Placement("unknown-1", true, 0), g.place("a", "door", T0, sample(0, 0), () -> FACE, T1, T2));
        UnknownGroups.Placement both = g.place("b", "hall", T0.plusSeconds(1), sample(30, 30), () -> FACE, T1, T2);
        assertEquals("unknown-1", both.groupId());
        assertFalse(both.opened());
        // the weaker margin: 1 − 0.268/0.5 for the second embedder
        assertEquals(1 - (2 - 2 * Math.cos(Math.toRadians(30))) / T2, both.score(), 1e-5);
        assertEquals("unknown-2", g.place("c", "door", T0.plusSeconds(2), sample(0, 90), () -> FACE, T1, T2).groupId(),
                "the second embedder disagrees");
        assertEquals("unknown-3", g.place("d", "door", T0.plusSeconds(3), sample(120, 0), () -> FACE, T1, T2).groupId(),
                "the first embedder disagrees");
        assertEquals("unknown-4", g.place("e", "door", T0.plusSeconds(4), null, () -> FACE, T1, T2).groupId(),
                "without the second embedding there is no consensus");

        UnknownGroup one = g.record("unknown-1", "m");
        assertEquals(2, one.tracks());
        assertEquals(List.of("door", "hall"), one.cameras());
        assertEquals(T0, one.firstSeen());
        assertEquals(T0.plusSeconds(1), one.lastSeen());
        assertEquals(2, one.faces().size());
        assertEquals(2, g.tracksIn("unknown-1"));
        assertEquals(1, g.tracksIn("unknown-2"));
    }

    @Test
    void theStrongestAgreedLinkChoosesTheGroup() {
        UnknownGroups g = new UnknownGroups(GroupingOptions.defaults());
        g.place("a", "door", T0, sample(0, 0), () -> FACE, T1, T2);
        // far enough from a for its own group in the second embedder
        g.place("b", "door", T0, sample(40, 60), () -> FACE, T1, T2);
        assertEquals(2, g.size());
        // 35/50: 5° from b's second embedding, 50° from a's; 35° from a's first, 5° from b's
        assertEquals("unknown-2", g.place("c", "hall", T0, sample(35, 55), () -> FACE, T1, T2).groupId());
    }

    @Test
    void aTracksGroupNeverChangesAndItsLaterFacesAreSampledEveryNth() {
        UnknownGroups g = new UnknownGroups(new GroupingOptions(20, 3, 2, 100, Duration.ofMinutes(10)));
        g.place("a", "door", T0, sample(0, 0), () -> FACE, T1, T2);
        assertNull(g.seen("nobody", T0));
        // faces 2, 3 are not due, 4 is (every 3rd after the first), 5, 6 not, 7 is
        assertEquals(List.of(false, false, true, false, false, true),
                java.util.stream.IntStream.range(0, 6).mapToObj(i -> g.seen("a", T0.plusSeconds(i + 1))).toList());
        assertEquals("unknown-1", g.groupOf("a"));
        assertThrows(IllegalStateException.class, () -> g.place("a", "door", T0, sample(0, 0), () -> FACE, T1, T2));
        assertEquals(T0.plusSeconds(6), g.record("unknown-1", "m").lastSeen(), "a later face moves the last sighting");
        // two samples kept: the newest; the first one (0°) is gone, so a face near it no longer links
        g.addSample("a", sample(120, 120));
        g.addSample("a", sample(121, 121));
        assertEquals("unknown-2", g.place("b", "door", T0.plusSeconds(7), sample(1, 1), () -> FACE, T1, T2).groupId());
        assertEquals("unknown-1", g.place("c", "door", T0.plusSeconds(8), sample(122, 122), () -> FACE, T1, T2).groupId());
    }

    @Test
    void idsAreNeverReusedAndTheGroupSeenLongestAgoIsDroppedPastTheLimit() {
        UnknownGroups g = new UnknownGroups(new GroupingOptions(20, 25, 16, 2, Duration.ofMinutes(10)));
        g.place("a", "door", T0, sample(0, 0), () -> FACE, T1, T2);
        g.place("b", "door", T0.plusSeconds(1), sample(90, 90), () -> FACE, T1, T2);
        g.seen("a", T0.plusSeconds(2)); // a's group is now the more recent
        g.place("c", "door", T0.plusSeconds(3), sample(180, 180), () -> FACE, T1, T2);
        assertEquals(2, g.size());
        assertNull(g.record("unknown-2", "m"), "b's group was seen longest ago");
        assertNull(g.groupOf("b"));
        assertEquals("unknown-3", g.groupOf("c"));
        assertEquals("unknown-4", g.place("d", "door", T0.plusSeconds(4), sample(270, 270), () -> FACE, T1, T2).groupId());
    }

    @Test
    void aDeletedGroupIsForgottenWithItsTracksAndItsIdIsNotGivenAgain() {
        UnknownGroups g = new UnknownGroups(GroupingOptions.defaults());
        g.place("a", "door", T0, sample(0, 0), () -> FACE, T1, T2);
        assertTrue(g.remove("unknown-1"));
        assertFalse(g.remove("unknown-1"));
        assertNull(g.groupOf("a"));
        assertNull(g.record("unknown-1", "m"));
        assertNull(g.seen("a", T0.plusSeconds(1)), "its track is placed afresh");
        assertEquals("unknown-2", g.place("a", "door", T0.plusSeconds(1), sample(0, 0), () -> FACE, T1, T2).groupId(),
                "nothing of the deleted group is left to link to");
    }

    @Test
    void anIdleTrackIsForgottenAndEmbeddingsOfAnotherModelDoNotLink() {
        UnknownGroups g = new UnknownGroups(new GroupingOptions(20, 25, 16, 100, Duration.ofSeconds(30)));
        g.place("a", "door", T0, sample(0, 0), () -> FACE, T1, T2);
        g.place("b", "door", T0.plusSeconds(31), new UnknownGroups.Sample("other", at(0), at(0)), () -> FACE, T1, T2);
        assertNull(g.groupOf("a"), "idle for 31 s");
        assertEquals("unknown-2", g.groupOf("b"), "another model's embeddings are not compared");
        assertTrue(g.record("unknown-1", "m") != null, "the group outlives its tracks");
    }
}
