package io.facestream.recognize.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.facestream.core.BoundingBox;
import io.facestream.core.Landmarks;
import io.facestream.core.event.HardExample;
import io.facestream.core.event.HardExample.LabelSource;
import io.facestream.recognize.job.HardExampleMiner.Face;
import io.facestream.recognize.job.HardExampleMiner.Mined;
import io.facestream.recognize.job.HardExampleMiner.Tallies;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which faces go to the trainer, and with which labels and negatives. */
class HardExampleMinerTest {

    static final double THRESHOLD = 1.2;
    static final byte[] CROP = {1, 2, 3};

    static Face face(long track, String identity, Double distance) {
        return face(track, identity, distance, track);
    }

    /** A face of a track whose lineage is {@code lineage}. */
    static Face face(long track, String identity, Double distance, long lineage) {
        float[] e = new float[4];
        e[(int) (track % 4)] = 1;
        // each track's box apart from the others', as two people's faces are
        return new Face(track, new FaceFeatures(new BoundingBox(20 * track, 0, 20 * track + 10, 10),
                Landmarks.of(new double[10]), e, CROP), identity, distance, lineage);
    }

    static HardExampleMiner miner(int every, boolean newTracks, double band, int max) {
        return new HardExampleMiner(new HardExampleOptions(every, newTracks, band, 0.5, max));
    }

    @Test
    void firstFaceEveryNthAndFacesNearTheThreshold() {
        HardExampleMiner miner = miner(4, true, 0.1, 100);
        Tallies t = Tallies.NONE;
        List<Integer> sentAt = new ArrayList<>();
        for (int frame = 1; frame <= 9; frame++) {
            // far from everyone (distance 2.0) except in frame 6, which lies 0.05 over the threshold
            Mined m = miner.mine("cam", t, List.of(face(7, null, frame == 6 ? 1.25 : 2.0)), Set.of(7L), "m", THRESHOLD);
            t = m.tallies();
            if (!m.examples().isEmpty()) {
                sentAt.add(frame);
                HardExample h = m.examples().get(0);
                assertEquals("track:cam:7", h.label());
                assertEquals(LabelSource.TRACK, h.labelSource());
                assertNull(h.distance(), "a track label has no reference distance");
                assertEquals("m", h.embedding().modelId());
            }
        }
        assertEquals(List.of(1, 4, 6, 8), sentAt, "the first face, every 4th, and the one near the threshold");
    }

    @Test
    void aDueFaceWithoutACropPassesItsTurnToTheNextFaceWithOne() {
        HardExampleMiner miner = miner(4, true, 0.1, 100);
        Tallies t = Tallies.NONE;
        List<Integer> sentAt = new ArrayList<>();
        for (int frame = 1; frame <= 12; frame++) {
            Face f = face(7, null, 2.0);
            // faces 1, 4 and 5 took an earlier face's embedding and carry no crop of their own
            if (frame == 1 || frame == 4 || frame == 5) {
                f = new Face(7, new FaceFeatures(f.features().box(), f.features().landmarks(), f.features().embedding()),
                        null, 2.0, 7);
            }
            Mined m = miner.mine("cam", t, List.of(f), Set.of(7L), "m", THRESHOLD);
            t = m.tallies();
            if (!m.examples().isEmpty()) {
                sentAt.add(frame);
            }
        }
        assertEquals(List.of(2, 6, 8, 12), sentAt, "the first face's turn goes to 2, the 4th's to 6; 8 and 12 are due");
    }

    @Test
    void aGoodGalleryMatchNamesTheTrackFromThenOn() {
        HardExampleMiner miner = miner(1, true, 0, 100);
        Mined a = miner.mine("cam", Tallies.NONE, List.of(face(3, "ada", 0.9)), Set.of(3L), "m", THRESHOLD);
        assertEquals("track:cam:3", a.examples().get(0).label(), "0.9 is a match but over half the threshold (0.6)");
        Mined b = miner.mine("cam", a.tallies(), List.of(face(3, "ada", 0.5)), Set.of(3L), "m", THRESHOLD);
        assertEquals("ada", b.examples().get(0).label());
        assertEquals(LabelSource.GALLERY, b.examples().get(0).labelSource());
        assertEquals(0.5, b.examples().get(0).distance());
        Mined c = miner.mine("cam", b.tallies(), List.of(face(3, null, 1.5)), Set.of(3L), "m", THRESHOLD);
        assertEquals("ada", c.examples().get(0).label(), "the track stays Ada's when a later face matches no one");
        assertNull(c.examples().get(0).distance());
    }

    @Test
    void otherFacesOfTheFrameAreNegativesUnlessTheyShareTheLabel() {
        HardExampleMiner miner = miner(1, true, 0, 100);
        Mined m = miner.mine("cam", Tallies.NONE, List.of(face(1, "ada", 0.3), face(2, null, 2.0), face(3, "ada", 0.4)),
                Set.of(1L, 2L, 3L), "m", THRESHOLD);
        assertEquals(3, m.examples().size());
        assertEquals(List.of("track:cam:2"), m.examples().get(0).negatives(), "the other Ada is misnamed: no negative");
        assertEquals(List.of("ada"), m.examples().get(1).negatives());
        assertEquals(List.of("track:cam:2"), m.examples().get(2).negatives());
    }

    @Test
    void facesWhoseBoxesOverlapAreNoSureNegativesOfEachOther() {
        HardExampleMiner miner = miner(1, true, 0, 100);
        Face whole = face(1, null, 2.0);
        // the lit half of the same face, found beside the whole
        Face part = new Face(2, new FaceFeatures(new BoundingBox(25, 2, 30, 8), Landmarks.of(new double[10]),
                whole.features().embedding(), CROP), null, 2.0, 2);
        Mined m = miner.mine("cam", Tallies.NONE, List.of(whole, part, face(3, null, 2.0)), Set.of(1L, 2L, 3L), "m",
                THRESHOLD);
        assertEquals(List.of("track:cam:3"), m.examples().get(0).negatives());
        assertEquals(List.of("track:cam:3"), m.examples().get(1).negatives());
        assertEquals(List.of("track:cam:1", "track:cam:2"), m.examples().get(2).negatives());
    }

    @Test
    void aFaceOfASplitTrackNamesTheFirstTrackOfItsChainAsLineage() {
        HardExampleMiner miner = miner(1, true, 0, 100);
        Mined m = miner.mine("cam", Tallies.NONE, List.of(face(5, null, 2.0, 3), face(7, null, 2.0),
                face(4, "ada", 0.3, 2)), Set.of(4L, 5L, 7L), "m", THRESHOLD);
        assertEquals(3, m.examples().size());
        HardExample split = m.examples().get(0);
        assertEquals("track:cam:5", split.label());
        assertEquals("track:cam:3", split.lineage(), "track 5 opened in the place of track 3");
        assertNull(m.examples().get(1).lineage(), "track 7 opened on its own");
        HardExample named = m.examples().get(2);
        assertEquals("ada", named.label());
        assertEquals(LabelSource.GALLERY, named.labelSource());
        assertNull(named.lineage(), "a gallery label is not a track's: no lineage");
    }

    @Test
    void aLineageSeenInTheSameFrameIsNone() {
        HardExampleMiner miner = miner(1, true, 0, 100);
        // Track 3 is on camera beside track 5, which split from it: two people after all.
        Mined m = miner.mine("cam", Tallies.NONE, List.of(face(5, null, 2.0, 3), face(3, null, 2.0)),
                Set.of(3L, 5L), "m", THRESHOLD);
        assertEquals(List.of("track:cam:3"), m.examples().get(0).negatives());
        assertNull(m.examples().get(0).lineage());
    }

    @Test
    void aTrackSendsAtMostItsCapAndDeadTracksAreForgotten() {
        HardExampleMiner miner = miner(1, true, 0, 3);
        Tallies t = Tallies.NONE;
        int sent = 0;
        for (int i = 0; i < 10; i++) {
            Mined m = miner.mine("cam", t, List.of(face(5, null, 2.0)), Set.of(5L), "m", THRESHOLD);
            t = m.tallies();
            sent += m.examples().size();
        }
        assertEquals(3, sent);
        assertEquals(10, t.tracks().get(5L).faces());
        Mined after = miner.mine("cam", t, List.of(face(6, null, 2.0)), Set.of(6L), "m", THRESHOLD);
        assertEquals(Set.of(6L), after.tallies().tracks().keySet(), "track 5 ended: its tally is dropped");
    }

    @Test
    void facesWithoutCropsAreNeverSentAndBadOptionsAreRefused() {
        HardExampleMiner miner = miner(1, true, 4, 100);
        Face noCrop = new Face(1, new FaceFeatures(new BoundingBox(0, 0, 10, 10), Landmarks.of(new double[10]),
                new float[] {1, 0}), null, 1.2, 1);
        assertEquals(List.of(), miner.mine("cam", Tallies.NONE, List.of(noCrop), Set.of(1L), "m", THRESHOLD).examples());
        assertThrows(IllegalArgumentException.class, () -> new HardExampleOptions(0, true, 0.1, 0.5, 10));
        assertThrows(IllegalArgumentException.class, () -> new HardExampleOptions(5, true, 0.1, 1.5, 10));
        assertThrows(IllegalArgumentException.class, () -> new HardExampleOptions(5, true, 0.1, 0.5, 0));
    }
}
