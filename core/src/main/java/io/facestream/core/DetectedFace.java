package io.facestream.core;

/** A face found by the detector: its box, the detector's confidence and the five landmarks. */
public record DetectedFace(BoundingBox box, double score, Landmarks landmarks) {

    public DetectedFace {
        if (box == null || landmarks == null) {
            throw new IllegalArgumentException("a detected face needs a box and landmarks");
        }
        if (!(score >= 0 && score <= 1)) {
            throw new IllegalArgumentException("face score must be in [0, 1], was " + score);
        }
    }

    /** The same face with its box and landmarks moved by ({@code dx}, {@code dy}): from a part of an image to the whole. */
    public DetectedFace moved(double dx, double dy) {
        double[] xy = new double[2 * Landmarks.COUNT];
        for (int i = 0; i < Landmarks.COUNT; i++) {
            xy[2 * i] = landmarks.get(i).x() + dx;
            xy[2 * i + 1] = landmarks.get(i).y() + dy;
        }
        return new DetectedFace(new BoundingBox(box.x1() + dx, box.y1() + dy, box.x2() + dx, box.y2() + dy), score,
                Landmarks.of(xy));
    }
}
