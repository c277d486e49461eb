package io.facestream.recognize.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.BoundingBox;
import io.facestream.core.DetectedFace;
import io.facestream.core.Landmarks;
import io.facestream.recognize.image.RgbImage;
import io.facestream.recognize.testing.SharedData;
import io.facestream.recognize.weights.WeightStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Precision and recall of the detector on dlib's annotated PASCAL VOC faces (training.xml + testing.xml). */
class DetectionQualityTest {

    static DetectedFace face(double x1, double y1, double x2, double y2, double score) {
        return new DetectedFace(new BoundingBox(x1, y1, x2, y2), score, Landmarks.of(new double[10]));
    }

    @Test
    void greedyMatchingCountsEachFaceOnce() {
        List<BoundingBox> truth = List.of(new BoundingBox(0, 0, 10, 10), new BoundingBox(100, 100, 110, 110));
        List<DetectedFace> dets = List.of(face(0, 0, 10, 10, 0.9), face(1, 1, 11, 11, 0.95), face(50, 50, 60, 60, 0.8));
        DetectionQuality.Counts c = DetectionQuality.match(truth, List.of(), dets, 0.5);
        assertEquals(new DetectionQuality.Counts(1, 2, 1), c);
        assertEquals(1 / 3.0, c.precision(), 1e-12);
        assertEquals(0.5, c.recall(), 1e-12);
    }

    /**
     * Found with the published settings: 42 of 43 faces, 2 false positives (both hands). The miss
     * (2008_002079, the face at left 122, top 134) gets P-Net 0.99 but R-Net only 0.64, under the 0.7
     * threshold; at 0.5/0.5/0.5 it is found. Matched faces have IoU 0.54–0.80 with dlib's boxes:
     * MTCNN's boxes are taller than dlib's square ones, but not enough to fall under 0.5.
     */
    @Test
    void recallOnDlibFaces() throws Exception {
        Path dir = SharedData.require("data/stills/dlib_faces");
        List<DetectionQuality.AnnotatedImage> all = new ArrayList<>();
        all.addAll(DetectionQuality.readDlibXml(dir.resolve("training.xml")));
        all.addAll(DetectionQuality.readDlibXml(dir.resolve("testing.xml")));
        DetectionQuality.Counts total = DetectionQuality.Counts.ZERO;
        try (MtcnnDetector detector = MtcnnDetector.load(WeightStore.defaultStore(), MtcnnOptions.defaults())) {
            for (DetectionQuality.AnnotatedImage a : all) {
                List<DetectedFace> faces = detector.detect(RgbImage.read(a.file()));
                DetectionQuality.Counts c = DetectionQuality.match(a.faces(), a.ignored(), faces,
                        DetectionQuality.DEFAULT_MIN_IOU);
                System.out.printf("%-16s faces %2d detections %2d tp %2d fp %2d fn %2d best IoU per face %s%n",
                        a.file().getFileName(), a.faces().size(), faces.size(), c.truePositives(), c.falsePositives(),
                        c.falseNegatives(), Arrays.toString(Arrays.stream(DetectionQuality.bestIous(a.faces(), faces))
                                .map(v -> Math.round(v * 100) / 100.0).toArray()));
                total = total.plus(c);
            }
        }
        System.out.printf("dlib_faces: %d images, %d faces, %d detections: precision %.3f, recall %.3f (IoU >= %.1f)%n",
                all.size(), total.truePositives() + total.falseNegatives(), total.truePositives() + total.falsePositives(),
                total.precision(), total.recall(), DetectionQuality.DEFAULT_MIN_IOU);
        assertEquals(43, total.truePositives() + total.falseNegatives(), "annotated faces");
        assertTrue(total.recall() >= 0.90, "recall " + total.recall() + " below 0.90");
        assertTrue(total.precision() >= 0.90, "precision " + total.precision() + " below 0.90");
    }
}
