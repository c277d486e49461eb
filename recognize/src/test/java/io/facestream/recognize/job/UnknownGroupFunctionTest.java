package io.facestream.recognize.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.BoundingBox;
import io.facestream.core.DetectedFace;
import io.facestream.core.Embedding;
import io.facestream.core.Landmarks;
import io.facestream.core.event.HardExample;
import io.facestream.core.event.HardExample.LabelSource;
import io.facestream.recognize.engine.FaceModel;
import io.facestream.recognize.group.GroupingOptions;
import io.facestream.recognize.group.UnknownGroups;
import io.facestream.recognize.image.RgbImage;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnknownGroupFunctionTest {

    private static final Instant T0 = Instant.parse("2026-11-26T09:00:00Z");

    private static UnknownGroups.Sample sample(float x) {
        return new UnknownGroups.Sample("m", new float[] {x, 1 - x}, new float[] {x, 1 - x});
    }

    @Test
    void aHardExampleTakesItsGroupAsLabelAndItsNegativesAreNamedByTheirGroups() {
        UnknownGroups groups = new UnknownGroups(GroupingOptions.defaults());
        String a = HardExampleMiner.trackLabel("door", 1);
        String b = HardExampleMiner.trackLabel("door", 2);
        String c = HardExampleMiner.trackLabel("hall", 7);
        String unplaced = HardExampleMiner.trackLabel("door", 3);
        groups.place(a, "door", T0, sample(1), () -> new byte[] {1}, 1.0, 0.5);
        groups.place(b, "door", T0, sample(1), () -> new byte[] {1}, 1.0, 0.5); // with a: a frame showing one person twice
        groups.place(c, "hall", T0, sample(0), () -> new byte[] {1}, 1.0, 0.5);
        assertEquals("unknown-1", groups.groupOf(b));
        HardExample e = new HardExample(a, new byte[] {9}, new Embedding("m", new float[] {1, 0}), LabelSource.TRACK,
                null, List.of(b, c, "ada", unplaced));
        HardExample r = UnknownGroupFunction.relabel(e, "unknown-1", LabelSource.CONSENSUS, groups);
        assertEquals("unknown-1", r.label());
        assertEquals(LabelSource.CONSENSUS, r.labelSource());
        assertEquals(List.of("unknown-2", "ada", unplaced), r.negatives(), "b is in the face's own group: dropped");
        assertEquals(e.embedding(), r.embedding());
        HardExample split = new HardExample(unplaced, new byte[] {9}, new Embedding("m", new float[] {1, 0}),
                LabelSource.TRACK, null, List.of(), a);
        assertNull(UnknownGroupFunction.relabel(split, "unknown-1", LabelSource.CONSENSUS, groups).lineage(),
                "a group's label is not a track's: no lineage");
    }

    @Test
    void theSecondOpinionIsTheOtherPublicNetwork() {
        assertEquals(FaceModel.DLIB, UnknownGroupFunction.secondOpinion(FaceModel.MOBILEFACENET));
        assertEquals(FaceModel.MOBILEFACENET, UnknownGroupFunction.secondOpinion(FaceModel.DLIB));
    }

    @Test
    void aLooseFaceKeepsTheFaceWhereItsBoxAndLandmarksSay() throws Exception {
        // a 400x300 picture, black but for a white 40x40 square at (200..240, 100..140): the "face"
        byte[] px = new byte[400 * 300 * 3];
        for (int y = 100; y < 140; y++) {
            for (int x = 200; x < 240; x++) {
                for (int c = 0; c < 3; c++) {
                    px[(y * 400 + x) * 3 + c] = (byte) 255;
                }
            }
        }
        DetectedFace d = new DetectedFace(new BoundingBox(200, 100, 240, 140), 0.99,
                Landmarks.of(210, 112, 230, 112, 220, 122, 212, 132, 228, 132));
        LooseFace f = LooseFace.of(new RgbImage(400, 300, px), d);
        RgbImage cut = RgbImage.decode(f.jpeg(), "cut");
        assertEquals(80, cut.width(), "the box and half its side on each side");
        assertEquals(80, cut.height());
        assertEquals(new BoundingBox(20, 20, 60, 60), f.box());
        assertEquals(30, f.landmarks().get(0).x(), 1e-9, "210 less the cut's left edge, 200 - 20");
        assertTrue(cut.get(40, 40, 0) > 200, "the face is in the middle of the cut");
        assertTrue(cut.get(5, 5, 0) < 50, "the margin is the picture around it");

        // a face near the edge is cut at the edge; a large face is scaled down to 320 px
        LooseFace big = LooseFace.of(new RgbImage(400, 300, px), new DetectedFace(new BoundingBox(0, 0, 300, 300), 0.9,
                Landmarks.of(80, 100, 220, 100, 150, 160, 90, 220, 210, 220)));
        RgbImage bigCut = RgbImage.decode(big.jpeg(), "big");
        assertEquals(320, Math.max(bigCut.width(), bigCut.height()));
        double scale = 320.0 / 400;
        assertEquals(300 * scale, big.box().x2(), 1e-6);
        assertEquals(80 * scale, big.landmarks().get(0).x(), 1e-6);
    }
}
