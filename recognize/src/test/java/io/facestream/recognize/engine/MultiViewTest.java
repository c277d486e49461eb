package io.facestream.recognize.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.BoundingBox;
import io.facestream.core.DetectedFace;
import io.facestream.core.Embedding;
import io.facestream.core.Landmarks;
import io.facestream.recognize.engine.MultiView.View;
import io.facestream.recognize.image.RgbImage;
import io.facestream.recognize.weights.WeightFile;
import io.facestream.recognize.weights.WeightStore;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** View sets on a real photo: the views agree with each other and with the plain embedding, and a subset is what --flip and the cache make. */
class MultiViewTest {

    @Test
    void mirroringTwiceGivesTheFaceBackWithLeftAndRightSwappedTwice() {
        DetectedFace f = new DetectedFace(new BoundingBox(10, 20, 60, 80), 0.99,
                Landmarks.of(20, 40, 45, 41, 33, 55, 24, 68, 42, 69));
        DetectedFace m = MultiView.mirror(f, 200);
        // Image-left eye of the mirror is the mirrored image-right eye: 199 - 45.
        assertEquals(154, m.landmarks().get(0).x(), 1e-12);
        assertEquals(41, m.landmarks().get(0).y(), 1e-12);
        assertEquals(139, m.box().x1(), 1e-12);
        assertEquals(189, m.box().x2(), 1e-12);
        DetectedFace back = MultiView.mirror(m, 200);
        for (int i = 0; i < Landmarks.COUNT; i++) {
            assertEquals(f.landmarks().get(i).x(), back.landmarks().get(i).x(), 1e-12);
            assertEquals(f.landmarks().get(i).y(), back.landmarks().get(i).y(), 1e-12);
        }
    }

    @Test
    void theMirroredImageFindsTheSameFaceAndTheViewsStayCloseToThePlainEmbedding() throws Exception {
        RgbImage photo = RgbImage.read(WeightStore.defaultStore().require(WeightFile.SAMPLE_1));
        try (FaceEngine engine = FaceEngine.open(new EngineOptions(null, 1, "cpu", 20))) {
            DetectedFace face = FaceChoice.largest(engine.detect(photo));
            MultiView.Prepared p = MultiView.ALL.prepare(engine, List.of(photo), List.of(face));
            // A second estimate of the same points: within a few pixels, but not the same numbers.
            double moved = 0;
            for (int i = 0; i < Landmarks.COUNT; i++) {
                double dx = p.averaged().get(0).landmarks().get(i).x() - face.landmarks().get(i).x();
                double dy = p.averaged().get(0).landmarks().get(i).y() - face.landmarks().get(i).y();
                moved = Math.max(moved, Math.hypot(dx, dy));
            }
            double side = face.box().width();
            assertTrue(moved > 0 && moved < 0.05 * side, "landmarks moved " + moved + " px on a " + side + " px face");
            assertTrue(MultiView.mirror(p.mirroredFaces().get(0), photo.width()).box().iou(face.box()) > 0.7);
            for (FaceModel model : List.of(FaceModel.MOBILEFACENET, FaceModel.DLIB)) {
                Embedding six = MultiView.ALL.embed(engine, List.of(photo), List.of(face), p, model).get(0);
                Embedding plain = engine.embed(photo, List.of(face), model, false).get(0);
                assertEquals(model.modelId(), six.modelId());
                double norm = 0;
                for (float v : six.values()) {
                    norm += v * v;
                }
                assertEquals(1.0, norm, 1e-5, "a unit vector");
                // Views of one face: far closer to the plain embedding than the model's threshold, yet not equal.
                double d = six.squaredDistance(plain);
                assertTrue(d > 1e-6 && d < model.threshold() / 4, model + ": " + d);
            }
        }
    }

    @Test
    void aSubsetIsWhatFlipAndThePlainEmbeddingAreAndWhatTheCachedViewsSumTo() throws Exception {
        RgbImage photo = RgbImage.read(WeightStore.defaultStore().require(WeightFile.SAMPLE_1));
        try (FaceEngine engine = FaceEngine.open(new EngineOptions(null, 1, "cpu", 20))) {
            DetectedFace face = FaceChoice.largest(engine.detect(photo));
            List<RgbImage> images = List.of(photo);
            List<DetectedFace> faces = List.of(face);
            // No view of --flip's set needs the mirrored image detected: nothing is prepared.
            MultiView.Prepared none = MultiView.FLIP.prepare(engine, images, faces);
            assertTrue(none.mirrored().isEmpty() && none.averaged().isEmpty());
            MultiView.Prepared all = MultiView.ALL.prepare(engine, images, faces);
            assertEquals(1, all.mirrored().size());
            for (FaceModel model : List.of(FaceModel.MOBILEFACENET, FaceModel.DLIB)) {
                Embedding flip = MultiView.FLIP.embed(engine, images, faces, none, model).get(0);
                assertEquals(0, flip.squaredDistance(engine.embed(photo, faces, model, true).get(0)), 1e-9, model + " flip");
                MultiView plainOnly = MultiView.parse("plain");
                Embedding plain = plainOnly.embed(engine, images, faces, none, model).get(0);
                assertEquals(0, plain.squaredDistance(engine.embed(photo, faces, model, false).get(0)), 1e-9, model + " plain");
                assertTrue(flip.squaredDistance(plain) > 1e-6, model + ": the mirror adds something");

                // The six views embedded once and summed per subset: the same as embedding the subset alone.
                Map<View, Embedding> each = MultiView.ALL.embedEach(engine, images, faces, all, model).get(0);
                assertEquals(EnumSet.allOf(View.class), each.keySet());
                MultiView subset = MultiView.parse("cflip,avg");
                Embedding direct = subset.embed(engine, images, faces, subset.prepare(engine, images, faces), model).get(0);
                assertEquals(0, direct.squaredDistance(subset.combine(each)), 1e-9, model + " cflip+avg");
                assertEquals(0, plain.squaredDistance(plainOnly.combine(each)), 1e-9, model + " plain from the six");
                // Every view differs from every other: none is computed from the wrong crop.
                for (View a : View.values()) {
                    for (View b : View.values()) {
                        if (a.compareTo(b) < 0) {
                            assertTrue(each.get(a).squaredDistance(each.get(b)) > 1e-6, model + ": " + a + " = " + b);
                        }
                    }
                }
            }
        }
    }

    @Test
    void theChosenSetDependsOnTheDlibChipItWasChosenWith() {
        assertEquals(MultiView.parse("plain"), MultiView.chosen(EngineOptions.defaults()));
        assertEquals(MultiView.FLIP, MultiView.chosen(EngineOptions.defaults().withDlibChip("shape68")));
    }

    @Test
    void parsesViewListsAndSaysWhichNamesExist() {
        MultiView flip = MultiView.parse(" plain, tmirror,plain");
        assertEquals(MultiView.FLIP, flip);
        assertEquals("plain+tmirror", flip.label());
        assertFalse(flip.needsMirrorDetection());
        assertFalse(MultiView.parse("cflip,tmirror").needsMirrorDetection());
        assertTrue(MultiView.parse("plain,avg").needsMirrorDetection());
        assertTrue(MultiView.parse("mirrordet").needsMirrorDetection());
        // Order on the command line does not matter; the views are summed in their fixed order.
        assertEquals("plain+tmirror+cflip+avg+avgmirror+mirrordet",
                MultiView.parse("mirrordet,avgmirror,avg,cflip,tmirror,plain").label());
        assertEquals(MultiView.ALL, MultiView.parse("mirrordet,avgmirror,avg,cflip,tmirror,plain"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MultiView.parse("plain,flip"));
        assertEquals("unknown view 'flip'; choose from plain, tmirror, cflip, avg, avgmirror, mirrordet", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MultiView.parse(" , "));
    }
}
