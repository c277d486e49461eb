package io.facestream.recognize.align;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.facestream.core.Point;
import io.facestream.recognize.landmark.FaceShape;
import org.junit.jupiter.api.Test;

class DlibChipTest {

    /** A face whose 68 points are dlib's mean face in the chip, carried into an image by a known similarity. */
    static FaceShape meanFaceIn(SimilarityTransform chipToImage) {
        double[] xy = new double[2 * FaceShape.COUNT];
        for (int i = 0; i < FaceShape.COUNT; i++) {
            // the jaw has no mean-face point; put it anywhere: it is not fitted
            double[] t = i >= 17 ? DlibChip.target(i, DlibChip.SIZE, DlibChip.PADDING) : new double[] {3 * i, 7 * i};
            Point p = chipToImage.apply(new Point(t[0], t[1]));
            xy[2 * i] = p.x();
            xy[2 * i + 1] = p.y();
        }
        return new FaceShape(xy);
    }

    @Test
    void theMeanFaceMapsBackOntoItself() {
        // rotate by ~20°, scale by 0.8, move
        SimilarityTransform chipToImage = new SimilarityTransform(0.75, 0.27, 40, -12);
        FaceShape face = meanFaceIn(chipToImage);
        SimilarityTransform t = DlibChip.transform(face, DlibChip.SIZE, DlibChip.PADDING);
        SimilarityTransform inv = chipToImage.inverse();
        assertEquals(inv.a(), t.a(), 1e-9);
        assertEquals(inv.b(), t.b(), 1e-9);
        assertEquals(inv.tx(), t.tx(), 1e-7);
        assertEquals(inv.ty(), t.ty(), 1e-7);
    }

    @Test
    void onlyNoseEyesAndUpperLipsAreFitted() {
        int n = 0;
        for (int i = 0; i < FaceShape.COUNT; i++) {
            n += DlibChip.fitted(i) ? 1 : 0;
        }
        assertEquals(33, n);
        // moving the jaw, the brows and the lower lip changes nothing
        FaceShape face = meanFaceIn(new SimilarityTransform(1, 0, 0, 0));
        double[] xy = face.xy();
        for (int i : new int[] {0, 8, 16, 17, 26, 55, 57, 59, 65, 67}) {
            xy[2 * i] += 30;
            xy[2 * i + 1] -= 20;
        }
        SimilarityTransform t = DlibChip.transform(new FaceShape(xy), DlibChip.SIZE, DlibChip.PADDING);
        assertEquals(1, t.a(), 1e-9);
        assertEquals(0, t.b(), 1e-9);
        assertEquals(0, t.tx(), 1e-7);
    }

    @Test
    void theFivePointTemplateIsTheSameMeanFace() {
        // DLIB_150's eye centres, nose tip and mouth corners are the mean face's eyes (means of six points),
        // point 30 and points 48, 54 in this chip
        double[][] five = AlignmentTemplate.DLIB_150.points();
        double lx = 0;
        double ly = 0;
        for (int i = 36; i <= 41; i++) {
            lx += DlibChip.target(i, 150, 0.25)[0] / 6;
            ly += DlibChip.target(i, 150, 0.25)[1] / 6;
        }
        assertEquals(five[0][0], lx, 1e-3);
        assertEquals(five[0][1], ly, 1e-3);
        assertEquals(five[2][0], DlibChip.target(30, 150, 0.25)[0], 1e-3);
        assertEquals(five[2][1], DlibChip.target(30, 150, 0.25)[1], 1e-3);
        assertEquals(five[3][0], DlibChip.target(48, 150, 0.25)[0], 1e-3);
        assertEquals(five[4][1], DlibChip.target(54, 150, 0.25)[1], 1e-3);
    }
}
