package io.facestream.recognize.job;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One enrolled face shipped with the job graph: an identity and its unit-length embedding.
 *
 * <p>A static initial gallery fixed when the job is built (a demo's photo folder, a test); what the
 * {@code gallery} topic says about the same identity replaces it.
 */
public record EnrolledFace(String identity, float[] embedding) implements Serializable {

    public EnrolledFace {
        if (identity == null || identity.isBlank()) {
            throw new IllegalArgumentException("an enrolled face needs a non-blank identity id");
        }
        if (embedding == null || embedding.length == 0) {
            throw new IllegalArgumentException("the enrolled face of " + identity + " has no embedding");
        }
        embedding = embedding.clone();
    }

    /** A copy of the embedding. */
    @Override
    public float[] embedding() {
        return embedding.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EnrolledFace f && identity.equals(f.identity) && Arrays.equals(embedding, f.embedding);
    }

    @Override
    public int hashCode() {
        return identity.hashCode() * 31 + Arrays.hashCode(embedding);
    }

    @Override
    public String toString() {
        return "EnrolledFace[" + identity + ", " + embedding.length + " dims]";
    }
}
