package io.facestream.recognize.align;

import io.facestream.core.BoundingBox;
import io.facestream.core.Landmarks;
import io.facestream.recognize.image.RgbImage;

/**
 * Cuts aligned face crops out of an image: the five landmarks are mapped onto a template by a
 * similarity transform and the crop is sampled bilinearly, in double precision and unrounded
 * (rounding to 8 bits costs ~1e-4 of embedding cosine), with zeros outside the image — the same as
 * OpenCV {@code warpAffine(INTER_LINEAR, BORDER_CONSTANT 0)} without its fixed-point steps.
 */
public final class FaceAligner {

    private FaceAligner() {
    }

    /** The aligned crop of a face for a template. */
    public static FaceCrop align(RgbImage image, Landmarks landmarks, AlignmentTemplate template) {
        SimilarityTransform m = SimilarityTransform.estimate(landmarks, template.points());
        return warp(image, m, template.size());
    }

    /** MTCNN landmark order after a left-right mirror: the eyes swap, and so do the mouth corners. */
    private static final int[] MIRROR_ORDER = {1, 0, 2, 4, 3};

    /**
     * The aligned crop of the face's mirror image: the image is mirrored, the landmarks mirrored and
     * relabelled (left eye ↔ right eye, left mouth corner ↔ right one) and aligned onto the same
     * template. Unlike flipping the aligned crop, this puts the mirrored face exactly on the template,
     * which is not symmetric about the crop's centre.
     */
    public static FaceCrop alignMirrored(RgbImage image, Landmarks landmarks, AlignmentTemplate template) {
        return warpMirrored(image, SimilarityTransform.estimate(mirror(landmarks, image.width()), template.points()),
                template.size());
    }

    /**
     * The landmarks of a face in an image {@code width} pixels wide as they lie in the mirrored image: x becomes
     * {@code width − 1 − x}, and image-left and image-right points swap labels (eyes, mouth corners).
     */
    public static Landmarks mirror(Landmarks landmarks, int width) {
        double[] xy = new double[2 * Landmarks.COUNT];
        for (int i = 0; i < Landmarks.COUNT; i++) {
            var p = landmarks.get(MIRROR_ORDER[i]);
            xy[2 * i] = width - 1 - p.x();
            xy[2 * i + 1] = p.y();
        }
        return Landmarks.of(xy);
    }

    /**
     * Samples the crop of the image's mirror image whose transform is {@code mirroredToCrop} (mirrored image → crop),
     * reading the original image: pixel x of the mirror is pixel {@code W − 1 − x} of the image.
     */
    public static FaceCrop warpMirrored(RgbImage image, SimilarityTransform mirroredToCrop, int size) {
        SimilarityTransform inv = mirroredToCrop.inverse();
        double w1 = image.width() - 1;
        return sample(image, new double[] {-inv.a(), inv.b(), w1 - inv.tx(), inv.b(), inv.a(), inv.ty()}, size);
    }

    /** Samples {@code size×size} crop pixels {@code (u, v)} at image point {@code M⁻¹·(u, v)}. */
    public static FaceCrop warp(RgbImage image, SimilarityTransform imageToCrop, int size) {
        SimilarityTransform inv = imageToCrop.inverse();
        return sample(image, new double[] {inv.a(), -inv.b(), inv.tx(), inv.b(), inv.a(), inv.ty()}, size);
    }

    /**
     * Bilinear sampling of crop pixel {@code (u, v)} at image point
     * {@code (m[0]·u + m[1]·v + m[2], m[3]·u + m[4]·v + m[5])}; zeros outside the image.
     */
    private static FaceCrop sample(RgbImage image, double[] m, int size) {
        float[] out = new float[3 * size * size];
        int plane = size * size;
        int w = image.width();
        int h = image.height();
        byte[] px = image.pixels();
        for (int v = 0; v < size; v++) {
            for (int u = 0; u < size; u++) {
                double sx = m[0] * u + m[1] * v + m[2];
                double sy = m[3] * u + m[4] * v + m[5];
                double fx0 = Math.floor(sx);
                double fy0 = Math.floor(sy);
                int x0 = (int) fx0;
                int y0 = (int) fy0;
                double fx = sx - fx0;
                double fy = sy - fy0;
                double r = 0;
                double g = 0;
                double bl = 0;
                for (int dy = 0; dy <= 1; dy++) {
                    int yy = y0 + dy;
                    if (yy < 0 || yy >= h) {
                        continue;
                    }
                    double wy = dy == 0 ? 1 - fy : fy;
                    for (int dx = 0; dx <= 1; dx++) {
                        int xx = x0 + dx;
                        if (xx < 0 || xx >= w) {
                            continue;
                        }
                        double wgt = wy * (dx == 0 ? 1 - fx : fx);
                        if (wgt == 0) {
                            continue;
                        }
                        int o = (yy * w + xx) * 3;
                        r += wgt * (px[o] & 0xff);
                        g += wgt * (px[o + 1] & 0xff);
                        bl += wgt * (px[o + 2] & 0xff);
                    }
                }
                int o = v * size + u;
                out[o] = (float) r;
                out[plane + o] = (float) g;
                out[2 * plane + o] = (float) bl;
            }
        }
        return new FaceCrop(size, out);
    }

    /**
     * A FaceNet-style crop: the detector box enlarged by {@code margin} of its size on each side,
     * clipped to the image, resized bilinearly to {@code size×size}. For networks trained on
     * unaligned boxes (facenet's 160×160 inputs).
     */
    public static FaceCrop marginCrop(RgbImage image, BoundingBox box, double margin, int size) {
        double mw = box.width() * margin;
        double mh = box.height() * margin;
        double x1 = Math.max(0, box.x1() - mw);
        double y1 = Math.max(0, box.y1() - mh);
        double x2 = Math.min(image.width() - 1, box.x2() + mw);
        double y2 = Math.min(image.height() - 1, box.y2() + mh);
        if (x2 <= x1 || y2 <= y1) {
            throw new IllegalArgumentException("the box " + box + " lies outside the " + image.width() + "x" + image.height() + " image");
        }
        double sx = (x2 - x1) / size;
        double sy = (y2 - y1) / size;
        // An axis-aligned map is a similarity only when sx == sy; sample each axis with its own scale.
        float[] out = new float[3 * size * size];
        int plane = size * size;
        for (int v = 0; v < size; v++) {
            double yy = y1 + (v + 0.5) * sy - 0.5;
            for (int u = 0; u < size; u++) {
                double xx = x1 + (u + 0.5) * sx - 0.5;
                for (int c = 0; c < 3; c++) {
                    out[c * plane + v * size + u] = (float) bilinearClamped(image, xx, yy, c);
                }
            }
        }
        return new FaceCrop(size, out);
    }

    private static double bilinearClamped(RgbImage img, double x, double y, int c) {
        double cx = Math.min(Math.max(x, 0), img.width() - 1);
        double cy = Math.min(Math.max(y, 0), img.height() - 1);
        int x0 = (int) Math.floor(cx);
        int y0 = (int) Math.floor(cy);
        int x1 = Math.min(x0 + 1, img.width() - 1);
        int y1 = Math.min(y0 + 1, img.height() - 1);
        double fx = cx - x0;
        double fy = cy - y0;
        return (1 - fy) * ((1 - fx) * img.get(x0, y0, c) + fx * img.get(x1, y0, c))
                + fy * ((1 - fx) * img.get(x0, y1, c) + fx * img.get(x1, y1, c));
    }
}
