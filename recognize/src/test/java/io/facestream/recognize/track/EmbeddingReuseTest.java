package io.facestream.recognize.track;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.BoundingBox;
import io.facestream.core.DetectedFace;
import io.facestream.core.Landmarks;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddingReuseTest {

    private static DetectedFace at(double x, double y) {
        return new DetectedFace(new BoundingBox(x, y, x + 40, y + 40), 0.99,
                Landmarks.of(x + 10, y + 12, x + 30, y + 12, x + 20, y + 22, x + 12, y + 32, x + 28, y + 32));
    }

    private static float[] v(float a) {
        return new float[] {a, 1 - a};
    }

    @Test
    void aFollowedFaceTakesTheEmbeddingUntilItIsEveryFramesOld() {
        EmbeddingReuse r = new EmbeddingReuse(5);
        EmbeddingReuse.Plan p0 = r.plan("cam", 10, false, "m", List.of(at(100, 100)));
        assertTrue(p0.fresh()[0], "nothing to follow: embedded");
        assertNull(p0.slots().get(0).embedding());
        p0.slots().get(0).fill(v(0.25f));

        // frames 12 and 14 (another subtask had 11 and 13): the face moved 4 px, IoU 0.82
        for (long seq : new long[] {12, 14}) {
            EmbeddingReuse.Plan p = r.plan("cam", seq, true, "m", List.of(at(100 + (seq - 10), 100)));
            assertFalse(p.fresh()[0], "frame " + seq + " follows a face embedded at 10");
            assertSame(p0.slots().get(0), p.slots().get(0));
            assertEquals(10, p.slots().get(0).embeddedAt());
            assertArrayEquals(v(0.25f), p.slots().get(0).embedding());
            assertEquals(0, p.freshCount());
        }
        // frame 15 is 5 frames after 10: embedded afresh, and that embedding serves from then on
        EmbeddingReuse.Plan p15 = r.plan("cam", 15, true, "m", List.of(at(105, 100)));
        assertTrue(p15.fresh()[0]);
        assertEquals(15, p15.slots().get(0).embeddedAt());
        p15.slots().get(0).fill(v(0.5f));
        EmbeddingReuse.Plan p16 = r.plan("cam", 16, true, "m", List.of(at(105, 100)));
        assertArrayEquals(v(0.5f), p16.slots().get(0).embedding());
    }

    @Test
    void facesPairOneToOneByOverlapAndNewOrMovedFacesAreEmbedded() {
        EmbeddingReuse r = new EmbeddingReuse(5);
        EmbeddingReuse.Plan p0 = r.plan("cam", 0, true, "m", List.of(at(0, 0), at(200, 0)));
        p0.slots().get(0).fill(v(0.1f));
        p0.slots().get(1).fill(v(0.9f));
        // the faces come in the other order; a third appears; the one at 200 moved far (no overlap)
        List<DetectedFace> frame1 = List.of(at(300, 0), at(2, 1), at(60, 60));
        EmbeddingReuse.Plan p1 = r.plan("cam", 1, true, "m", frame1);
        assertArrayEquals(new boolean[] {true, false, true}, p1.fresh());
        assertEquals(List.of(frame1.get(0), frame1.get(2)), p1.freshOf(frame1), "the faces to embed, in order");
        assertThrows(IllegalArgumentException.class, () -> p1.freshOf(List.of(1, 2)));
        assertArrayEquals(v(0.1f), p1.slots().get(1).embedding());
        assertEquals(2, p1.freshCount());

        // two faces over one earlier box: only the one with the larger overlap takes it
        EmbeddingReuse q = new EmbeddingReuse(5);
        q.plan("cam", 0, true, "m", List.of(at(0, 0))).slots().get(0).fill(v(0.3f));
        EmbeddingReuse.Plan two = q.plan("cam", 1, true, "m", List.of(at(8, 0), at(1, 0)));
        assertArrayEquals(new boolean[] {true, false}, two.fresh());
    }

    @Test
    void nothingIsReusedAcrossACutAReplayAModelOrACameraOrWithEveryOne() {
        EmbeddingReuse r = new EmbeddingReuse(5);
        r.plan("cam", 0, true, "m", List.of(at(0, 0))).slots().get(0).fill(v(0.1f));
        assertTrue(r.plan("cam", 1, false, "m", List.of(at(0, 0))).fresh()[0], "a cut");
        r.plan("cam", 2, true, "m", List.of(at(0, 0))).slots().get(0).fill(v(0.2f));
        assertTrue(r.plan("cam", 3, true, "other", List.of(at(0, 0))).fresh()[0], "another model");
        r.plan("cam", 4, true, "m", List.of(at(0, 0))).slots().get(0).fill(v(0.3f));
        assertTrue(r.plan("cam", 4, true, "m", List.of(at(0, 0))).fresh()[0], "a replay of the same frame");
        assertTrue(r.plan("door", 5, true, "m", List.of(at(0, 0))).fresh()[0], "another camera");

        EmbeddingReuse every = new EmbeddingReuse(1);
        every.plan("cam", 0, true, "m", List.of(at(0, 0))).slots().get(0).fill(v(0.1f));
        assertTrue(every.plan("cam", 1, true, "m", List.of(at(0, 0))).fresh()[0], "1: every face embedded");
        assertThrows(IllegalArgumentException.class, () -> new EmbeddingReuse(0));
    }

    @Test
    void aSlotIsFilledOnce() {
        EmbeddingReuse.Slot s = new EmbeddingReuse(3).plan("cam", 0, true, "m", List.of(at(0, 0))).slots().get(0);
        s.fill(v(0.1f));
        assertThrows(IllegalStateException.class, () -> s.fill(v(0.2f)));
    }
}
