package io.facestream.core.event;

import java.net.URI;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A published embedding model (the value of the compacted {@code models} topic, keyed by model id):
 * its weights inline or by URI (exactly one), its parent and its validation metrics.
 *
 * @param parentId the model it was trained from, null for an imported one
 * @param weights the serialised weights, null when {@code weightsUri} is given
 * @param weightsUri where the weights are, null when {@code weights} is given; prefer it for large models
 * @param metrics validation figures by name (e.g. {@code accuracy}, {@code val_at_far_1e-3})
 */
public record ModelRecord(String modelId, String parentId, byte[] weights, URI weightsUri, Map<String, Double> metrics) {

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
    }

    /** A copy of the inline weights, or null when they are given by URI. */
    @Override
    public byte[] weights() {
        return weights == null ? null : weights.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelRecord m && modelId.equals(m.modelId) && Objects.equals(parentId, m.parentId)
                && Arrays.equals(weights, m.weights) && Objects.equals(weightsUri, m.weightsUri) && metrics.equals(m.metrics);
    }

    @Override
    public int hashCode() {
        return Objects.hash(modelId, parentId, weightsUri, metrics) * 31 + Arrays.hashCode(weights);
    }

    @Override
    public String toString() {
        return "ModelRecord[" + modelId + ", parent " + parentId + ", "
                + (weights != null ? weights.length + " weight bytes" : "weights at " + weightsUri) + ", " + metrics + "]";
    }
}
