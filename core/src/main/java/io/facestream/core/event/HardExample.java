package io.facestream.core.event;

import com.fasterxml.jackson.annotation.JacksonInject;
import com.fasterxml.jackson.annotation.OptBoolean;
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
 * @param lineage for a track's face, the label of the first track of its camera's chain: a track that opened in the
 *     place of a live track it did not continue (the face had changed too much for it) may be the same person, so the
 *     tracks of one chain share a lineage and are never taken as each other's negatives; null when the track opened
 *     on its own, or the label is not a track's
 */
public record HardExample(String label, byte[] crop, Embedding embedding, LabelSource labelSource, Double distance,
        List<String> negatives,
        // Optional on the wire: hard examples written before lineages have none, and the codec is strict otherwise.
        @JacksonInject(value = "lineage", useInput = OptBoolean.TRUE, optional = OptBoolean.TRUE) String lineage) {

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
        if (lineage != null) {
            Checks.text(lineage, "hard example lineage of label " + label);
            if (negatives.contains(lineage)) {
                throw new IllegalArgumentException("hard example " + label + " names its lineage " + lineage
                        + " among its negatives: a track seen in the same frame is not the one it may continue");
            }
        }
    }

    /** A hard example without a lineage. */
    public HardExample(String label, byte[] crop, Embedding embedding, LabelSource labelSource, Double distance,
            List<String> negatives) {
        this(label, crop, embedding, labelSource, distance, negatives, null);
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
                && negatives.equals(h.negatives) && Objects.equals(lineage, h.lineage);
    }

    @Override
    public int hashCode() {
        return Objects.hash(label, embedding, labelSource, distance, negatives, lineage) * 31 + Arrays.hashCode(crop);
    }

    @Override
    public String toString() {
        return "HardExample[" + label + ", " + labelSource + ", " + crop.length + " crop bytes, " + embedding
                + ", distance " + distance + ", negatives " + negatives + (lineage == null ? "" : ", lineage " + lineage)
                + "]";
    }
}
