package io.facestream.recognize.align;

import io.facestream.core.Landmarks;
import io.facestream.core.Point;

/**
 * A 2-D similarity (rotation, uniform scale, translation, no reflection) mapping image coordinates
 * to crop coordinates: {@code u = a·x − b·y + tx}, {@code v = b·x + a·y + ty}.
 */
public record SimilarityTransform(double a, double b, double tx, double ty) {

    public SimilarityTransform {
        if (!(Double.isFinite(a) && Double.isFinite(b) && Double.isFinite(tx) && Double.isFinite(ty))) {
            throw new IllegalArgumentException("similarity parameters must be finite: a=" + a + " b=" + b + " tx=" + tx + " ty=" + ty);
        }
    }

    /**
     * The least-squares similarity taking {@code src} onto {@code dst} (Umeyama without reflection).
     * In 2-D it has the closed form {@code a = Σ(sx·dx + sy·dy)/Σ|s|²}, {@code b = Σ(sx·dy − sy·dx)/Σ|s|²}
     * on centred points, which equals the SVD solution to rounding.
     */
    public static SimilarityTransform estimate(Landmarks src, double[][] dst) {
        int n = Landmarks.COUNT;
        if (dst.length != n) {
            throw new IllegalArgumentException("template must have " + n + " points, had " + dst.length);
        }
        double[][] s = new double[n][];
        for (int i = 0; i < n; i++) {
            s[i] = new double[] {src.get(i).x(), src.get(i).y()};
        }
        return estimate(s, dst);
    }

    /** The least-squares similarity taking points {@code src[i]} onto {@code dst[i]}, any number of pairs (x, y). */
    public static SimilarityTransform estimate(double[][] src, double[][] dst) {
        int n = src.length;
        if (dst.length != n || n < 2) {
            throw new IllegalArgumentException("need as many target points as source points, at least 2; had " + n
                    + " and " + dst.length);
        }
        double msx = 0;
        double msy = 0;
        double mdx = 0;
        double mdy = 0;
        for (int i = 0; i < n; i++) {
            msx += src[i][0];
            msy += src[i][1];
            mdx += dst[i][0];
            mdy += dst[i][1];
        }
        msx /= n;
        msy /= n;
        mdx /= n;
        mdy /= n;
        double num1 = 0;
        double num2 = 0;
        double den = 0;
        for (int i = 0; i < n; i++) {
            double sx = src[i][0] - msx;
            double sy = src[i][1] - msy;
            double dx = dst[i][0] - mdx;
            double dy = dst[i][1] - mdy;
            num1 += sx * dx + sy * dy;
            num2 += sx * dy - sy * dx;
            den += sx * sx + sy * sy;
        }
        if (!(den > 1e-12)) {
            throw new IllegalArgumentException("cannot align: the " + n + " landmarks coincide (spread " + den + ")");
        }
        double a = num1 / den;
        double b = num2 / den;
        double tx = mdx - (a * msx - b * msy);
        double ty = mdy - (b * msx + a * msy);
        return new SimilarityTransform(a, b, tx, ty);
    }

    /** Maps an image point into the crop. */
    public Point apply(Point p) {
        return new Point(a * p.x() - b * p.y() + tx, b * p.x() + a * p.y() + ty);
    }

    /** The inverse similarity (crop → image). */
    public SimilarityTransform inverse() {
        double s2 = a * a + b * b;
        double ia = a / s2;
        double ib = -b / s2;
        // inverse of [[a,-b],[b,a]] is [[a,b],[-b,a]]/s2; translation follows
        double itx = -(ia * tx - ib * ty);
        double ity = -(ib * tx + ia * ty);
        return new SimilarityTransform(ia, ib, itx, ity);
    }

    /** Scale factor of the transform. */
    public double scale() {
        return Math.hypot(a, b);
    }

    /** As a 2×3 matrix {@code [[a, −b, tx], [b, a, ty]]}. */
    public double[][] toMatrix() {
        return new double[][] {{a, -b, tx}, {b, a, ty}};
    }
}
