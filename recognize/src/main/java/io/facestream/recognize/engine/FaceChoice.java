package io.facestream.recognize.engine;

import io.facestream.core.BoundingBox;
import io.facestream.core.DetectedFace;
import io.facestream.core.Landmarks;
import io.facestream.recognize.align.AlignmentTemplate;
import io.facestream.recognize.image.Contrast;
import io.facestream.recognize.image.RgbImage;
import java.util.List;
import java.util.function.Function;

/** Which face of an image stands for the image, and what to use when the detector finds none. */
public final class FaceChoice {

    /**
     * Side of the fallback box as a fraction of the image's shorter side. In LFW's 250×250 images the
     * face spans roughly the central 100 pixels; a centred crop of that size is what a missed
     * detection most likely held.
     */
    public static final double FALLBACK_BOX_FRACTION = 0.4;

    /** Border added on each side, as a fraction of the longer image side, when a second look is needed. */
    public static final double CONTEXT_BORDER = 0.25;

    /**
     * The three stages' threshold of the last look, on the equalised image with its border: the detector's best guess
     * at a tenth of its usual confidence, for an image known to be a portrait. Chosen among 0.5, 0.3, 0.2 and 0.1 on
     * verification pairs of Extended Yale B's training people (README, "Verification on LFW"); no test set was used.
     */
    public static final double LAST_LOOK_THRESHOLD = 0.1;

    private FaceChoice() {
    }

    /** The face that stands for an image, and whether it is the {@link #fallback} because none was found. */
    public record Portrait(DetectedFace face, boolean fallback) {
    }

    /** How an image with several faces picks the one that stands for it. */
    public enum Rule {
        /** {@link #central}: the largest box near the centre, facenet's rule and the default. */
        CENTRAL,
        /** {@link #largest}: the largest box wherever it is (facenet-pytorch's {@code select_largest}). */
        LARGEST,
        /** The box the detector is most sure of. */
        CONFIDENT;

        /** The chosen face of {@code faces} on a {@code width}×{@code height} image, or null when there is none. */
        public DetectedFace pick(List<DetectedFace> faces, int width, int height) {
            return switch (this) {
                case CENTRAL -> central(faces, width, height);
                case LARGEST -> largest(faces);
                case CONFIDENT -> faces.stream().max(java.util.Comparator.comparingDouble(DetectedFace::score)).orElse(null);
            };
        }

        /** Parses a command-line value, case-insensitively. */
        public static Rule parse(String value) {
            for (Rule r : values()) {
                if (r.name().equalsIgnoreCase(value)) {
                    return r;
                }
            }
            throw new IllegalArgumentException("face choice must be central, largest or confident, was \"" + value + "\"");
        }
    }

    /** {@link #portrait(FaceEngine, RgbImage, List, Rule)} with the {@link Rule#CENTRAL} rule. */
    public static Portrait portrait(FaceEngine engine, RgbImage image, List<DetectedFace> found) {
        return portrait(engine, image, found, Rule.CENTRAL);
    }

    /**
     * Sides of the portrait boxes ({@link #portraitFaces}), as fractions of the image's longer side: from a face in
     * the middle half of the photo to one that fills it and runs past its edges, as in tightly cropped sets.
     */
    static final double[] PORTRAIT_SIDES = {0.5, 0.75, 1.0, 1.25};

    /** A face box is a part of a larger face when that face's box has at least this many times its area ... */
    static final double PART_AREA_RATIO = 2.0;

    /** ... and holds at least this fraction of it. */
    static final double PART_INSIDE = 0.8;

    /**
     * The face a data set's image is about: the one {@code rule} picks of {@code found} (the detector's faces on the
     * image), else of a second look with a border ({@link #detectWithBorder}), else of a third look with a border at
     * the image with its contrast equalised ({@link Contrast#equalized}), else of a last look like the third with the
     * detector's thresholds lowered to {@link #LAST_LOOK_THRESHOLD}, else the {@link #fallback} crop.
     *
     * <p>Each look also asks R-Net and O-Net about the whole portrait ({@link #portraitFaces}), and a pick that lies
     * inside a face at least twice its size is a part of that face, not a face ({@link #wholeFace}). In a photo the
     * face fills, MTCNN's pyramid often finds only such a part (an eye and the nose, the mouth and the chin) and
     * misses the face around it; aligned on the part's landmarks, the crop shows the wrong region at the wrong scale
     * (README, "Verification on LFW"). The face is aligned and embedded from the original image whichever look found
     * it. Every command that embeds a labelled set chooses its faces this way.
     */
    public static Portrait portrait(FaceEngine engine, RgbImage image, List<DetectedFace> found, Rule rule) {
        int w = image.width();
        int h = image.height();
        List<DetectedFace> whole = portraitFaces(engine, image, 0);
        DetectedFace face = wholeFace(rule.pick(found, w, h), whole, rule, w, h);
        if (face == null) {
            face = wholeFace(rule.pick(detectWithBorder(engine, image), w, h), whole, rule, w, h);
        }
        if (face == null) {
            // A face half in deep shadow (Extended Yale B's light from far to the side) has its shape in levels
            // MTCNN does not respond to; equalised, most such faces are found (README, "Verification on LFW").
            RgbImage equalised = Contrast.equalized(image);
            face = wholeFace(rule.pick(detectWithBorder(engine, equalised), w, h),
                    portraitFaces(engine, equalised, 0), rule, w, h);
            if (face == null) {
                face = wholeFace(rule.pick(detectWithBorder(equalised,
                                framed -> engine.detectUnsure(framed, LAST_LOOK_THRESHOLD)), w, h),
                        portraitFaces(engine, equalised, LAST_LOOK_THRESHOLD), rule, w, h);
            }
        }
        return face != null ? new Portrait(face, false) : new Portrait(fallback(w, h), true);
    }

    /**
     * Faces R-Net and O-Net find from square boxes centred on the image ({@link #PORTRAIT_SIDES} of its longer side,
     * each also grown as {@link FaceEngine#redetect} does), with the border of {@link #detectWithBorder} so that boxes
     * larger than the image have context: the portrait's own face at its own scale, which the pyramid can miss.
     * {@code threshold} is the three stages' threshold (0: the detector's own). In the original image's coordinates.
     */
    public static List<DetectedFace> portraitFaces(FaceEngine engine, RgbImage image, double threshold) {
        double longer = Math.max(image.width(), image.height());
        return detectWithBorder(image, framed -> {
            double cx = framed.width() / 2.0;
            double cy = framed.height() / 2.0;
            List<BoundingBox> boxes = new java.util.ArrayList<>(PORTRAIT_SIDES.length);
            for (double side : PORTRAIT_SIDES) {
                double half = side * longer / 2;
                boxes.add(new BoundingBox(cx - half, cy - half, cx + half, cy + half));
            }
            return engine.redetect(framed, boxes, threshold);
        });
    }

    /**
     * {@code pick}, unless it is a part of a larger face of {@code whole}: one with at least {@link #PART_AREA_RATIO}
     * times its box's area that holds at least {@link #PART_INSIDE} of its box (then the largest such face). Faces do
     * not hold faces. The detector's last suppression already drops the lesser of two such boxes, but it keeps the
     * part when the part scores higher, and it cannot help when the pyramid never proposed the whole face, as in a
     * photo the face fills. When {@code pick} is null, what {@code rule} picks of {@code whole}.
     */
    static DetectedFace wholeFace(DetectedFace pick, List<DetectedFace> whole, Rule rule, int width, int height) {
        if (pick == null) {
            return rule.pick(whole, width, height);
        }
        BoundingBox part = pick.box();
        DetectedFace best = pick;
        for (DetectedFace f : whole) {
            BoundingBox b = f.box();
            if (b.area() >= PART_AREA_RATIO * part.area() && b.intersection(part) >= PART_INSIDE * part.area()
                    && b.area() > best.box().area()) {
                best = f;
            }
        }
        return best;
    }

    /**
     * Detects again with a black border around the image. MTCNN's windows need some context around a
     * face; in tightly cropped sets (Extended Yale B fills the frame with the face) it finds nothing
     * without it. Boxes and landmarks come back in the original image's coordinates.
     */
    public static List<DetectedFace> detectWithBorder(FaceEngine engine, RgbImage image) {
        return detectWithBorder(image, engine::detect);
    }

    /** {@link #detectWithBorder(FaceEngine, RgbImage)} with {@code detector} looking at the bordered image. */
    private static List<DetectedFace> detectWithBorder(RgbImage image,
            Function<RgbImage, List<DetectedFace>> detector) {
        int b = (int) Math.round(CONTEXT_BORDER * Math.max(image.width(), image.height()));
        int w = image.width() + 2 * b;
        int h = image.height() + 2 * b;
        byte[] px = new byte[w * h * 3];
        byte[] src = image.pixels();
        for (int y = 0; y < image.height(); y++) {
            System.arraycopy(src, y * image.width() * 3, px, ((y + b) * w + b) * 3, image.width() * 3);
        }
        List<DetectedFace> found = detector.apply(new RgbImage(w, h, px));
        List<DetectedFace> out = new java.util.ArrayList<>(found.size());
        for (DetectedFace f : found) {
            BoundingBox box = f.box();
            double[] xy = new double[2 * Landmarks.COUNT];
            for (int i = 0; i < Landmarks.COUNT; i++) {
                xy[2 * i] = f.landmarks().get(i).x() - b;
                xy[2 * i + 1] = f.landmarks().get(i).y() - b;
            }
            out.add(new DetectedFace(new BoundingBox(box.x1() - b, box.y1() - b, box.x2() - b, box.y2() - b),
                    f.score(), Landmarks.of(xy)));
        }
        return out;
    }

    /** The largest face, or null when there is none. */
    public static DetectedFace largest(List<DetectedFace> faces) {
        DetectedFace best = null;
        for (DetectedFace f : faces) {
            if (best == null || f.box().area() > best.box().area()) {
                best = f;
            }
        }
        return best;
    }

    /**
     * The face a centred portrait is about: the largest box, penalised by twice the squared distance of
     * its centre from the image centre (facenet's {@code align_dataset_mtcnn} rule). Null when none.
     */
    public static DetectedFace central(List<DetectedFace> faces, int width, int height) {
        DetectedFace best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (DetectedFace f : faces) {
            BoundingBox b = f.box();
            double dx = (b.x1() + b.x2()) / 2 - width / 2.0;
            double dy = (b.y1() + b.y2()) / 2 - height / 2.0;
            double score = b.area() - 2.0 * (dx * dx + dy * dy);
            if (score > bestScore) {
                bestScore = score;
                best = f;
            }
        }
        return best;
    }

    /**
     * The documented stand-in when no face is found: a centred square with side
     * {@link #FALLBACK_BOX_FRACTION} of the shorter image side, with the five landmarks placed where the
     * ArcFace template puts them in that square. Aligning on it is a plain centre crop. Score 0.
     */
    public static DetectedFace fallback(int width, int height) {
        double side = FALLBACK_BOX_FRACTION * Math.min(width, height);
        double x1 = (width - side) / 2;
        double y1 = (height - side) / 2;
        double[][] t = AlignmentTemplate.ARCFACE_112.points();
        double s = side / AlignmentTemplate.ARCFACE_112.size();
        double[] xy = new double[10];
        for (int i = 0; i < 5; i++) {
            xy[2 * i] = x1 + t[i][0] * s;
            xy[2 * i + 1] = y1 + t[i][1] * s;
        }
        return new DetectedFace(new BoundingBox(x1, y1, x1 + side, y1 + side), 0, Landmarks.of(xy));
    }
}
