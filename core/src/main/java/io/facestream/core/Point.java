package io.facestream.core;

/** A point in image pixel coordinates (x = column, y = row, pixel centres at integers). */
public record Point(double x, double y) {

    public Point {
        if (!Double.isFinite(x) || !Double.isFinite(y)) {
            throw new IllegalArgumentException("point coordinates must be finite, were (" + x + ", " + y + ")");
        }
    }
}
