package io.facestream.recognize.track;

import io.facestream.core.BoundingBox;
import java.util.Arrays;

/**
 * One live track of a camera: the last box and embedding of its face and the frame it was last seen in.
 * Public record with plain fields so that Flink keeps it in keyed state with its own serializer.
 *
 * @param id the track id, unique per camera, from 1
 * @param box the face's box in the frame it was last seen in
 * @param embedding the face's embedding in that frame (the latest one, so slow changes of pose and light
 *     are followed); never written to
 * @param firstSeen sequence of the frame that opened the track
 * @param lastSeen sequence of the last frame the face was seen in
 * @param lineage id of the first track of its chain: a track that opened in the place of a live track it did not
 *     continue (see {@link Tracker}) takes that track's lineage; a track that opened on its own has its own id
 */
public record Track(long id, BoundingBox box, float[] embedding, long firstSeen, long lastSeen, long lineage) {

    public Track {
        if (id < 1) {
            throw new IllegalArgumentException("track ids start at 1, was " + id);
        }
        // 0 is what Flink gives a track restored from state written before lineages: it opened on its own.
        if (lineage == 0) {
            lineage = id;
        }
        if (lineage < 1 || lineage > id) {
            throw new IllegalArgumentException("track " + id + " has lineage " + lineage
                    + ": a lineage is the id of a track opened at or before it");
        }
        if (box == null || embedding == null || embedding.length == 0) {
            throw new IllegalArgumentException("track " + id + " needs a box and an embedding");
        }
        if (lastSeen < firstSeen) {
            throw new IllegalArgumentException("track " + id + " was last seen (" + lastSeen
                    + ") before it was first seen (" + firstSeen + ")");
        }
    }

    /** A track that opened on its own: its lineage is its own id. */
    public Track(long id, BoundingBox box, float[] embedding, long firstSeen, long lastSeen) {
        this(id, box, embedding, firstSeen, lastSeen, id);
    }

    /** Frames since the face was last seen, as of frame {@code sequence}. */
    public long unseenFor(long sequence) {
        return sequence - lastSeen;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Track t && id == t.id && firstSeen == t.firstSeen && lastSeen == t.lastSeen
                && lineage == t.lineage && box.equals(t.box) && Arrays.equals(embedding, t.embedding);
    }

    @Override
    public int hashCode() {
        return (Long.hashCode(id) * 31 + Long.hashCode(lastSeen)) * 31 + Long.hashCode(lineage);
    }

    @Override
    public String toString() {
        return "Track[" + id + (lineage == id ? "" : ", lineage " + lineage) + ", frames " + firstSeen + ".."
                + lastSeen + ", " + box + "]";
    }
}
