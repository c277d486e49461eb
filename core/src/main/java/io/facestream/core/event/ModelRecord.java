package io.facestream.core.event;

import com.fasterxml.jackson.annotation.JacksonInject;
import com.fasterxml.jackson.annotation.OptBoolean;
import java.net.URI;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A published embedding model (the value of the compacted {@code models} topic, keyed by model id):
 * its weights inline or by URI (exactly one), its parent, its validation metrics and how it was trained.
 *
 * @param parentId the model it was trained from, null for an imported one
 * @param weights the serialised weights, null when {@code weightsUri} is given
 * @param weightsUri where the weights are, null when {@code weights} is given; prefer it for large models
 * @param metrics validation figures by name (e.g. {@code accuracy}, {@code val_at_far_1e-3})
 * @param curve its training curve, steps in order, at most {@link #MAX_CURVE_POINTS} points; empty for an imported
 *     model and for records published before curves were recorded (null is read as empty)
 */
public record ModelRecord(String modelId, String parentId, byte[] weights, URI weightsUri, Map<String, Double> metrics,
        // Optional on the wire, unlike every other field: the records of models published before curves were
        // recorded have no "curve", and the codec's strict reading would refuse them otherwise.
        @JacksonInject(value = "curve", useInput = OptBoolean.TRUE, optional = OptBoolean.TRUE) List<CurvePoint> curve) {

    /**
     * Most points a curve may have: enough to draw a run of any length on a page, small beside the weights (about
     * 45 KB of JSON, ~85 bytes a point); a longer log is thinned before it is published.
     */
    public static final int MAX_CURVE_POINTS = 500;

    /** A model without a training curve (imported, or published by code that has none). */
    public ModelRecord(String modelId, String parentId, byte[] weights, URI weightsUri, Map<String, Double> metrics) {
        this(modelId, parentId, weights, weightsUri, metrics, List.of());
    }

    public ModelRecord {
        Checks.text(modelId, "model id");
        if (parentId != null && parentId.isBlank()) {
            throw new IllegalArgumentException("parent of model " + modelId + " must be null or non-empty, was \"" + parentId + "\"");
        }
        if ((weights == null) == (weightsUri == null)) {
            throw new IllegalArgumentException("model " + modelId + " needs exactly one of inline weights and a weights URI, had "
                    + (weights == null ? "neither" : "both"));
        }
        if (weights != null) {
            weights = Checks.bytes(weights, "weights of model " + modelId);
        }
        Checks.present(metrics, "metrics of model " + modelId);
        Map<String, Double> copy = new LinkedHashMap<>();
        metrics.forEach((name, value) -> {
            Checks.text(name, "metric name of model " + modelId);
            if (value == null || !Double.isFinite(value)) {
                throw new IllegalArgumentException("metric " + name + " of model " + modelId + " must be a finite number, was " + value);
            }
            copy.put(name, value);
        });
        metrics = Collections.unmodifiableMap(copy);
        curve = curve(modelId, curve);
    }

    /** The same model with {@code points} as its training curve. */
    public ModelRecord withCurve(List<CurvePoint> points) {
        return new ModelRecord(modelId, parentId, weights, weightsUri, metrics, points);
    }

    private static List<CurvePoint> curve(String modelId, List<CurvePoint> points) {
        if (points == null) {
            return List.of();
        }
        if (points.size() > MAX_CURVE_POINTS) {
            throw new IllegalArgumentException("training curve of model " + modelId + " has " + points.size()
                    + " points, at most " + MAX_CURVE_POINTS + " are allowed: thin the log before publishing");
        }
        long last = -1;
        for (int i = 0; i < points.size(); i++) {
            CurvePoint p = Checks.present(points.get(i), "training curve point " + i + " of model " + modelId);
            if (p.step() < last) {
                throw new IllegalArgumentException("training curve of model " + modelId + " must have its steps in order,"
                        + " point " + i + " is at step " + p.step() + " after step " + last);
            }
            last = p.step();
        }
        return List.copyOf(points);
    }

    /** A copy of the inline weights, or null when they are given by URI. */
    @Override
    public byte[] weights() {
        return weights == null ? null : weights.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelRecord m && modelId.equals(m.modelId) && Objects.equals(parentId, m.parentId)
                && Arrays.equals(weights, m.weights) && Objects.equals(weightsUri, m.weightsUri) && metrics.equals(m.metrics)
                && curve.equals(m.curve);
    }

    @Override
    public int hashCode() {
        return Objects.hash(modelId, parentId, weightsUri, metrics, curve) * 31 + Arrays.hashCode(weights);
    }

    @Override
    public String toString() {
        return "ModelRecord[" + modelId + ", parent " + parentId + ", "
                + (weights != null ? weights.length + " weight bytes" : "weights at " + weightsUri) + ", " + metrics + ", "
                + curve.size() + " curve points]";
    }
}
