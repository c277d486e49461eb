package io.facestream.recognize.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.BoundingBox;
import io.facestream.core.DetectedFace;
import io.facestream.core.Embedding;
import io.facestream.core.Landmarks;
import io.facestream.recognize.image.RgbImage;
import io.facestream.recognize.weights.WeightFile;
import io.facestream.recognize.weights.WeightStore;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The six-view embedding on a real photo: the views agree with each other and with the plain embedding. */
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
            MultiView.Prepared p = MultiView.prepare(engine, List.of(photo), List.of(face));
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
                Embedding six = MultiView.embed(engine, List.of(photo), List.of(face), p, model).get(0);
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
}
