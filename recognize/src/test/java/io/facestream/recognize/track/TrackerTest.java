package io.facestream.recognize.track;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.BoundingBox;
import io.facestream.recognize.engine.FaceModel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The per-camera tracker on synthetic faces: boxes in pixels, 192-D unit embeddings with per-frame noise. */
class TrackerTest {

    private static final double THRESHOLD = FaceModel.MOBILEFACENET.threshold();
    private static final int DIM = 192;

    private final Tracker tracker = new Tracker(TrackerOptions.forThreshold(THRESHOLD));
    private final Random random = new Random(42);

    @Test
    void twoFacesCrossingKeepTheirTracks() {
        float[] ann = person();
        float[] bob = person();
        TrackerState state = TrackerState.START;
        List<Long> annIds = new ArrayList<>();
        List<Long> bobIds = new ArrayList<>();
        // Ann walks right, Bob walks left, 20 px a frame; at frame 5 their boxes coincide.
        for (int seq = 0; seq <= 10; seq++) {
            FaceObservation a = new FaceObservation(box(20 * seq, 100), seen(ann));
            FaceObservation b = new FaceObservation(box(200 - 20 * seq, 100), seen(bob));
            // The detector's order says nothing about who is who: alternate it.
            boolean annFirst = seq % 2 == 0;
            TrackerStep step = tracker.update(state, seq, annFirst ? List.of(a, b) : List.of(b, a));
            state = step.state();
            annIds.add(step.trackId(annFirst ? 0 : 1));
            bobIds.add(step.trackId(annFirst ? 1 : 0));
        }
        assertEquals(Set.of(1L), Set.copyOf(annIds), "Ann keeps track 1 through the crossing: " + annIds);
        assertEquals(Set.of(2L), Set.copyOf(bobIds), "Bob keeps track 2 through the crossing: " + bobIds);
        assertEquals(3, state.nextTrackId());
        assertEquals(10, state.lastSequence());
        assertEquals(2, state.tracks().size());
        assertEquals(0, state.track(1).firstSeen());
        assertEquals(10, state.track(1).lastSeen());
    }

    @Test
    void swappedPlacesAreFollowedByAppearance() {
        float[] ann = person();
        float[] bob = person();
        TrackerState s0 = tracker.update(TrackerState.START, 0,
                List.of(new FaceObservation(box(0, 0), seen(ann)), new FaceObservation(box(300, 0), seen(bob)))).state();
        // Next frame they stand in each other's place: each box overlaps the other's track fully.
        TrackerStep s1 = tracker.update(s0, 1,
                List.of(new FaceObservation(box(0, 0), seen(bob)), new FaceObservation(box(300, 0), seen(ann))));
        assertArrayEquals(new long[] {2, 1}, s1.trackIds(), "the embedding vetoes the overlap with the other person");
    }

    @Test
    void aFaceLeavingAndANewOneEnteringGetsANewTrack() {
        float[] ann = person();
        float[] bob = person();
        TrackerState state = TrackerState.START;
        for (int seq = 0; seq < 5; seq++) {
            TrackerStep step = tracker.update(state, seq, List.of(new FaceObservation(box(100, 100), seen(ann))));
            assertEquals(1, step.trackId(0));
            state = step.state();
        }
        // Ann leaves; Bob steps into the very same box.
        TrackerStep bobIn = tracker.update(state, 5, List.of(new FaceObservation(box(100, 100), seen(bob))));
        assertEquals(2, bobIn.trackId(0), "same place, another face: a new track");
        state = bobIn.state();
        assertNotNull(state.track(1), "Ann's track outlives a few unseen frames");
        // Ann comes back on the other side of the picture within the track's age: appearance alone reacquires her.
        TrackerStep annBack = tracker.update(state, 8, List.of(new FaceObservation(box(400, 50), seen(ann)),
                new FaceObservation(box(100, 100), seen(bob))));
        assertArrayEquals(new long[] {1, 2}, annBack.trackIds());
        state = annBack.state();
        // Away for longer than the maximum age: a new track, and id 1 is not handed out again.
        long later = 8 + TrackerOptions.MAX_AGE_FRAMES + 1;
        TrackerStep annNew = tracker.update(state, later, List.of(new FaceObservation(box(400, 50), seen(ann))));
        assertEquals(3, annNew.trackId(0));
        assertNull(annNew.state().track(1), "Ann's first track was closed");
        assertNull(annNew.state().track(2), "Bob's track was closed");
        assertEquals(List.of(3L), annNew.state().tracks().stream().map(Track::id).toList());
    }

    @Test
    void idsStartAtOneAndAreNeverReused() {
        Tracker forgetful = new Tracker(TrackerOptions.forThreshold(THRESHOLD).withMaxAgeFrames(0));
        TrackerState cam1 = TrackerState.START;
        Set<Long> seen = new HashSet<>();
        long previous = 0;
        for (int seq = 0; seq < 60; seq++) {
            // Every other frame a stranger at a random place; tracks close after one unseen frame.
            List<FaceObservation> faces = seq % 2 == 0
                    ? List.of(new FaceObservation(box(random.nextInt(500), random.nextInt(300)), person())) : List.of();
            TrackerStep step = forgetful.update(cam1, seq, faces);
            cam1 = step.state();
            for (long id : step.trackIds()) {
                assertTrue(seen.add(id), "id " + id + " handed out twice");
                assertEquals(previous + 1, id, "ids count up by one");
                previous = id;
            }
            assertTrue(cam1.tracks().size() <= 1, "closed tracks are dropped: " + cam1.tracks());
        }
        assertEquals(30, seen.size());
        // Another camera has its own numbering.
        TrackerStep cam2 = forgetful.update(TrackerState.START, 0, List.of(new FaceObservation(box(0, 0), person())));
        assertEquals(1, cam2.trackId(0));
    }

    @Test
    void aSkippedGapAgesTracksByItsLength() {
        float[] ann = person();
        TrackerState state = tracker.update(TrackerState.START, 10, List.of(new FaceObservation(box(0, 0), seen(ann))))
                .state();
        // Frames 11..39 never arrived (skipped gap): 30 frames unseen is still within the age.
        TrackerStep atLimit = tracker.update(state, 10 + TrackerOptions.MAX_AGE_FRAMES,
                List.of(new FaceObservation(box(5, 0), seen(ann))));
        assertEquals(1, atLimit.trackId(0));
        long beyond = 10 + 2L * TrackerOptions.MAX_AGE_FRAMES + 1;
        TrackerStep tooLate = tracker.update(atLimit.state(), beyond, List.of(new FaceObservation(box(5, 0), seen(ann))));
        assertEquals(2, tooLate.trackId(0), "31 frames unseen closes the track");
    }

    @Test
    void aLateFrameIsTrackedBestEffortWithoutMovingTracksBack() {
        float[] ann = person();
        TrackerState state = TrackerState.START;
        for (int seq = 0; seq <= 6; seq++) {
            state = tracker.update(state, seq, List.of(new FaceObservation(box(10 * seq, 0), seen(ann)))).state();
        }
        TrackerState before = state;
        // Frame 3 arrives after 6 (it was held up): Ann is still recognised as track 1 ...
        TrackerStep late = tracker.update(state, 3, List.of(new FaceObservation(box(30, 0), seen(ann)),
                new FaceObservation(box(400, 200), person())));
        assertEquals(1, late.trackId(0));
        // ... a stranger only seen in the late frame gets an id of its own, which is spent ...
        assertEquals(2, late.trackId(1));
        assertEquals(before.tracks(), late.state().tracks(), "tracks keep their newest box and age");
        assertEquals(6, late.state().lastSequence());
        assertEquals(3, late.state().nextTrackId());
        // ... and the next frame in order continues from frame 6.
        TrackerStep next = tracker.update(late.state(), 7, List.of(new FaceObservation(box(70, 0), seen(ann))));
        assertEquals(1, next.trackId(0));
        assertEquals(7, next.state().track(1).lastSeen());
    }

    @Test
    void oneTrackTakesOneFace() {
        float[] ann = person();
        TrackerState s0 = tracker.update(TrackerState.START, 0, List.of(new FaceObservation(box(0, 0), seen(ann))))
                .state();
        // Two faces that both fit Ann's track (a reflection, a poster): the nearer one continues it.
        TrackerStep s1 = tracker.update(s0, 1, List.of(new FaceObservation(box(300, 0), seen(ann)),
                new FaceObservation(box(2, 0), seen(ann))));
        assertArrayEquals(new long[] {2, 1}, s1.trackIds());
    }

    @Test
    void aTrackThatSplitsInPlaceCarriesTheLineageOfTheFirst() {
        float[] ann = person();
        TrackerStep s0 = tracker.update(TrackerState.START, 0, List.of(new FaceObservation(box(100, 100), seen(ann))));
        assertArrayEquals(new long[] {1}, s0.lineages(), "a track that opens on its own is its own lineage");
        TrackerStep s1 = tracker.update(s0.state(), 1, List.of(new FaceObservation(box(102, 100), seen(ann))));
        assertEquals(1, s1.trackId(0));
        assertEquals(1, s1.lineage(0));
        // The light changes: the same box, an embedding too far to continue track 1.
        float[] lit = person();
        TrackerStep s2 = tracker.update(s1.state(), 2, List.of(new FaceObservation(box(104, 100), seen(lit))));
        assertEquals(2, s2.trackId(0), "too far to continue: a new track");
        assertEquals(1, s2.lineage(0), "opened in the place of track 1: its lineage");
        assertEquals(1, s2.state().track(2).lineage());
        assertEquals(1, s2.state().track(1).lineage());
        TrackerStep s3 = tracker.update(s2.state(), 3, List.of(new FaceObservation(box(106, 100), seen(lit))));
        assertEquals(2, s3.trackId(0));
        assertEquals(1, s3.lineage(0), "continuing a track keeps its lineage");
        assertEquals(1, s3.state().track(2).lineage());
        // The light changes again: the chain goes on from its first track.
        float[] dark = person();
        TrackerStep s4 = tracker.update(s3.state(), 4, List.of(new FaceObservation(box(108, 100), seen(dark))));
        assertEquals(3, s4.trackId(0));
        assertEquals(1, s4.lineage(0));
        assertEquals(List.of(1L, 1L, 1L), s4.state().tracks().stream().map(Track::lineage).toList());
        TrackerStep s5 = tracker.update(s4.state(), 5, List.of(new FaceObservation(box(108, 100), seen(dark))));
        assertArrayEquals(new long[] {3}, s5.trackIds());
        assertArrayEquals(new long[] {1}, s5.lineages());
    }

    @Test
    void aPartOfALostFaceFoundInsideItsBoxCarriesItsLineage() {
        float[] ann = person();
        TrackerState s0 = tracker.update(TrackerState.START, 0, List.of(new FaceObservation(box(100, 100), seen(ann))))
                .state();
        // Only the lit half is found: a 24x40 box inside track 1's 60x60 (IoU 960 / 3600 = 0.27, under 0.3).
        TrackerStep s1 = tracker.update(s0, 1, List.of(new FaceObservation(new BoundingBox(130, 110, 154, 150), person())));
        assertArrayEquals(new long[] {2}, s1.trackIds());
        assertArrayEquals(new long[] {1}, s1.lineages(), "the part of track 1's face is its lineage");
        // A box that reaches into track 1's only by a third of its own is someone beside it.
        TrackerStep beside = tracker.update(s0, 1, List.of(new FaceObservation(new BoundingBox(140, 100, 200, 160),
                person())));
        assertArrayEquals(new long[] {2}, beside.lineages());
    }

    @Test
    void aTrackOpeningAwayFromTheLiveOnesIsItsOwnLineage() {
        float[] ann = person();
        TrackerState s0 = tracker.update(TrackerState.START, 0, List.of(new FaceObservation(box(0, 0), seen(ann))))
                .state();
        // Track 1 is left over, but the stranger's box overlaps its box by IoU 900 / 6300 = 0.14, under 0.3.
        TrackerStep s1 = tracker.update(s0, 1, List.of(new FaceObservation(box(45, 0), person())));
        assertArrayEquals(new long[] {2}, s1.trackIds());
        assertArrayEquals(new long[] {2}, s1.lineages());
        assertEquals(2, s1.state().track(2).lineage());
        TrackerStep far = tracker.update(s1.state(), 2, List.of(new FaceObservation(box(400, 200), person())));
        assertArrayEquals(new long[] {3}, far.trackIds());
        assertArrayEquals(new long[] {3}, far.lineages());
    }

    @Test
    void aTrackAnotherFaceOfTheFrameContinuedIsNoLineage() {
        float[] ann = person();
        TrackerState s0 = tracker.update(TrackerState.START, 0, List.of(new FaceObservation(box(100, 100), seen(ann))))
                .state();
        // Ann continues track 1; a stranger beside her overlaps its box by IoU 3000 / 4200 = 0.71, but Ann is here.
        TrackerStep s1 = tracker.update(s0, 1, List.of(new FaceObservation(box(110, 100), person()),
                new FaceObservation(box(102, 100), seen(ann))));
        assertArrayEquals(new long[] {2, 1}, s1.trackIds());
        assertArrayEquals(new long[] {2, 1}, s1.lineages(), "the stranger is someone else: a lineage of its own");
        assertEquals(2, s1.state().track(2).lineage());
    }

    @Test
    void ofTwoNewFacesOnOneTrackTheOneOverlappingMostTakesItsLineage() {
        float[] ann = person();
        TrackerState s0 = tracker.update(TrackerState.START, 0, List.of(new FaceObservation(box(100, 100), seen(ann))))
                .state();
        // Two strangers where Ann was: IoU 0.71 and 1.
        TrackerStep s1 = tracker.update(s0, 1, List.of(new FaceObservation(box(110, 100), person()),
                new FaceObservation(box(100, 100), person())));
        assertArrayEquals(new long[] {2, 3}, s1.trackIds());
        assertArrayEquals(new long[] {2, 1}, s1.lineages());
        // Equal overlaps (0.71 each, on either side of Ann's box): the earlier face.
        TrackerStep tie = tracker.update(s0, 1, List.of(new FaceObservation(box(90, 100), person()),
                new FaceObservation(box(110, 100), person())));
        assertArrayEquals(new long[] {2, 3}, tie.trackIds());
        assertArrayEquals(new long[] {1, 3}, tie.lineages());
    }

    @Test
    void aLateFrameGetsLineagesButLeavesTheTracksAlone() {
        float[] ann = person();
        TrackerState state = TrackerState.START;
        for (int seq = 0; seq <= 4; seq++) {
            state = tracker.update(state, seq, List.of(new FaceObservation(box(100, 100), seen(ann)))).state();
        }
        TrackerStep late = tracker.update(state, 2, List.of(new FaceObservation(box(100, 100), person())));
        assertArrayEquals(new long[] {2}, late.trackIds());
        assertArrayEquals(new long[] {1}, late.lineages());
        assertEquals(state.tracks(), late.state().tracks());
    }

    @Test
    void aLineageIsATrackOpenedAtOrBeforeIt() {
        BoundingBox b = box(0, 0);
        float[] e = {1, 0};
        assertEquals(4, new Track(4, b, e, 0, 1).lineage());
        assertEquals(2, new Track(4, b, e, 0, 1, 2).lineage());
        assertEquals(4, new Track(4, b, e, 0, 1, 0).lineage(), "0 is a track restored from before lineages");
        assertNotEquals(new Track(4, b, e, 0, 1, 2), new Track(4, b, e, 0, 1, 4));
        assertThrows(IllegalArgumentException.class, () -> new Track(4, b, e, 0, 1, 5));
        assertThrows(IllegalArgumentException.class, () -> new Track(4, b, e, 0, 1, -1));
        assertThrows(IllegalArgumentException.class,
                () -> new TrackerStep(TrackerState.START, new long[1], new long[0]));
    }

    @Test
    void restartForgetsTracksButNotTheCounter() {
        float[] ann = person();
        TrackerState s = tracker.update(TrackerState.START, 500, List.of(new FaceObservation(box(0, 0), seen(ann))))
                .state();
        TrackerState restarted = tracker.restart(s);
        assertEquals(List.of(), restarted.tracks());
        assertEquals(-1, restarted.lastSequence());
        TrackerStep again = tracker.update(restarted, 0, List.of(new FaceObservation(box(0, 0), seen(ann))));
        assertEquals(2, again.trackId(0), "a camera's ids are never reused, even after its numbering restarts");
    }

    @Test
    void defaultsScaleWithTheModelThreshold() {
        TrackerOptions o = TrackerOptions.forThreshold(FaceModel.DLIB.threshold());
        assertEquals(0.18, o.overlapMaxDistance(), 1e-12);
        assertEquals(0.09, o.reacquireMaxDistance(), 1e-12);
        assertEquals(0.3, o.minIou());
        assertEquals(30, o.maxAgeFrames());
        String bad = assertThrows(IllegalArgumentException.class, () -> new TrackerOptions(0.3, 1, 2, 30)).getMessage();
        assertTrue(bad.contains("reacquireMaxDistance") && bad.contains("2.0"), bad);
        assertNotEquals(null, assertThrows(IllegalArgumentException.class,
                () -> tracker.update(TrackerState.START, -1, List.of())).getMessage());
    }

    /** A 60×60 face box with its top-left corner at (x, y). */
    private static BoundingBox box(double x, double y) {
        return new BoundingBox(x, y, x + 60, y + 60);
    }

    /** A random identity: a unit vector (random pairs lie near squared distance 2, well over any threshold). */
    private float[] person() {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return unit(v);
    }

    /** The person in one frame: their vector plus noise (squared distance ~0.05 from it). */
    private float[] seen(float[] person) {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = person[i] + (float) (random.nextGaussian() * 0.016);
        }
        return unit(v);
    }

    private static float[] unit(float[] v) {
        double n = 0;
        for (float x : v) {
            n += x * x;
        }
        n = Math.sqrt(n);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (v[i] / n);
        }
        return v;
    }
}
