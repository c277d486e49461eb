package io.facestream.recognize.landmark;

import io.facestream.core.Point;

/**
 * The 68 landmarks of one face in the iBUG 300-W scheme, in image pixels: jaw 0–16, eyebrows 17–26, nose 27–35,
 * eyes 36–47 (the image-left eye first), mouth 48–67.
 *
 * @param xy x0, y0, x1, y1, … (136 values)
 */
public record FaceShape(double[] xy) {

    /** Points in the scheme. */
    public static final int COUNT = 68;

    /**
     * Which point each point becomes in the mirror image: the jaw, brows, eyes, nostrils and lips swap sides; the
     * points on the face's midline (nose bridge, nose tip, lip centres) stay.
     */
    private static final int[] MIRROR = mirrorOrder();

    public FaceShape {
        if (xy.length != 2 * COUNT) {
            throw new IllegalArgumentException("a face shape has " + COUNT + " points (" + 2 * COUNT + " values), got "
                    + xy.length + " values");
        }
        for (double v : xy) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("face shape coordinates must be finite");
            }
        }
        xy = xy.clone();
    }

    /** Point {@code i}. */
    public Point get(int i) {
        return new Point(xy[2 * i], xy[2 * i + 1]);
    }

    /** The coordinates, x0, y0, x1, … (a copy). */
    @Override
    public double[] xy() {
        return xy.clone();
    }

    /** Mean of points {@code from..to} inclusive (an eye's centre is the mean of its six points). */
    public Point mean(int from, int to) {
        double x = 0;
        double y = 0;
        for (int i = from; i <= to; i++) {
            x += xy[2 * i];
            y += xy[2 * i + 1];
        }
        int n = to - from + 1;
        return new Point(x / n, y / n);
    }

    /**
     * The shape as it lies in the image mirrored left to right, {@code width} pixels wide: x becomes
     * {@code width − 1 − x} and the points are relabelled so that, for instance, point 36 is again the outer corner
     * of the image-left eye.
     */
    public FaceShape mirror(int width) {
        double[] m = new double[2 * COUNT];
        for (int i = 0; i < COUNT; i++) {
            int j = MIRROR[i];
            m[2 * i] = width - 1 - xy[2 * j];
            m[2 * i + 1] = xy[2 * j + 1];
        }
        return new FaceShape(m);
    }

    private static int[] mirrorOrder() {
        int[] m = new int[COUNT];
        for (int i = 0; i < COUNT; i++) {
            m[i] = i;
        }
        pairs(m, 0, 16, 8);                                // jaw, chin (8) on the midline
        pairs(m, 17, 26, 5);                               // eyebrows
        pairs(m, 31, 35, 2);                               // nostrils, 33 on the midline
        swap(m, 36, 45, 37, 44, 38, 43, 39, 42, 40, 47, 41, 46);  // eyes: corners and lids
        swap(m, 48, 54, 49, 53, 50, 52, 55, 59, 56, 58);   // outer lips, 51 and 57 on the midline
        swap(m, 60, 64, 61, 63, 65, 67);                   // inner lips, 62 and 66 on the midline
        return m;
    }

    /** Points {@code from..to} mirror about their middle: from ↔ to, from+1 ↔ to−1, … ({@code n} pairs). */
    private static void pairs(int[] m, int from, int to, int n) {
        for (int k = 0; k < n; k++) {
            m[from + k] = to - k;
            m[to - k] = from + k;
        }
    }

    private static void swap(int[] m, int... ab) {
        for (int k = 0; k < ab.length; k += 2) {
            m[ab[k]] = ab[k + 1];
            m[ab[k + 1]] = ab[k];
        }
    }
}
