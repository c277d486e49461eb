package io.facestream.recognize.group;

import io.facestream.core.Embedding;
import java.util.List;

/**
 * Unit vectors of one embedder, one row per face, packed in one float array so that the all-pairs loops
 * read memory in order.
 *
 * @param name the embedder's name (reports only)
 * @param data {@code size × dim} values, row after row
 * @param dim length of each vector
 */
public record UnitVectors(String name, float[] data, int dim) {

    public UnitVectors {
        if (dim < 1 || data.length % dim != 0) {
            throw new IllegalArgumentException("vectors of " + name + ": " + data.length + " values are not rows of " + dim);
        }
    }

    /** Packs embeddings (each L2-normalised, all of one length) in the order given. */
    public static UnitVectors of(String name, List<Embedding> embeddings) {
        if (embeddings.isEmpty()) {
            throw new IllegalArgumentException("no embeddings of " + name + " to group");
        }
        int dim = embeddings.get(0).values().length;
        float[] data = new float[embeddings.size() * dim];
        for (int i = 0; i < embeddings.size(); i++) {
            float[] v = embeddings.get(i).values();
            if (v.length != dim) {
                throw new IllegalArgumentException("embedding " + i + " of " + name + " has " + v.length + " values, the first had " + dim);
            }
            System.arraycopy(v, 0, data, i * dim, dim);
        }
        return new UnitVectors(name, data, dim);
    }

    /** Packs raw rows (tests); each row must already have unit length. */
    public static UnitVectors of(String name, float[][] rows) {
        int dim = rows[0].length;
        float[] data = new float[rows.length * dim];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, data, i * dim, dim);
        }
        return new UnitVectors(name, data, dim);
    }

    /** Number of faces. */
    public int size() {
        return data.length / dim;
    }

    /** Squared L2 distance between faces {@code i} and {@code j}: 2 − 2·cos for unit vectors. */
    public float squaredDistance(int i, int j) {
        return Math.max(0f, 2f - 2f * dot(data, i * dim, data, j * dim, dim));
    }

    /** Dot product of two rows, four sums at a time so the CPU can overlap the additions. */
    static float dot(float[] a, int ai, float[] b, int bi, int dim) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int d = 0;
        for (; d + 3 < dim; d += 4) {
            s0 += a[ai + d] * b[bi + d];
            s1 += a[ai + d + 1] * b[bi + d + 1];
            s2 += a[ai + d + 2] * b[bi + d + 2];
            s3 += a[ai + d + 3] * b[bi + d + 3];
        }
        for (; d < dim; d++) {
            s0 += a[ai + d] * b[bi + d];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
