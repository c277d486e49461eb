package io.facestream.recognize.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.DetectedFace;
import io.facestream.recognize.image.RgbImage;
import io.facestream.recognize.testing.SharedData;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pyramid searched in parts, one part a frame, finds what a full detection finds. */
class MtcnnPartsTest extends WithDefaultDetector {

    @Test
    void partsShareThePyramidsAreaWithTheLargestLevelAlone() {
        double[] scales = PyramidStage.scales(360, 640, MtcnnOptions.defaults());
        assertEquals(9, scales.length);
        // areas 0.36, 0.18, 0.09, 0.05, 0.02, ...: the largest level is half of the whole
        assertArrayEquals(new int[] {0, 1, 2, 2, 3, 3, 3, 3, 3}, PyramidStage.parts(scales, 5));
        assertArrayEquals(new int[9], PyramidStage.parts(scales, 1));
        int[] many = PyramidStage.parts(scales, 20);
        for (int i = 1; i < many.length; i++) {
            assertTrue(many[i] == many[i - 1] + 1 || many[i] == many[i - 1], "parts run in level order");
        }
        assertTrue(many[many.length - 1] < 20);
    }

    @Test
    void everyFaceOfAFullDetectionIsFoundByOnePartOrAnother() throws Exception {
        RgbImage photo = RgbImage.read(SharedData.require("data/stills/facenet-pytorch_multiface.jpg"));
        List<DetectedFace> full = detector.detect(photo);
        assertTrue(full.size() >= 3, "the group photo has several faces, found " + full.size());
        int parts = 5;
        List<DetectedFace> found = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            found.addAll(detector.detectPart(photo, List.of(), p, parts));
        }
        for (DetectedFace f : full) {
            double best = found.stream().mapToDouble(d -> d.box().iou(f.box())).max().orElse(0);
            assertTrue(best > 0.9, "face " + f.box() + " of the full detection is found by a part with IoU " + best);
        }
        assertTrue(found.size() <= 2 * full.size(), "a face is found by one or two neighbouring parts, not all: "
                + found.size() + " for " + full.size());
        assertThrows(IllegalArgumentException.class, () -> detector.detectPart(photo, List.of(), 5, 5));
    }
}
