package io.facestream.recognize.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.BoundingBox;
import io.facestream.core.DetectedFace;
import io.facestream.recognize.image.RgbImage;
import io.facestream.recognize.testing.Images;
import io.facestream.recognize.testing.SharedData;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Finding faces again near known boxes, without the pyramid, agrees with a full detection. */
class MtcnnRedetectTest extends WithDefaultDetector {

    @Test
    void facesThatMovedAFewPixelsAreFoundAgainAsAFullDetectionFindsThem() throws Exception {
        RgbImage photo = RgbImage.read(SharedData.require("data/stills/facenet-pytorch_multiface.jpg"));
        List<DetectedFace> before = detector.detect(photo);
        assertTrue(before.size() >= 3, "the group photo has several faces, found " + before.size());
        RgbImage moved = Images.shifted(photo, 7, -5);
        List<DetectedFace> full = detector.detect(moved);
        List<DetectedFace> again = detector.redetect(moved, before.stream().map(DetectedFace::box).toList());
        assertEquals(full.size(), again.size(), "faces found near the old boxes vs by a full detection");
        for (DetectedFace f : full) {
            DetectedFace best = again.stream().max((a, b) -> Double.compare(a.box().iou(f.box()), b.box().iou(f.box())))
                    .orElseThrow();
            assertTrue(best.box().iou(f.box()) > 0.8, "box " + f.box() + " found again as " + best.box());
            double eye = Math.abs(best.landmarks().points().get(0).x() - f.landmarks().points().get(0).x());
            assertTrue(eye < 3, "left eye x differs by " + eye + " px");
        }
        // the faces moved: the boxes found again follow them, not the old places
        double meanShift = 0;
        for (DetectedFace f : again) {
            BoundingBox old = before.stream().max((a, b) -> Double.compare(a.box().iou(f.box()), b.box().iou(f.box())))
                    .orElseThrow().box();
            meanShift += (f.box().x1() + f.box().x2()) / 2 - (old.x1() + old.x2()) / 2;
        }
        meanShift /= again.size();
        assertEquals(7, meanShift, 2.0, "mean horizontal move of the boxes found again");
    }

    @Test
    void facesThatMovedPastTheirBoxesAreFoundBySearchingAroundThem() throws Exception {
        RgbImage photo = RgbImage.read(SharedData.require("data/stills/facenet-pytorch_multiface.jpg"));
        List<DetectedFace> before = detector.detect(photo);
        double[] widths = before.stream().mapToDouble(f -> f.box().x2() - f.box().x1()).sorted().toArray();
        int dx = (int) Math.round(0.8 * widths[widths.length / 2]);
        RgbImage moved = Images.shifted(photo, dx, 0);
        List<BoundingBox> old = before.stream().map(DetectedFace::box).toList();
        List<DetectedFace> full = detector.detect(moved);
        assertTrue(detector.redetect(moved, old).size() < full.size(),
                "moved by " + dx + " px, most faces are past their old boxes' reach");

        List<DetectedFace> found = detector.searchNear(moved, old);
        int matched = 0;
        for (DetectedFace f : full) {
            double best = found.stream().mapToDouble(g -> g.box().iou(f.box())).max().orElse(0);
            // a face that moved in from outside the photo's old faces has no old box near it
            boolean hadBox = old.stream().anyMatch(b -> Math.abs((b.x1() + b.x2()) / 2 + dx - (f.box().x1() + f.box().x2()) / 2) < 5
                    && Math.abs((b.y1() + b.y2()) / 2 - (f.box().y1() + f.box().y2()) / 2) < 5);
            if (hadBox) {
                assertTrue(best > 0.8, "face " + f.box() + " found again: best IoU " + best);
                matched++;
            }
        }
        assertTrue(matched >= 3, "faces moved " + dx + " px and looked for: " + matched);
        assertTrue(found.size() <= full.size(), "nothing but faces: " + found.size() + " of " + full.size());
    }

    @Test
    void nothingIsFoundWhereNoFaceIs() throws Exception {
        RgbImage grey = Images.flat(320, 240, 128);
        assertEquals(List.of(), detector.redetect(grey, List.of(new BoundingBox(100, 80, 160, 150))));
        assertEquals(List.of(), detector.redetect(grey, List.of()));
        assertEquals(List.of(), detector.searchNear(grey, List.of(new BoundingBox(100, 80, 160, 150))));
        assertEquals(List.of(), detector.searchNear(grey, List.of()));
    }
}
