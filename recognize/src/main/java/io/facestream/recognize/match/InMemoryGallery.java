package io.facestream.recognize.match;

import io.facestream.core.Embedding;
import io.facestream.recognize.index.EmbeddingIndex;
import io.facestream.recognize.index.EmbeddingIndexes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Enrolled identities with their face embeddings: a face takes the identity of its nearest enrolled embedding
 * when the squared L2 distance is at or below the threshold. The search goes through an {@link EmbeddingIndex}
 * that is exact while the gallery is small and an HNSW graph once it passes {@link EmbeddingIndexes#SWITCH_OVER}
 * faces. Not thread-safe for concurrent enrolment.
 */
public final class InMemoryGallery {

    private final String modelId;
    private final double threshold;
    /** Faces per identity, in enrolment order of the identities (what {@link #identities()} lists). */
    private final Map<String, Integer> faces = new LinkedHashMap<>();
    /** Made at the first enrolment, when the embeddings' length is known. */
    private EmbeddingIndex index;

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
        if (index == null) {
            index = EmbeddingIndexes.growing(embedding.values().length);
        } else if (embedding.values().length != index.dimension()) {
            throw new IllegalArgumentException("gallery holds " + index.dimension() + "-D embeddings of " + modelId
                    + "; got a " + embedding.values().length + "-D one for " + identity);
        }
        index.add(identity, embedding.values());
        faces.merge(identity, 1, Integer::sum);
    }

    /** Removes an identity and all its faces; true if it was there. */
    public boolean remove(String identity) {
        if (faces.remove(identity) == null) {
            return false;
        }
        index.removeIdentity(identity);
        return true;
    }

    /** The nearest identity under the threshold, or unknown. */
    public Match match(Embedding face) {
        if (index == null || index.size() == 0) {
            return new Match(null, null, Double.POSITIVE_INFINITY, threshold);
        }
        if (face.values().length != index.dimension()) {
            throw new IllegalArgumentException("cannot compare a " + face.values().length + "-D embedding ("
                    + face.modelId() + ") with this gallery's " + index.dimension() + "-D ones (" + modelId + ")");
        }
        EmbeddingIndex.IdentityMatch m = index.nearestIdentity(face.values(), threshold);
        return new Match(m.identity(), m.nearest(), m.distance(), threshold);
    }

    /** Enrolled identity ids, in enrolment order. */
    public List<String> identities() {
        return Collections.unmodifiableList(new ArrayList<>(faces.keySet()));
    }

    /** Number of faces enrolled for an identity (0 if unknown). */
    public int faces(String identity) {
        return faces.getOrDefault(identity, 0);
    }

    public double threshold() {
        return threshold;
    }

    public String modelId() {
        return modelId;
    }
}
