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
}
