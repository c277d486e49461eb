package io.facestream.recognize.track;

import io.facestream.core.BoundingBox;
import io.facestream.core.DetectedFace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Embeddings of followed faces, used again for a few frames: a face found where a face of the camera's previous
 * frame was (box overlap at least {@link #MIN_OVERLAP}, one to one, nothing between them but following) takes that
 * face's embedding until it is {@code every} frames old, and is embedded afresh then. The embedding is most of a
 * followed frame's cost on a CPU, and a face that stays in its box for a fifth of a second stays the same person.
 *
 * <p>The frames of one camera may be spread over several subtasks, each with its own cache: "previous" is the last
 * frame this cache saw of the camera, and the age is counted in the camera's frame sequence, so {@code every} bounds
 * the age whatever the spread. Nothing is reused across a cut, a gap, a replay (the caller says whether a frame
 * {@code continues} the last one) or a change of model. With {@code every == 1} every face is embedded.
 *
 * <p>Plan a frame with {@link #plan}, embed the faces without a {@link Slot#embedding()}, give each its embedding with
 * {@link Slot#fill}, and the cache is ready for the next frame: the plan already holds this frame's slots, so that the
 * frames of one micro-batch can be planned before any is embedded. Not thread-safe; one per subtask.
 */
public final class EmbeddingReuse {

    /** Least box overlap (intersection over union) of a face with the earlier face whose embedding it takes. */
    public static final double MIN_OVERLAP = 0.5;

    /** One face's embedding: the reused one, or one still to be filled by the caller. */
    public static final class Slot {
        private final long embeddedAt;
        private float[] embedding;

        private Slot(long embeddedAt) {
            this.embeddedAt = embeddedAt;
        }

        /** Sequence of the frame whose face the embedding was computed on. */
        public long embeddedAt() {
            return embeddedAt;
        }

        /** The embedding, or null while a fresh one is still to be computed. */
        public float[] embedding() {
            return embedding;
        }

        /** Gives a fresh slot its embedding; never written to afterwards. */
        public void fill(float[] values) {
            if (embedding != null) {
                throw new IllegalStateException("the embedding of this face was filled already");
            }
            if (values == null || values.length == 0) {
                throw new IllegalArgumentException("an embedding needs values");
            }
            embedding = values;
        }
    }

    /** A frame's plan: per face, its slot and whether that slot is fresh (to be embedded now). */
    public record Plan(List<Slot> slots, boolean[] fresh) {

        /** How many faces are embedded afresh. */
        public int freshCount() {
            return freshOf(slots).size();
        }

        /** The entries of {@code perFace} (one per face of the frame, in its order) of the faces to embed afresh. */
        public <T> List<T> freshOf(List<T> perFace) {
            if (perFace.size() != fresh.length) {
                throw new IllegalArgumentException("the frame has " + fresh.length + " faces, got " + perFace.size());
            }
            List<T> out = new ArrayList<>();
            for (int i = 0; i < fresh.length; i++) {
                if (fresh[i]) {
                    out.add(perFace.get(i));
                }
            }
            return out;
        }
    }

    private record Seen(long sequence, String modelId, List<BoundingBox> boxes, List<Slot> slots) {
    }

    private final int every;
    private final Map<String, Seen> cameras = new HashMap<>();

    /** Embeddings used for frames until they are {@code every} frames old; 1 embeds every face of every frame. */
    public EmbeddingReuse(int every) {
        if (every < 1) {
            throw new IllegalArgumentException("an embedding is used for at least 1 frame (1: every face embedded), was "
                    + every);
        }
        this.every = every;
    }

    /**
     * The slots of frame {@code sequence}'s faces: a face that overlaps a face of the last frame seen, while that face's
     * embedding is younger than {@code every} frames, shares its slot; every other face gets a fresh one.
     *
     * @param continues false after a cut, a gap or a replay: no face is then taken for an earlier one
     */
    public Plan plan(String camera, long sequence, boolean continues, String modelId, List<DetectedFace> faces) {
        Seen last = cameras.get(camera);
        boolean usable = every > 1 && continues && last != null && sequence > last.sequence()
                && last.modelId().equals(modelId);
        List<BoundingBox> boxes = faces.stream().map(DetectedFace::box).toList();
        int[] partner = usable
                ? BoxPairing.largestOverlapFirst(boxes, last.boxes(), MIN_OVERLAP,
                        (i, j) -> sequence - last.slots().get(j).embeddedAt() < every)
                : null;
        List<Slot> slots = new ArrayList<>(faces.size());
        boolean[] fresh = new boolean[faces.size()];
        for (int i = 0; i < faces.size(); i++) {
            fresh[i] = partner == null || partner[i] < 0;
            slots.add(fresh[i] ? new Slot(sequence) : last.slots().get(partner[i]));
        }
        cameras.put(camera, new Seen(sequence, modelId, boxes, List.copyOf(slots)));
        return new Plan(List.copyOf(slots), fresh);
    }
}
