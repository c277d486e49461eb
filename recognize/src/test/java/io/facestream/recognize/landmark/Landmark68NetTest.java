package io.facestream.recognize.landmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.BoundingBox;
import io.facestream.core.DetectedFace;
import io.facestream.core.Point;
import io.facestream.recognize.align.AlignmentTemplate;
import io.facestream.recognize.align.DlibChip;
import io.facestream.recognize.align.SimilarityTransform;
import io.facestream.recognize.detect.MtcnnDetector;
import io.facestream.recognize.detect.MtcnnOptions;
import io.facestream.recognize.image.RgbImage;
import io.facestream.recognize.testing.SharedData;
import io.facestream.recognize.weights.WeightFile;
import io.facestream.recognize.weights.WeightStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The ported 68-point landmark network, on the sample photos and against dlib's own predictor's points. */
class Landmark68NetTest {

    /** A face annotated with dlib's 68 points (box in imglab's pixel convention). */
    record Truth(Path image, BoundingBox box, FaceShape shape) {
    }

    static List<Truth> read(Path xml) throws Exception {
        var f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        var doc = f.newDocumentBuilder().parse(xml.toFile());
        List<Truth> out = new ArrayList<>();
        NodeList images = doc.getElementsByTagName("image");
        for (int i = 0; i < images.getLength(); i++) {
            Element img = (Element) images.item(i);
            NodeList boxes = img.getElementsByTagName("box");
            for (int k = 0; k < boxes.getLength(); k++) {
                Element b = (Element) boxes.item(k);
                NodeList parts = b.getElementsByTagName("part");
                double[] xy = new double[2 * FaceShape.COUNT];
                for (int p = 0; p < parts.getLength(); p++) {
                    Element e = (Element) parts.item(p);
                    int idx = Integer.parseInt(e.getAttribute("name"));
                    xy[2 * idx] = Double.parseDouble(e.getAttribute("x"));
                    xy[2 * idx + 1] = Double.parseDouble(e.getAttribute("y"));
                }
                double left = Double.parseDouble(b.getAttribute("left"));
                double top = Double.parseDouble(b.getAttribute("top"));
                out.add(new Truth(xml.getParent().resolve(img.getAttribute("file")),
                        new BoundingBox(left, top, left + Double.parseDouble(b.getAttribute("width")),
                                top + Double.parseDouble(b.getAttribute("height"))), new FaceShape(xy)));
            }
        }
        return out;
    }

    /** Distance between the outer eye corners (36, 45): the usual normaliser of landmark errors. */
    static double eyeCorners(FaceShape s) {
        return Math.hypot(s.get(36).x() - s.get(45).x(), s.get(36).y() - s.get(45).y());
    }

    /** Mean point distance between two shapes, as a fraction of {@code truth}'s outer eye corners' distance. */
    static double error(FaceShape s, FaceShape truth) {
        double sum = 0;
        for (int i = 0; i < FaceShape.COUNT; i++) {
            sum += Math.hypot(s.get(i).x() - truth.get(i).x(), s.get(i).y() - truth.get(i).y());
        }
        return sum / FaceShape.COUNT / eyeCorners(truth);
    }

    /** Mean distance, in chip pixels, at which two image → chip maps put the points of {@code shape}. */
    static double chipShift(SimilarityTransform a, SimilarityTransform b, FaceShape shape) {
        double sum = 0;
        for (int i = 0; i < FaceShape.COUNT; i++) {
            Point pa = a.apply(shape.get(i));
            Point pb = b.apply(shape.get(i));
            sum += Math.hypot(pa.x() - pb.x(), pa.y() - pb.y());
        }
        return sum / FaceShape.COUNT;
    }

    @Test
    void pointsLieOnTheFacesMtcnnFinds() throws Exception {
        RgbImage photo = RgbImage.read(WeightStore.defaultStore().require(WeightFile.SAMPLE_1));
        try (MtcnnDetector detector = MtcnnDetector.load(WeightStore.defaultStore(), MtcnnOptions.defaults());
                Landmark68Net net = Landmark68Net.load(WeightStore.defaultStore(), null)) {
            List<DetectedFace> faces = detector.detect(photo);
            assertTrue(faces.size() >= 2, "faces in sample 1: " + faces.size());
            List<BoundingBox> squares = faces.stream().map(f -> Landmark68Net.squareBelow(f.box())).toList();
            List<FaceShape> shapes = net.predict(photo, squares);
            assertEquals(faces.size(), shapes.size());
            for (int i = 0; i < faces.size(); i++) {
                FaceShape s = shapes.get(i);
                var five = faces.get(i).landmarks();
                double eyes = Math.hypot(five.get(0).x() - five.get(1).x(), five.get(0).y() - five.get(1).y());
                // the eye centres (means of each eye's six points), the nose tip and the mouth corners of the
                // network fall within a fifth of the eye distance of MTCNN's five points
                Point[] mine = {s.mean(36, 41), s.mean(42, 47), s.get(30), s.get(48), s.get(54)};
                for (int k = 0; k < 5; k++) {
                    double d = Math.hypot(mine[k].x() - five.get(k).x(), mine[k].y() - five.get(k).y());
                    assertTrue(d < 0.2 * eyes, "face " + i + " point " + k + " is " + d + " px from MTCNN's (eyes "
                            + eyes + " px apart)");
                }
                // a batch gives each face what it gets alone
                FaceShape alone = net.predict(photo, List.of(squares.get(i))).get(0);
                assertEquals(0, error(alone, s), 1e-4);
            }
        }
    }

    /**
     * Found on 42 of the 43 faces of dlib's annotated PASCAL VOC photos (37–109 px boxes), against the points dlib's
     * 68-point predictor put there: a mean error of 0.057 of the eye-corner distance, and dlib chips that put the 68
     * points 1.85 px (of 150) from where the chips of dlib's own points put them, against 4.26 px for MTCNN's five
     * points on the dlib template.
     */
    @Test
    void dlibChipsFromTheNetworkAreCloserToDlibsOwnThanFromFivePoints() throws Exception {
        Path dir = SharedData.require("data/stills/dlib_faces");
        List<Truth> all = new ArrayList<>(read(dir.resolve("training_with_face_landmarks.xml")));
        all.addAll(read(dir.resolve("testing_with_face_landmarks.xml")));
        assertEquals(43, all.size());
        double error = 0;
        double shiftShape = 0;
        double shiftFive = 0;
        double shiftSym = 0;
        double errorSym = 0;
        int n = 0;
        try (MtcnnDetector detector = MtcnnDetector.load(WeightStore.defaultStore(), MtcnnOptions.defaults());
                Landmark68Net net = Landmark68Net.load(WeightStore.defaultStore(), null)) {
            for (Truth t : all) {
                RgbImage image = RgbImage.read(t.image());
                DetectedFace best = null;
                for (DetectedFace d : detector.detect(image)) {
                    if (d.box().iou(t.box()) > 0.4 && (best == null || d.box().iou(t.box()) > best.box().iou(t.box()))) {
                        best = d;
                    }
                }
                if (best == null) {
                    continue;
                }
                FaceShape shape = net.predict(image, List.of(Landmark68Net.squareBelow(best.box()))).get(0);
                SimilarityTransform ideal = DlibChip.transform(t.shape(), DlibChip.SIZE, DlibChip.PADDING);
                error += error(shape, t.shape());
                shiftShape += chipShift(DlibChip.transform(shape, DlibChip.SIZE, DlibChip.PADDING), ideal, t.shape());
                FaceShape sym = net.predictSymmetric(List.of(image), List.of(Landmark68Net.squareBelow(best.box()))).get(0);
                shiftSym += chipShift(DlibChip.transform(sym, DlibChip.SIZE, DlibChip.PADDING), ideal, t.shape());
                errorSym += error(sym, t.shape());
                shiftFive += chipShift(SimilarityTransform.estimate(best.landmarks(), AlignmentTemplate.DLIB_150.points()),
                        ideal, t.shape());
                n++;
            }
        }
        error /= n;
        shiftShape /= n;
        shiftFive /= n;
        errorSym /= n;
        shiftSym /= n;
        System.out.printf("68 points on %d faces: mean error %.4f of the eye corners' distance; dlib chip off by %.2f px"
                + " (five points on the template: %.2f px); averaged with the mirror image's estimate: %.4f, %.2f px%n",
                n, error, shiftShape, shiftFive, errorSym, shiftSym);
        assertEquals(42, n, "faces found");
        assertTrue(error < 0.07, "mean landmark error " + error);
        assertTrue(shiftShape < 0.6 * shiftFive, "chip shift " + shiftShape + " against five points' " + shiftFive);
        // the two estimates err differently: their mean is nearer dlib's points, and so is its chip
        assertTrue(errorSym < 0.97 * error, "symmetric estimate's error " + errorSym + " against " + error);
        assertTrue(shiftSym < 0.95 * shiftShape, "symmetric estimate's chip shift " + shiftSym + " against " + shiftShape);
    }

    /**
     * The symmetric estimate of a mirror image is the mirror of the image's symmetric estimate, point for point: the
     * same two network outputs, averaged in the other order. The single estimate is not (the network was not trained
     * to be mirror-symmetric), which is what the mean makes use of.
     */
    @Test
    void symmetricEstimateCommutesWithTheMirror() throws Exception {
        RgbImage photo = RgbImage.read(WeightStore.defaultStore().require(WeightFile.SAMPLE_1));
        RgbImage mirror = photo.flipHorizontal();
        int w = photo.width();
        try (MtcnnDetector detector = MtcnnDetector.load(WeightStore.defaultStore(), MtcnnOptions.defaults());
                Landmark68Net net = Landmark68Net.load(WeightStore.defaultStore(), null)) {
            List<BoundingBox> squares = detector.detect(photo).stream()
                    .map(f -> Landmark68Net.squareBelow(f.box())).toList();
            List<BoundingBox> mirrored = squares.stream()
                    .map(b -> new BoundingBox(w - 1 - b.x2(), b.y1(), w - 1 - b.x1(), b.y2())).toList();
            List<FaceShape> sym = net.predictSymmetric(java.util.Collections.nCopies(squares.size(), photo), squares);
            List<FaceShape> symOfMirror = net.predictSymmetric(java.util.Collections.nCopies(squares.size(), mirror),
                    mirrored);
            List<FaceShape> single = net.predict(photo, squares);
            List<FaceShape> singleOfMirror = net.predict(mirror, mirrored);
            double asymmetry = 0;
            for (int i = 0; i < squares.size(); i++) {
                assertEquals(0, error(symOfMirror.get(i).mirror(w), sym.get(i)), 1e-4, "face " + i);
                asymmetry += error(singleOfMirror.get(i).mirror(w), single.get(i));
            }
            assertTrue(asymmetry / squares.size() > 0.005, "single estimates differ by " + asymmetry / squares.size());

            // mirroring only the face's neighbourhood reads what the whole mirror image gives, also for a square
            // reaching past the image's edges
            List<BoundingBox> boxes = new java.util.ArrayList<>(squares);
            BoundingBox first = squares.get(0);
            boxes.add(new BoundingBox(-first.width() / 3, -first.height() / 4, first.width() * 2 / 3,
                    first.height() * 3 / 4));
            boxes.add(new BoundingBox(w - first.width() / 2, photo.height() - first.height() / 2,
                    w + first.width() / 2, photo.height() + first.height() / 2));
            List<FaceShape> fast = net.predictSymmetric(java.util.Collections.nCopies(boxes.size(), photo), boxes);
            List<FaceShape> whole = net.predict(photo, boxes);
            List<FaceShape> wholeMirror = net.predict(mirror, boxes.stream()
                    .map(b -> new BoundingBox(w - 1 - b.x2(), b.y1(), w - 1 - b.x1(), b.y2())).toList());
            for (int i = 0; i < boxes.size(); i++) {
                double[] a = whole.get(i).xy();
                double[] m = wholeMirror.get(i).mirror(w).xy();
                double[] f = fast.get(i).xy();
                for (int k = 0; k < a.length; k++) {
                    assertEquals((a[k] + m[k]) / 2, f[k], 1e-3, "box " + i + " coordinate " + k);
                }
            }
        }
    }
}
