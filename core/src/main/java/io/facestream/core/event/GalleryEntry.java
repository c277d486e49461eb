package io.facestream.core.event;

import io.facestream.core.Embedding;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One enrolled person (the value of the compacted {@code gallery} topic, keyed by identity id): the
 * aligned face crops are kept so the gallery can be re-embedded when a new model is published.
 *
 * @param crops aligned face crops, encoded images (at least one)
 * @param embeddings the crops' embeddings per model id; each embedding's model id equals its key
 */
public record GalleryEntry(String identityId, String displayName, List<byte[]> crops,
        Map<String, List<Embedding>> embeddings, Instant enrolledAt) {

    public GalleryEntry {
        Checks.text(identityId, "gallery identity id");
        Checks.text(displayName, "gallery display name of identity " + identityId);
        crops = Checks.copyAll(crops, "gallery crops of identity " + identityId);
        if (crops.isEmpty()) {
            throw new IllegalArgumentException("gallery entry of identity " + identityId + " needs at least one face crop, had none");
        }
        Checks.present(embeddings, "gallery embeddings of identity " + identityId);
        Map<String, List<Embedding>> copy = new LinkedHashMap<>();
        embeddings.forEach((model, list) -> {
            Checks.text(model, "gallery model id of identity " + identityId);
            Checks.present(list, "gallery embeddings of model " + model + " (identity " + identityId + ")");
            for (Embedding e : list) {
                Checks.present(e, "gallery embedding of model " + model + " (identity " + identityId + ")");
                if (!e.modelId().equals(model)) {
                    throw new IllegalArgumentException("gallery embedding filed under model " + model
                            + " was made by model " + e.modelId() + " (identity " + identityId + ")");
                }
            }
            copy.put(model, List.copyOf(list));
        });
        embeddings = Collections.unmodifiableMap(copy);
        Checks.present(enrolledAt, "gallery enrolment time of identity " + identityId);
    }

    /** Copies of the crops. */
    @Override
    public List<byte[]> crops() {
        return Checks.cloneAll(crops);
    }

    /** The embeddings of one model, empty when the gallery has not been embedded with it yet. */
    public List<Embedding> embeddingsOf(String modelId) {
        return embeddings.getOrDefault(modelId, List.of());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GalleryEntry g && identityId.equals(g.identityId) && displayName.equals(g.displayName)
                && Checks.sameArrays(crops, g.crops) && embeddings.equals(g.embeddings) && enrolledAt.equals(g.enrolledAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(identityId, displayName, embeddings, enrolledAt) * 31 + Checks.hashArrays(crops);
    }

    @Override
    public String toString() {
        return "GalleryEntry[" + identityId + " \"" + displayName + "\", " + crops.size() + " crops, models "
                + embeddings.keySet() + ", enrolled " + enrolledAt + "]";
    }
}
