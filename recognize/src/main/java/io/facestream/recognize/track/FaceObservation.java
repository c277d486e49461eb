package io.facestream.recognize.track;

import io.facestream.core.BoundingBox;

/**
 * One face of one frame as the tracker sees it: where it is and what it looks like.
 *
 * @param box the detector's box, in pixels
 * @param embedding the face's unit-length embedding (squared L2 distances are compared with the model's
 *     verification threshold); not copied, never written to
 */
public record FaceObservation(BoundingBox box, float[] embedding) {

    public FaceObservation {
        if (box == null) {
            throw new IllegalArgumentException("a tracked face needs its box, was null");
        }
        if (embedding == null || embedding.length == 0) {
            throw new IllegalArgumentException("a tracked face needs its embedding, was "
                    + (embedding == null ? "null" : "empty"));
        }
    }
}
