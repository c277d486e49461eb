package io.facestream.core;

import java.util.List;

/**
 * The five facial landmarks of MTCNN, in its order: image-left eye, image-right eye, nose,
 * image-left mouth corner, image-right mouth corner.
 */
public record Landmarks(List<Point> points) {

    /** Number of landmarks MTCNN predicts. */
    public static final int COUNT = 5;

    public Landmarks {
        if (points == null || points.size() != COUNT) {
            throw new IllegalArgumentException("landmarks must have exactly " + COUNT + " points, had "
                    + (points == null ? "none" : points.size()));
        }
        points = List.copyOf(points);
    }

    public Point get(int i) {
        return points.get(i);
    }

    /** From {@code [x0, y0, x1, y1, ...]}. */
    public static Landmarks of(double... xy) {
        if (xy.length != 2 * COUNT) {
            throw new IllegalArgumentException("need " + 2 * COUNT + " coordinates, got " + xy.length);
        }
        Point[] p = new Point[COUNT];
        for (int i = 0; i < COUNT; i++) {
            p[i] = new Point(xy[2 * i], xy[2 * i + 1]);
        }
        return new Landmarks(List.of(p));
    }
}
