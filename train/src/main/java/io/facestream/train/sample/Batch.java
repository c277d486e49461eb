package io.facestream.train.sample;

import io.facestream.train.buffer.BufferedFace;
import java.util.List;

/**
 * One P×K batch: the faces grouped by identity, with each face's identity as an index (0..P−1) and
 * whether its label is noisy.
 */
public record Batch(List<BufferedFace> faces, int[] labels, boolean[] noisy, int identities) {

    public Batch {
        faces = List.copyOf(faces);
        if (labels.length != faces.size() || noisy.length != faces.size()) {
            throw new IllegalArgumentException("a batch of " + faces.size() + " faces got " + labels.length
                    + " labels and " + noisy.length + " noise flags");
        }
    }

    /** Faces in the batch. */
    public int size() {
        return faces.size();
    }
}
