package io.facestream.recognize.job;

import io.facestream.core.BoundingBox;
import io.facestream.core.DetectedFace;
import io.facestream.core.Landmarks;
import io.facestream.core.Point;
import io.facestream.recognize.image.RgbImage;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A face cut from its frame with a margin, with its box and landmarks in the cut's coordinates: what the unknown
 * grouping needs to embed the face with a second network (any alignment can be made from it) and what an operator
 * enrols when naming a group (a detector finds the face in it again).
 *
 * <p>The cut travels as pixels and is encoded as JPEG ({@link #jpeg()}) only where it is kept: every face of a job
 * that groups carries one, and few of them are kept, so encoding each cost the recognize step more than the copy.
 *
 * @param cut the cut, pixels
 * @param box the detector's box in the cut
 * @param landmarks the five landmarks in the cut
 */
public record LooseFace(RgbImage cut, BoundingBox box, Landmarks landmarks) {

    /** The margin on each side, as a share of the box's larger side: room for a detector's context. */
    static final double MARGIN = 0.5;
    /** The longest side of a cut; a larger face is scaled down (the second network takes 150 px). */
    static final int MAX_SIDE = 320;

    public LooseFace {
        if (cut == null || box == null || landmarks == null) {
            throw new IllegalArgumentException("a loose face needs its cut, box and landmarks");
        }
    }

    /** The face {@code d} of {@code frame}, cut with {@link #MARGIN} and scaled to at most {@link #MAX_SIDE}. */
    public static LooseFace of(RgbImage frame, DetectedFace d) {
        BoundingBox b = d.box();
        double side = Math.max(b.width(), b.height());
        int x0 = clamp((int) Math.floor(b.x1() - MARGIN * side), frame.width() - 1);
        int y0 = clamp((int) Math.floor(b.y1() - MARGIN * side), frame.height() - 1);
        int x1 = clamp((int) Math.ceil(b.x2() + MARGIN * side), frame.width());
        int y1 = clamp((int) Math.ceil(b.y2() + MARGIN * side), frame.height());
        int w = Math.max(1, x1 - x0);
        int h = Math.max(1, y1 - y0);
        double scale = Math.min(1.0, (double) MAX_SIDE / Math.max(w, h));
        int ow = Math.max(1, (int) Math.round(w * scale));
        int oh = Math.max(1, (int) Math.round(h * scale));
        // Only the region is copied out of the frame: converting a whole 1080p frame for each face would cost more
        // than the face's embedding.
        byte[] px = frame.pixels();
        byte[] region = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            System.arraycopy(px, ((y0 + y) * frame.width() + x0) * 3, region, y * w * 3, w * 3);
        }
        RgbImage cut = new RgbImage(w, h, region);
        if (ow != w || oh != h) {
            BufferedImage scaled = new BufferedImage(ow, oh, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = scaled.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.drawImage(cut.toBufferedImage(), 0, 0, ow, oh, null);
            } finally {
                g.dispose();
            }
            cut = RgbImage.fromBufferedImage(scaled);
        }
        double sx = (double) ow / w;
        double sy = (double) oh / h;
        BoundingBox box = new BoundingBox((b.x1() - x0) * sx, (b.y1() - y0) * sy, (b.x2() - x0) * sx, (b.y2() - y0) * sy);
        List<Point> points = new ArrayList<>(Landmarks.COUNT);
        for (Point p : d.landmarks().points()) {
            points.add(new Point((p.x() - x0) * sx, (p.y() - y0) * sy));
        }
        return new LooseFace(cut, box, new Landmarks(points));
    }

    /** The face as the detector's result in the cut's coordinates. */
    public DetectedFace detected() {
        return new DetectedFace(box, 1.0, landmarks);
    }

    private static int clamp(int v, int max) {
        return Math.max(0, Math.min(max, v));
    }

    /** The cut as JPEG, encoded on each call. */
    public byte[] jpeg() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(cut.toBufferedImage(), "jpg", out)) {
                throw new IllegalStateException("no JPEG writer in this JVM");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode a face cut as JPEG", e);
        }
        return out.toByteArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LooseFace f && cut.width() == f.cut.width() && Arrays.equals(cut.pixels(), f.cut.pixels())
                && box.equals(f.box) && landmarks.equals(f.landmarks);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(cut.pixels()) * 31 + box.hashCode();
    }

    @Override
    public String toString() {
        return "LooseFace[" + cut.width() + "x" + cut.height() + ", " + box + "]";
    }
}
