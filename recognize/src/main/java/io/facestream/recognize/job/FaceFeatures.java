package io.facestream.recognize.job;

import io.facestream.core.BoundingBox;
import io.facestream.core.Landmarks;
import java.util.Arrays;

/**
 * One face found in a frame, as it travels from recognition to tracking and matching.
 *
 * @param box the detector's box
 * @param landmarks the five landmarks
 * @param embedding the unit-length embedding of the job's model; never written to
 * @param crop the aligned crop as PNG when the job mines hard examples, else null
 * @param loose the face cut with a margin when the job groups unknown tracks, else null
 */
public record FaceFeatures(BoundingBox box, Landmarks landmarks, float[] embedding, byte[] crop, LooseFace loose) {

    /** A face without its crops. */
    public FaceFeatures(BoundingBox box, Landmarks landmarks, float[] embedding) {
        this(box, landmarks, embedding, null, null);
    }

    /** A face with its aligned crop (or null) and no loose cut. */
    public FaceFeatures(BoundingBox box, Landmarks landmarks, float[] embedding, byte[] crop) {
        this(box, landmarks, embedding, crop, null);
    }

    public FaceFeatures {
        if (box == null || landmarks == null || embedding == null || embedding.length == 0) {
            throw new IllegalArgumentException("a recognised face needs a box, landmarks and an embedding");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FaceFeatures f && box.equals(f.box) && landmarks.equals(f.landmarks)
                && Arrays.equals(embedding, f.embedding) && Arrays.equals(crop, f.crop)
                && java.util.Objects.equals(loose, f.loose);
    }

    @Override
    public int hashCode() {
        return box.hashCode() * 31 + Arrays.hashCode(embedding);
    }

    @Override
    public String toString() {
        return "FaceFeatures[" + box + ", " + embedding.length + "-D]";
    }
}
