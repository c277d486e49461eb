package io.facestream.recognize.detect;

import io.facestream.core.BoundingBox;
import io.facestream.core.DetectedFace;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Detection precision and recall against annotated face boxes, and a reader for dlib's imglab XML
 * annotations ({@code <image file=..><box top left width height [ignore]/>}).
 */
public final class DetectionQuality {

    /** The usual detection criterion: a detection matches a face when their IoU is at least 0.5 (PASCAL VOC). */
    public static final double DEFAULT_MIN_IOU = 0.5;

    private DetectionQuality() {
    }

    /** One annotated image: file relative to the XML's folder, the faces to find, and boxes marked ignore. */
    public record AnnotatedImage(Path file, List<BoundingBox> faces, List<BoundingBox> ignored) {
    }

    /** Match counts; they add up over images. */
    public record Counts(int truePositives, int falsePositives, int falseNegatives) {

        /** No detections, no faces. */
        public static final Counts ZERO = new Counts(0, 0, 0);

        /** Sum of two counts. */
        public Counts plus(Counts o) {
            return new Counts(truePositives + o.truePositives, falsePositives + o.falsePositives,
                    falseNegatives + o.falseNegatives);
        }

        /** Matched detections over all detections (1 when there are none). */
        public double precision() {
            int d = truePositives + falsePositives;
            return d == 0 ? 1 : (double) truePositives / d;
        }

        /** Found faces over all faces (1 when there are none). */
        public double recall() {
            int f = truePositives + falseNegatives;
            return f == 0 ? 1 : (double) truePositives / f;
        }
    }

    /**
     * Reads a dlib imglab dataset XML. A box with pixel columns {@code left .. left+width−1} covers
     * {@code [left − 0.5, left + width − 0.5]} in the detector's frame, where pixel centres are integers.
     */
    public static List<AnnotatedImage> readDlibXml(Path xml) throws IOException {
        Document doc;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            doc = f.newDocumentBuilder().parse(xml.toFile());
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException(xml + " is not a readable imglab XML file: " + e.getMessage(), e);
        }
        Path dir = xml.toAbsolutePath().getParent();
        List<AnnotatedImage> out = new ArrayList<>();
        NodeList images = doc.getElementsByTagName("image");
        for (int i = 0; i < images.getLength(); i++) {
            Element img = (Element) images.item(i);
            List<BoundingBox> faces = new ArrayList<>();
            List<BoundingBox> ignored = new ArrayList<>();
            NodeList boxes = img.getElementsByTagName("box");
            for (int k = 0; k < boxes.getLength(); k++) {
                Element b = (Element) boxes.item(k);
                double left = number(b, "left", xml);
                double top = number(b, "top", xml);
                BoundingBox box = new BoundingBox(left - 0.5, top - 0.5, left + number(b, "width", xml) - 0.5,
                        top + number(b, "height", xml) - 0.5);
                ("1".equals(b.getAttribute("ignore")) ? ignored : faces).add(box);
            }
            out.add(new AnnotatedImage(dir.resolve(img.getAttribute("file")), List.copyOf(faces), List.copyOf(ignored)));
        }
        return out;
    }

    private static double number(Element e, String attr, Path xml) throws IOException {
        String v = e.getAttribute(attr);
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException ex) {
            throw new IOException(xml + ": box attribute " + attr + "='" + v + "' is not a number", ex);
        }
    }

    /**
     * Greedy matching, highest score first: a detection takes the unmatched face it overlaps most, if
     * that IoU is at least {@code minIou}. A detection that matches only an ignored box counts nowhere.
     */
    public static Counts match(List<BoundingBox> faces, List<BoundingBox> ignored, List<DetectedFace> detections,
            double minIou) {
        List<DetectedFace> order = new ArrayList<>(detections);
        order.sort(Comparator.comparingDouble(DetectedFace::score).reversed());
        boolean[] taken = new boolean[faces.size()];
        int tp = 0;
        int fp = 0;
        for (DetectedFace d : order) {
            int best = -1;
            double bestIou = minIou;
            for (int i = 0; i < faces.size(); i++) {
                double iou = faces.get(i).iou(d.box());
                if (!taken[i] && iou >= bestIou) {
                    best = i;
                    bestIou = iou;
                }
            }
            if (best >= 0) {
                taken[best] = true;
                tp++;
            } else if (ignored.stream().noneMatch(g -> g.iou(d.box()) >= minIou)) {
                fp++;
            }
        }
        return new Counts(tp, fp, faces.size() - tp);
    }

    /** For each face, the best IoU any detection reaches (0 when none overlaps); shows near misses. */
    public static double[] bestIous(List<BoundingBox> faces, List<DetectedFace> detections) {
        double[] out = new double[faces.size()];
        for (int i = 0; i < faces.size(); i++) {
            for (DetectedFace d : detections) {
                out[i] = Math.max(out[i], faces.get(i).iou(d.box()));
            }
        }
        return out;
    }
}
