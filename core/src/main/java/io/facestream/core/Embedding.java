package io.facestream.core;

import java.util.Arrays;

/** A face embedding on the unit hypersphere, tagged with the model that produced it. */
public record Embedding(String modelId, float[] values) {

    /** How far from 1 the norm may be (float32 rounding of a normalised vector). */
    public static final double NORM_TOLERANCE = 1e-3;

    public Embedding {
        if (modelId == null || modelId.isBlank()) {
            throw new IllegalArgumentException("embedding needs a model id");
        }
        if (values == null || values.length == 0) {
            throw new IllegalArgumentException("embedding of model " + modelId + " is empty");
        }
        double norm = norm(values);
        if (!(Math.abs(norm - 1) <= NORM_TOLERANCE)) {
            throw new IllegalArgumentException("embedding must be L2-normalised, norm was " + norm + " (model " + modelId + ")");
        }
        values = values.clone();
    }

    /** Normalises a raw network output to unit length. */
    public static Embedding normalise(String modelId, float[] raw) {
        double n = norm(raw);
        if (!(n > 0) || !Double.isFinite(n)) {
            throw new IllegalArgumentException("cannot normalise an embedding of norm " + n + " (model " + modelId + ")");
        }
        float[] v = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            v[i] = (float) (raw[i] / n);
        }
        return new Embedding(modelId, v);
    }

    public int dimension() {
        return values.length;
    }

    /** A copy of the values. */
    @Override
    public float[] values() {
        return values.clone();
    }

    /** Squared L2 distance, the FaceNet verification distance (0..4 on the unit sphere). */
    public double squaredDistance(Embedding o) {
        if (o.values.length != values.length) {
            throw new IllegalArgumentException("cannot compare a " + values.length + "-D embedding (" + modelId
                    + ") with a " + o.values.length + "-D one (" + o.modelId + ")");
        }
        return squaredDistance(values, o.values);
    }

    /** Squared L2 distance of two embeddings' values, as {@link #squaredDistance(Embedding)} measures it. */
    public static double squaredDistance(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("cannot compare a " + a.length + "-D embedding with a " + b.length
                    + "-D one");
        }
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return s;
    }

    /** Cosine similarity. */
    public double cosine(Embedding o) {
        double dot = 0;
        for (int i = 0; i < values.length; i++) {
            dot += (double) values[i] * o.values[i];
        }
        return dot;
    }

    static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        return Math.sqrt(s);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Embedding e && modelId.equals(e.modelId) && Arrays.equals(values, e.values);
    }

    @Override
    public int hashCode() {
        return modelId.hashCode() * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "Embedding[" + modelId + ", " + values.length + "-D]";
    }
}
