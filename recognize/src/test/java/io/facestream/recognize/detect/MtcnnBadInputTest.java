package io.facestream.recognize.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.recognize.image.RgbImage;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Images without faces or too small for the pyramid give no faces and no exception; bad options are refused. */
class MtcnnBadInputTest extends WithDefaultDetector {

    static RgbImage flat(int w, int h, int value) {
        byte[] px = new byte[w * h * 3];
        Arrays.fill(px, (byte) value);
        return new RgbImage(w, h, px);
    }

    @Test
    void flatGreyImageHasNoFace() {
        assertEquals(List.of(), detector.detect(flat(320, 240, 128)));
        assertEquals(List.of(), detector.detect(flat(64, 48, 0)));
    }

    @Test
    void imagesBelowTheSmallestLevelHaveNoFace() {
        // with minFaceSize 20 the first level is 0.6×; below 20 px the pyramid is empty
        assertTrue(PyramidStage.scales(19, 200, MtcnnOptions.defaults()).length == 0);
        assertEquals(List.of(), detector.detect(flat(1, 1, 200)));
        assertEquals(List.of(), detector.detect(flat(11, 11, 90)));
        assertEquals(List.of(), detector.detect(flat(200, 19, 90)));
        // just enough for one level: runs, finds nothing
        assertEquals(1, PyramidStage.scales(20, 20, MtcnnOptions.defaults()).length);
        assertEquals(List.of(), detector.detect(flat(20, 20, 90)));
    }

    @Test
    void aMixedBatchKeepsOneListPerImage() {
        List<List<io.facestream.core.DetectedFace>> out = detector.detect(List.of(flat(5, 5, 1), flat(100, 80, 50)));
        assertEquals(List.of(List.of(), List.of()), out);
        assertEquals(List.of(), detector.detect(List.of()));
    }

    @Test
    void optionsOutOfRangeAreRefusedWithTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MtcnnOptions.defaults().withThresholds(0.6, 1.5, 0.7));
        assertEquals("rnetThreshold must be in [0, 1], was 1.5", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MtcnnOptions.defaults().withMinFaceSize(0));
    }
}
