package io.facestream.core;

/** An axis-aligned face box in pixel coordinates, corners (x1, y1) top-left and (x2, y2) bottom-right. */
public record BoundingBox(double x1, double y1, double x2, double y2) {

    public BoundingBox {
        if (!Double.isFinite(x1) || !Double.isFinite(y1) || !Double.isFinite(x2) || !Double.isFinite(y2)) {
            throw new IllegalArgumentException("box corners must be finite, were " + x1 + ", " + y1 + ", " + x2 + ", " + y2);
        }
        if (x2 < x1 || y2 < y1) {
            throw new IllegalArgumentException("box must have x2 >= x1 and y2 >= y1, was [" + x1 + ", " + y1 + ", " + x2 + ", " + y2 + "]");
        }
    }

    public double width() {
        return x2 - x1;
    }

    public double height() {
        return y2 - y1;
    }

    public double area() {
        return width() * height();
    }

    /** Intersection over union with another box (continuous coordinates). */
    public double iou(BoundingBox o) {
        double inter = intersection(o);
        return inter <= 0 ? 0 : inter / (area() + o.area() - inter);
    }

    /** The area this box shares with another (continuous coordinates); 0 when they do not overlap. */
    public double intersection(BoundingBox o) {
        double iw = Math.min(x2, o.x2) - Math.max(x1, o.x1);
        double ih = Math.min(y2, o.y2) - Math.max(y1, o.y1);
        return iw <= 0 || ih <= 0 ? 0 : iw * ih;
    }

    /** The corners as {@code [x1, y1, x2, y2]}. */
    public double[] toArray() {
        return new double[] {x1, y1, x2, y2};
    }
}
