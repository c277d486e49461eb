package io.facestream.train.sample;

import io.facestream.train.buffer.BufferedFace;
import java.util.List;

/**
 * One P×K batch: the faces grouped by identity, with each face's identity as an index (0..P−1), whether its
 * label is noisy, and its group: identities that may be one person (tracks of one lineage) share a group, and
 * faces of one group are never each other's negatives.
 */
public record Batch(List<BufferedFace> faces, int[] labels, boolean[] noisy, int identities, int[] groups) {

    public Batch {
        faces = List.copyOf(faces);
        if (labels.length != faces.size() || noisy.length != faces.size() || groups.length != faces.size()) {
            throw new IllegalArgumentException("a batch of " + faces.size() + " faces got " + labels.length
                    + " labels, " + noisy.length + " noise flags and " + groups.length + " groups");
        }
    }

    /** A batch in which every identity is its own group. */
    public Batch(List<BufferedFace> faces, int[] labels, boolean[] noisy, int identities) {
        this(faces, labels, noisy, identities, labels.clone());
    }

    /** Faces in the batch. */
    public int size() {
        return faces.size();
    }
}
