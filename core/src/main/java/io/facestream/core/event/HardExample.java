package io.facestream.core.event;

import io.facestream.core.Embedding;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A labelled face for the trainer (the value of {@code hard-examples}, keyed by label).
 *
 * @param crop the aligned face crop, an encoded image
 * @param embedding the crop's embedding under the model that mined it
 * @param distance distance to the reference that gave the label, null when there is none
 * @param negatives labels of the other faces seen in the same frame: people sure to be someone else
 */
public record HardExample(String label, byte[] crop, Embedding embedding, LabelSource labelSource, Double distance,
        List<String> negatives) {

    /** Where a label came from, most to least certain: see DESIGN "Continuous training". */
    public enum LabelSource {
        /** An operator confirmed the identity. */
        CONFIRMED,
        /** A gallery match far under the threshold. */
        GALLERY,
        /** The face belongs to a track, and a track is one person. */
        TRACK,
        /**
         * The face's track was grouped with other tracks of an unknown person because both embedders agreed (the
         * label is the group's {@code unknown-<n>}): a pseudo-identity across tracks and cameras.
         */
        CONSENSUS
    }

    public HardExample {
        Checks.text(label, "hard example label");
        crop = Checks.bytes(crop, "hard example crop of label " + label);
        Checks.present(embedding, "hard example embedding of label " + label);
        Checks.present(labelSource, "hard example label source of label " + label);
        if (distance != null) {
            Checks.distance(distance, "hard example distance");
        }
        negatives = negatives == null ? List.of() : List.copyOf(negatives);
        if (negatives.contains(label)) {
            throw new IllegalArgumentException("hard example " + label + " names its own label among its negatives");
        }
    }

    /** A copy of the crop bytes. */
    @Override
    public byte[] crop() {
        return crop.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HardExample h && label.equals(h.label) && Arrays.equals(crop, h.crop)
                && embedding.equals(h.embedding) && labelSource == h.labelSource && Objects.equals(distance, h.distance)
                && negatives.equals(h.negatives);
    }

    @Override
    public int hashCode() {
        return Objects.hash(label, embedding, labelSource, distance, negatives) * 31 + Arrays.hashCode(crop);
    }

    @Override
    public String toString() {
        return "HardExample[" + label + ", " + labelSource + ", " + crop.length + " crop bytes, " + embedding
                + ", distance " + distance + ", negatives " + negatives + "]";
    }
}
