package io.facestream.recognize.job;

import io.facestream.core.Embedding;
import io.facestream.core.event.GalleryEntry;
import io.facestream.recognize.engine.FaceModel;
import io.facestream.recognize.match.InMemoryGallery;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the {@link InMemoryGallery} a match subtask searches: the job's initial faces, with every identity
 * the {@code gallery} topic has spoken about replaced by what it said (its faces, or none after a tombstone).
 */
final class GalleryIndex {

    private static final Logger LOG = LoggerFactory.getLogger(GalleryIndex.class);

    /** The faces of an identity the topic deleted: masks the identity's initial faces. */
    static final float[][] DELETED = new float[0][];

    private GalleryIndex() {
    }

    /**
     * The index over {@code initial} and {@code topic} (identity → embeddings of the model). With
     * {@code dimension} > 0, embeddings of another length are left out with a warning: a malformed entry must
     * not stop the stream.
     */
    static InMemoryGallery build(FaceModel model, List<EnrolledFace> initial, Iterable<Map.Entry<String, float[][]>> topic,
            int dimension) {
        return build(model.modelId(), model.threshold(), initial, topic, dimension);
    }

    /** {@link #build(FaceModel, List, Iterable, int)} for any model by id and threshold. */
    static InMemoryGallery build(String modelId, double threshold, List<EnrolledFace> initial,
            Iterable<Map.Entry<String, float[][]>> topic, int dimension) {
        InMemoryGallery g = new InMemoryGallery(modelId, threshold);
        Set<String> overridden = new HashSet<>();
        for (Map.Entry<String, float[][]> e : topic) {
            overridden.add(e.getKey());
            for (float[] face : e.getValue()) {
                add(g, e.getKey(), face, dimension);
            }
        }
        for (EnrolledFace f : initial) {
            if (!overridden.contains(f.identity())) {
                add(g, f.identity(), f.embedding(), dimension);
            }
        }
        return g;
    }

    /** {@link #build(FaceModel, List, Iterable, int)} without the length check. */
    static InMemoryGallery build(FaceModel model, List<EnrolledFace> initial, Iterable<Map.Entry<String, float[][]>> topic) {
        return build(model, initial, topic, 0);
    }

    /**
     * Replaces an identity's faces in a built index by {@code faces} ({@link #DELETED} or none: the identity leaves
     * it), as {@link #build} would have them from the changed topic; its initial faces go too, as they do there.
     */
    static void replace(InMemoryGallery g, String identity, float[][] faces, int dimension) {
        g.remove(identity);
        for (float[] face : faces) {
            add(g, identity, face, dimension);
        }
    }

    /** The embeddings of {@code model} in an entry, as the broadcast state keeps them. */
    static float[][] faces(GalleryEntry entry, FaceModel model) {
        return faces(entry, model.modelId());
    }

    /** The embeddings of the model {@code modelId} in an entry. */
    static float[][] faces(GalleryEntry entry, String modelId) {
        List<Embedding> list = entry.embeddingsOf(modelId);
        float[][] out = new float[list.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i).values();
        }
        return out;
    }

    private static void add(InMemoryGallery g, String identity, float[] face, int dimension) {
        if (dimension > 0 && face.length != dimension) {
            LOG.warn("Left a {}-D face of {} out of the gallery: model {} makes {}-D embeddings.", face.length,
                    identity, g.modelId(), dimension);
            return;
        }
        g.enrol(identity, new Embedding(g.modelId(), face));
    }
}
