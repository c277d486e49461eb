package io.facestream.recognize.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.DetectedFace;
import io.facestream.recognize.image.RgbImage;
import io.facestream.recognize.testing.Npz;
import io.facestream.recognize.testing.SharedData;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which face stands for an image, the second look with a border, the third at the equalised image, and the fallback crop. */
class FaceChoiceTest {

    @Test
    void aSecondLookWithABorderReportsTheSameFaceInTheOriginalFrame() throws Exception {
        RgbImage img = goldenImage();
        try (FaceEngine engine = FaceEngine.open(EngineOptions.defaults())) {
            DetectedFace plain = FaceChoice.central(engine.detect(img), img.width(), img.height());
            DetectedFace bordered = FaceChoice.central(FaceChoice.detectWithBorder(engine, img), img.width(), img.height());
            assertNotNull(plain);
            assertNotNull(bordered);
            // the pyramid differs with the border, so landmarks agree to a few pixels and boxes roughly;
            // without shifting back by the 62 px border they would not overlap at all
            for (int i = 0; i < 5; i++) {
                assertEquals(plain.landmarks().get(i).x(), bordered.landmarks().get(i).x(), 3.0, "landmark " + i + " x");
                assertEquals(plain.landmarks().get(i).y(), bordered.landmarks().get(i).y(), 3.0, "landmark " + i + " y");
            }
            assertTrue(bordered.box().iou(plain.box()) > 0.7, "same box: " + bordered.box() + " vs " + plain.box());
        }
    }

    @Test
    void aThirdLookAtTheEqualisedImageFindsAFaceInDeepShadowOnItsOwnLandmarks() throws Exception {
        RgbImage img = goldenImage();
        // the same photo with its light all but gone: levels 0..255 squeezed into 2..14
        byte[] dim = new byte[img.pixels().length];
        for (int i = 0; i < dim.length; i++) {
            dim[i] = (byte) (2 + (img.pixels()[i] & 0xff) / 20);
        }
        RgbImage dark = new RgbImage(img.width(), img.height(), dim);
        try (FaceEngine engine = FaceEngine.open(EngineOptions.defaults())) {
            DetectedFace lit = FaceChoice.central(engine.detect(img), img.width(), img.height());
            List<DetectedFace> plain = engine.detect(dark);
            assertTrue(plain.isEmpty() && FaceChoice.detectWithBorder(engine, dark).isEmpty(),
                    "the first two looks should miss the dark face, found " + plain);
            FaceChoice.Portrait p = FaceChoice.portrait(engine, dark, plain);
            assertFalse(p.fallback(), "the equalised look should find the face");
            // the same face, its landmarks within 15% of the eye distance of the lit photo's (13 grey levels are
            // left of the face, so not to the pixel), in the original image's coordinates
            assertTrue(p.face().box().iou(lit.box()) > 0.6, "same box: " + p.face().box() + " vs " + lit.box());
            double eyes = Math.hypot(lit.landmarks().get(1).x() - lit.landmarks().get(0).x(),
                    lit.landmarks().get(1).y() - lit.landmarks().get(0).y());
            for (int i = 0; i < 5; i++) {
                double off = Math.hypot(lit.landmarks().get(i).x() - p.face().landmarks().get(i).x(),
                        lit.landmarks().get(i).y() - p.face().landmarks().get(i).y());
                assertTrue(off < 0.15 * eyes, "landmark " + i + " is " + off + " px off, eyes " + eyes + " px apart");
            }
        }
    }

    @Test
    void anUnsureLookKeepsTheSureFacesAndGuessesMore() throws Exception {
        RgbImage img = goldenImage();
        try (FaceEngine engine = FaceEngine.open(EngineOptions.defaults())) {
            List<DetectedFace> sure = engine.detect(img);
            List<DetectedFace> unsure = engine.detectUnsure(img, FaceChoice.LAST_LOOK_THRESHOLD);
            assertTrue(unsure.size() >= sure.size(), unsure.size() + " unsure faces against " + sure.size());
            for (DetectedFace f : sure) {
                assertTrue(unsure.stream().anyMatch(u -> u.box().iou(f.box()) > 0.5), "the sure face " + f.box() + " is among " + unsure);
            }
            // a thousandth of MTCNN's confidence takes what 0.1 turned away; the defaults are untouched
            assertTrue(engine.detectUnsure(img, 0.001).size() >= unsure.size());
            assertEquals(sure.size(), engine.detect(img).size());
        }
    }

    @Test
    void inAPhotoTheFaceFillsThePartTheDetectorFindsGivesWayToTheWholeFace() throws Exception {
        // Extended Yale B crops the face to the frame. In the second of these two photos of one training person (the
        // frontal light, and one from 5 degrees aside and 10 below) the pyramid finds only a small part of the face
        RgbImage frontal = yaleImage("yaleB17/yaleB17_0001.jpg");
        RgbImage offAxis = yaleImage("yaleB17/yaleB17_0037.jpg");
        try (FaceEngine engine = FaceEngine.open(EngineOptions.defaults())) {
            double area = frontal.width() * frontal.height();
            DetectedFace part = FaceChoice.central(engine.detect(offAxis), offAxis.width(), offAxis.height());
            assertNotNull(part);
            assertTrue(part.box().area() < 0.15 * area, "the detector's own pick should be a small part, was " + part.box());

            DetectedFace a = FaceChoice.portrait(engine, frontal, engine.detect(frontal)).face();
            DetectedFace b = FaceChoice.portrait(engine, offAxis, engine.detect(offAxis)).face();
            for (DetectedFace f : List.of(a, b)) {
                assertTrue(f.score() > 0, "a found face, not the fallback");
                assertTrue(f.box().area() > 0.8 * area, "the whole face, larger than the photo's frame: " + f.box());
                assertTrue(f.box().iou(part.box()) < 0.2);
            }
            // one person, one pose, one camera: the same landmarks under both lights, to a tenth of the eye distance
            double eyes = Math.hypot(a.landmarks().get(1).x() - a.landmarks().get(0).x(),
                    a.landmarks().get(1).y() - a.landmarks().get(0).y());
            assertTrue(eyes > 0.3 * frontal.width(), "eyes " + eyes + " px apart in a " + frontal.width() + " px photo");
            for (int i = 0; i < 5; i++) {
                double off = Math.hypot(a.landmarks().get(i).x() - b.landmarks().get(i).x(),
                        a.landmarks().get(i).y() - b.landmarks().get(i).y());
                assertTrue(off < 0.1 * eyes, "landmark " + i + " moves " + off + " px between lights, eyes " + eyes);
            }
        }
    }

    @Test
    void aPartIsReplacedOnlyByAFaceTwiceItsSizeThatHoldsIt() {
        DetectedFace part = face(100, 100, 130, 130);
        DetectedFace holds = face(80, 80, 170, 170);
        DetectedFace beside = face(120, 120, 210, 210);
        DetectedFace similar = face(98, 98, 138, 138);
        assertEquals(holds, FaceChoice.wholeFace(part, List.of(beside, holds), FaceChoice.Rule.CENTRAL, 250, 250));
        // a face of the same scale is the same face found twice, and one that holds less than 80% of it another face
        assertEquals(part, FaceChoice.wholeFace(part, List.of(similar, beside), FaceChoice.Rule.CENTRAL, 250, 250));
        assertEquals(part, FaceChoice.wholeFace(part, List.of(), FaceChoice.Rule.CENTRAL, 250, 250));
        assertEquals(holds, FaceChoice.wholeFace(null, List.of(holds), FaceChoice.Rule.CENTRAL, 250, 250));
    }

    @Test
    void fallbackIsACentredSquareWithTemplateLandmarks() {
        DetectedFace f = FaceChoice.fallback(250, 250);
        assertEquals(75, f.box().x1(), 1e-9);
        assertEquals(175, f.box().x2(), 1e-9);
        assertEquals(0, f.score());
        // the ArcFace template's left eye (38.2946, 51.6963) scaled from 112 to 100 px, offset by 75
        assertEquals(75 + 38.2946 * 100 / 112, f.landmarks().get(0).x(), 1e-9);
        assertEquals(75 + 51.6963 * 100 / 112, f.landmarks().get(0).y(), 1e-9);
    }

    @Test
    void centralPrefersTheFaceNearTheCentreOverALargerOneAtTheEdge() {
        DetectedFace centre = face(100, 100, 150, 150);
        DetectedFace edge = face(0, 0, 60, 60);
        assertEquals(centre, FaceChoice.central(List.of(edge, centre), 250, 250));
        assertEquals(edge, FaceChoice.largest(List.of(edge, centre)));
    }

    @Test
    void eachRulePicksItsFaceAndNamesParseInAnyCase() {
        DetectedFace centre = face(100, 100, 150, 150, 0.90);
        DetectedFace edge = face(0, 0, 60, 60, 0.80);
        DetectedFace sure = face(180, 180, 210, 210, 0.99);
        List<DetectedFace> faces = List.of(edge, centre, sure);
        assertEquals(centre, FaceChoice.Rule.CENTRAL.pick(faces, 250, 250));
        assertEquals(edge, FaceChoice.Rule.LARGEST.pick(faces, 250, 250));
        assertEquals(sure, FaceChoice.Rule.CONFIDENT.pick(faces, 250, 250));
        assertEquals(null, FaceChoice.Rule.CONFIDENT.pick(List.of(), 250, 250));
        assertEquals(FaceChoice.Rule.LARGEST, FaceChoice.Rule.parse("Largest"));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> FaceChoice.Rule.parse("biggest"));
        assertTrue(e.getMessage().contains("central, largest or confident"), e.getMessage());
    }

    private static DetectedFace face(double x1, double y1, double x2, double y2) {
        return face(x1, y1, x2, y2, 0.9);
    }

    private static DetectedFace face(double x1, double y1, double x2, double y2, double score) {
        double cx = (x1 + x2) / 2;
        double cy = (y1 + y2) / 2;
        return new DetectedFace(new io.facestream.core.BoundingBox(x1, y1, x2, y2), score,
                io.facestream.core.Landmarks.of(cx - 10, cy - 5, cx + 10, cy - 5, cx, cy, cx - 8, cy + 10, cx + 8, cy + 10));
    }

    /** One image of the Extended Yale B archive (a training person's), extracted once into target/. */
    private static RgbImage yaleImage(String name) throws Exception {
        java.nio.file.Path tgz = SharedData.require("data/yaleb.tgz");
        java.nio.file.Path dir = java.nio.file.Path.of("target", "yaleb-faces").toAbsolutePath();
        java.nio.file.Path file = dir.resolve("yaleb").resolve(name);
        if (!java.nio.file.Files.isRegularFile(file)) {
            java.nio.file.Files.createDirectories(dir);
            Process tar = new ProcessBuilder("tar", "xzf", tgz.toString(), "-C", dir.toString(), "yaleb/" + name)
                    .inheritIO().start();
            assertEquals(0, tar.waitFor(), "tar could not extract " + name);
        }
        return RgbImage.read(file);
    }

    /** The first LFW image of the reference's end-to-end goldens. */
    private static RgbImage goldenImage() throws java.io.IOException {
        Map<String, Npz.Array> e2e = Npz.read(SharedData.require("reference/golden_e2e.npz"));
        Npz.Array rgb = e2e.get("img0_rgb");
        byte[] px = new byte[rgb.data().length];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) Math.round(rgb.data()[i]);
        }
        return new RgbImage(rgb.shape()[1], rgb.shape()[0], px);
    }
}
