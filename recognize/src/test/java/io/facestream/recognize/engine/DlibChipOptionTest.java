package io.facestream.recognize.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.DetectedFace;
import io.facestream.core.Embedding;
import io.facestream.recognize.align.DlibChip;
import io.facestream.recognize.align.FaceCrop;
import io.facestream.recognize.image.RgbImage;
import io.facestream.recognize.landmark.FaceShape;
import io.facestream.recognize.weights.WeightFile;
import io.facestream.recognize.weights.WeightStore;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --dlib-chip shape68}: the dlib ResNet gets dlib's own chip from 68 landmarks; MobileFaceNet is unaffected. */
class DlibChipOptionTest {

    @Test
    void optionsNameOneOfTwoChips() {
        assertEquals("five", EngineOptions.defaults().dlibChip());
        assertEquals("five", new EngineOptions(null, 1, "cpu", 20).dlibChip());
        assertTrue(EngineOptions.defaults().withDlibChip("SHAPE68").dlibShape68());
        assertThrows(IllegalArgumentException.class, () -> EngineOptions.defaults().withDlibChip("68"));
    }

    @Test
    void shapeChipsAreDlibsChipOfTheLandmarksAndEmbedTheSamePerson() throws Exception {
        RgbImage photo = RgbImage.read(WeightStore.defaultStore().require(WeightFile.SAMPLE_1));
        EngineOptions five = new EngineOptions(null, 1, "cpu", 20);
        try (FaceEngine a = FaceEngine.open(five); FaceEngine b = FaceEngine.open(five.withDlibChip("shape68"))) {
            List<DetectedFace> faces = a.detect(photo);
            assertEquals(3, faces.size());
            List<Embedding> ea = a.embed(photo, faces, FaceModel.DLIB, false);
            List<Embedding> eb = b.embed(photo, faces, FaceModel.DLIB, false);
            for (int i = 0; i < faces.size(); i++) {
                FaceShape shape = b.shape(photo, faces.get(i));
                FaceCrop chip = b.crop(photo, faces.get(i), FaceModel.DLIB);
                assertArrayEquals(DlibChip.chip(photo, shape).chw(), chip.chw());
                assertArrayEquals(DlibChip.chipMirrored(photo, shape).chw(),
                        b.mirroredCrop(photo, faces.get(i), FaceModel.DLIB).chw());
                assertFalse(Arrays.equals(a.crop(photo, faces.get(i), FaceModel.DLIB).chw(), chip.chw()));
                assertArrayEquals(a.crop(photo, faces.get(i), FaceModel.MOBILEFACENET).chw(),
                        b.crop(photo, faces.get(i), FaceModel.MOBILEFACENET).chw());
                // one face two ways: far closer to itself than to the others (squared L2 of unit vectors)
                double self = ea.get(i).squaredDistance(eb.get(i));
                assertTrue(self > 0 && self < 0.05, "face " + i + ": " + self);
                for (int j = 0; j < faces.size(); j++) {
                    if (j != i) {
                        assertTrue(ea.get(i).squaredDistance(eb.get(j)) > 3 * self, "faces " + i + ", " + j);
                    }
                }
            }
        }
    }
}
