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
 */
public record Track(long id, BoundingBox box, float[] embedding, long firstSeen, long lastSeen) {

    public Track {
        if (id < 1) {
            throw new IllegalArgumentException("track ids start at 1, was " + id);
        }
        if (box == null || embedding == null || embedding.length == 0) {
            throw new IllegalArgumentException("track " + id + " needs a box and an embedding");
        }
        if (lastSeen < firstSeen) {
            throw new IllegalArgumentException("track " + id + " was last seen (" + lastSeen
                    + ") before it was first seen (" + firstSeen + ")");
        }
    }

    /** Frames since the face was last seen, as of frame {@code sequence}. */
    public long unseenFor(long sequence) {
        return sequence - lastSeen;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Track t && id == t.id && firstSeen == t.firstSeen && lastSeen == t.lastSeen
                && box.equals(t.box) && Arrays.equals(embedding, t.embedding);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(id) * 31 + Long.hashCode(lastSeen);
    }

    @Override
    public String toString() {
        return "Track[" + id + ", frames " + firstSeen + ".." + lastSeen + ", " + box + "]";
    }
}
