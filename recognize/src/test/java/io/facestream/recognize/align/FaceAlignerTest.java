package io.facestream.recognize.align;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.Landmarks;
import io.facestream.core.Point;
import io.facestream.recognize.image.RgbImage;
import io.facestream.recognize.testing.Npz;
import io.facestream.recognize.testing.SharedData;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Alignment against the end-to-end goldens: similarity matrices and the unrounded crops. */
class FaceAlignerTest {

    static Map<String, Npz.Array> e2e;
    static Map<String, Npz.Array> golden;

    @BeforeAll
    static void load() throws Exception {
        e2e = Npz.read(SharedData.require("reference/golden_e2e.npz"));
        golden = Npz.read(SharedData.require("reference/golden.npz"));
    }

    static RgbImage image(int k) {
        Npz.Array rgb = e2e.get("img" + k + "_rgb");
        byte[] px = new byte[rgb.data().length];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) Math.round(rgb.data()[i]);
        }
        return new RgbImage(rgb.shape()[1], rgb.shape()[0], px);
    }

    static Landmarks landmarks(int k, int face) {
        Npz.Array lm = e2e.get("img" + k + "_landmarks");
        double[] xy = new double[10];
        for (int i = 0; i < 5; i++) {
            xy[2 * i] = lm.at(face, i, 0);
            xy[2 * i + 1] = lm.at(face, i, 1);
        }
        return Landmarks.of(xy);
    }

    @Test
    void matricesAndCropsMatchTheGoldenForAllSevenFaces() {
        int faces = 0;
        for (int k = 0; k < 3; k++) {
            RgbImage img = image(k);
            Npz.Array align = e2e.get("img" + k + "_align");
            Npz.Array crops = e2e.get("img" + k + "_crop112");
            for (int f = 0; f < align.shape()[0]; f++) {
                SimilarityTransform m = SimilarityTransform.estimate(landmarks(k, f), AlignmentTemplate.ARCFACE_112.points());
                double[][] mat = m.toMatrix();
                for (int r = 0; r < 2; r++) {
                    for (int c = 0; c < 3; c++) {
                        assertEquals(align.at(f, r, c), mat[r][c], 1e-3, "img" + k + " face " + f + " M[" + r + "][" + c + "]");
                    }
                }
                FaceCrop crop = FaceAligner.align(img, landmarks(k, f), AlignmentTemplate.ARCFACE_112);
                double maxDiff = 0;
                for (int c = 0; c < 3; c++) {
                    for (int y = 0; y < 112; y++) {
                        for (int x = 0; x < 112; x++) {
                            maxDiff = Math.max(maxDiff, Math.abs(crop.get(c, y, x) - crops.at(f, c, y, x)));
                        }
                    }
                }
                assertTrue(maxDiff <= 0.01, "img" + k + " face " + f + " crop differs by " + maxDiff + " grey levels");
                faces++;
            }
        }
        assertEquals(7, faces);
    }

    @Test
    void dlibChipMatchesTheGoldenInput() {
        Npz.Array in = golden.get("dlib_in");
        double[] mean = {122.782, 117.001, 104.298};
        FaceCrop chip = FaceAligner.align(image(0), landmarks(0, 0), AlignmentTemplate.DLIB_150);
        double maxDiff = 0;
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 150; y++) {
                for (int x = 0; x < 150; x++) {
                    double expected = in.at(0, c, y, x) * 255.0 + mean[c];
                    maxDiff = Math.max(maxDiff, Math.abs(chip.get(c, y, x) - expected));
                }
            }
        }
        assertTrue(maxDiff <= 0.01, "dlib chip differs by " + maxDiff + " grey levels");
    }

    @Test
    void transformMapsLandmarksNearTheTemplateAndInverts() {
        Landmarks lm = landmarks(1, 0);
        SimilarityTransform m = SimilarityTransform.estimate(lm, AlignmentTemplate.ARCFACE_112.points());
        double[][] t = AlignmentTemplate.ARCFACE_112.points();
        for (int i = 0; i < 5; i++) {
            Point p = m.apply(lm.get(i));
            assertEquals(t[i][0], p.x(), 6, "landmark " + i + " x");
            assertEquals(t[i][1], p.y(), 6, "landmark " + i + " y");
            Point back = m.inverse().apply(p);
            assertEquals(lm.get(i).x(), back.x(), 1e-9);
            assertEquals(lm.get(i).y(), back.y(), 1e-9);
        }
        // an exact similarity is recovered exactly
        double a = 0.8;
        double b = 0.3;
        double[] xy = new double[10];
        double[][] dst = new double[5][];
        for (int i = 0; i < 5; i++) {
            xy[2 * i] = t[i][0];
            xy[2 * i + 1] = t[i][1];
            dst[i] = new double[] {a * t[i][0] - b * t[i][1] + 5, b * t[i][0] + a * t[i][1] - 7};
        }
        SimilarityTransform exact = SimilarityTransform.estimate(Landmarks.of(xy), dst);
        assertEquals(a, exact.a(), 1e-12);
        assertEquals(b, exact.b(), 1e-12);
        assertEquals(5, exact.tx(), 1e-9);
        assertEquals(-7, exact.ty(), 1e-9);
    }

    @Test
    void mirroredAlignmentEqualsAligningTheMirroredImage() {
        RgbImage img = image(2);
        Landmarks lm = landmarks(2, 0);
        int[] order = {1, 0, 2, 4, 3};
        double[] xy = new double[10];
        for (int i = 0; i < 5; i++) {
            xy[2 * i] = img.width() - 1 - lm.get(order[i]).x();
            xy[2 * i + 1] = lm.get(order[i]).y();
        }
        for (AlignmentTemplate t : AlignmentTemplate.values()) {
            FaceCrop expected = FaceAligner.align(img.flipHorizontal(), Landmarks.of(xy), t);
            FaceCrop mirrored = FaceAligner.alignMirrored(img, lm, t);
            double maxDiff = 0;
            for (int i = 0; i < expected.chw().length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(expected.chw()[i] - mirrored.chw()[i]));
            }
            assertTrue(maxDiff < 1e-3, t + ": " + maxDiff);
            // and it is not merely the flipped crop: the templates are not symmetric about the centre
            FaceCrop flipped = FaceAligner.align(img, lm, t).flipped();
            double flipDiff = 0;
            for (int i = 0; i < expected.chw().length; i++) {
                flipDiff = Math.max(flipDiff, Math.abs(flipped.chw()[i] - mirrored.chw()[i]));
            }
            assertTrue(flipDiff > 1, t + ": a flipped crop differs from the mirrored alignment, by " + flipDiff);
        }
    }

    @Test
    void marginCropSamplesTheEnlargedBox() {
        int w = 120;
        int h = 100;
        byte[] px = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                px[(y * w + x) * 3] = (byte) x;
                px[(y * w + x) * 3 + 1] = (byte) y;
            }
        }
        RgbImage img = new RgbImage(w, h, px);
        // margin 0, one output pixel per image pixel: an exact copy of the box
        FaceCrop exact = FaceAligner.marginCrop(img, new io.facestream.core.BoundingBox(10, 20, 50, 60), 0, 40);
        assertEquals(10 + 7, exact.get(0, 3, 7), 1e-4);
        assertEquals(20 + 3, exact.get(1, 3, 7), 1e-4);
        // margin 0.25 of 40 px = 10 px each side: (0, 10)-(60, 70) sampled at 2 px per output pixel
        FaceCrop wide = FaceAligner.marginCrop(img, new io.facestream.core.BoundingBox(10, 20, 50, 60), 0.25, 30);
        assertEquals(30, wide.size());
        assertEquals(0 + 0.5, wide.get(0, 0, 0), 1e-4);
        assertEquals(10 + 2 * 29 + 0.5, wide.get(1, 29, 0), 1e-4);
    }

    @Test
    void flippedCropIsAMirror() {
        FaceCrop crop = FaceAligner.align(image(0), landmarks(0, 0), AlignmentTemplate.ARCFACE_112);
        FaceCrop flip = crop.flipped();
        assertEquals(crop.get(1, 40, 10), flip.get(1, 40, 101));
        assertEquals(crop.get(2, 100, 0), flip.get(2, 100, 111));
    }
}
