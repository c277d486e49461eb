package io.facestream.recognize.match;

import io.facestream.core.Embedding;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Enrolled identities with their face embeddings, searched exhaustively: a face takes the identity of
 * its nearest enrolled embedding when the squared L2 distance is at or below the threshold. Exact
 * search is the right tool up to ~10^5 embeddings. Not thread-safe for concurrent enrolment.
 */
public final class InMemoryGallery {

    private final String modelId;
    private final double threshold;
    private final Map<String, List<Embedding>> byIdentity = new LinkedHashMap<>();

    public InMemoryGallery(String modelId, double threshold) {
        if (!(threshold > 0 && threshold <= 4)) {
            throw new IllegalArgumentException("threshold must be in (0, 4] (squared L2 on unit vectors), was " + threshold);
        }
        this.modelId = modelId;
        this.threshold = threshold;
    }

    /** Adds one face of an identity; the embedding must come from this gallery's model. */
    public void enrol(String identity, Embedding embedding) {
        if (identity == null || identity.isBlank()) {
            throw new IllegalArgumentException("identity id must not be blank");
        }
        if (!embedding.modelId().equals(modelId)) {
            throw new IllegalArgumentException("gallery holds " + modelId + " embeddings; got one from " + embedding.modelId());
        }
        byIdentity.computeIfAbsent(identity, k -> new ArrayList<>()).add(embedding);
    }

    /** Removes an identity and all its faces; true if it was there. */
    public boolean remove(String identity) {
        return byIdentity.remove(identity) != null;
    }

    /** The nearest identity under the threshold, or unknown. */
    public Match match(Embedding face) {
        String nearest = null;
        double best = Double.POSITIVE_INFINITY;
        for (Map.Entry<String, List<Embedding>> e : byIdentity.entrySet()) {
            for (Embedding g : e.getValue()) {
                double d = g.squaredDistance(face);
                if (d < best) {
                    best = d;
                    nearest = e.getKey();
                }
            }
        }
        String identity = nearest != null && best <= threshold ? nearest : null;
        return new Match(identity, nearest, best, threshold);
    }

    /** Enrolled identity ids, in enrolment order. */
    public List<String> identities() {
        return Collections.unmodifiableList(new ArrayList<>(byIdentity.keySet()));
    }

    /** Number of faces enrolled for an identity (0 if unknown). */
    public int faces(String identity) {
        return byIdentity.getOrDefault(identity, List.of()).size();
    }

    public double threshold() {
        return threshold;
    }

    public String modelId() {
        return modelId;
    }
}
