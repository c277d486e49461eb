package io.facestream.recognize.track;

import java.util.Arrays;

/**
 * The outcome of one frame: the camera's next state, and the track id and lineage of each face, in the order the
 * faces were given.
 *
 * @param lineages per face, the lineage of its track (see {@link Track#lineage()})
 */
public record TrackerStep(TrackerState state, long[] trackIds, long[] lineages) {

    public TrackerStep {
        if (state == null || trackIds == null || lineages == null) {
            throw new IllegalArgumentException("a tracker step needs a state and the faces' track ids and lineages");
        }
        if (trackIds.length != lineages.length) {
            throw new IllegalArgumentException("a tracker step needs a lineage for each of its " + trackIds.length
                    + " faces, was given " + lineages.length);
        }
        trackIds = trackIds.clone();
        lineages = lineages.clone();
    }

    /** A copy of the track ids, face by face. */
    @Override
    public long[] trackIds() {
        return trackIds.clone();
    }

    /** A copy of the lineages, face by face. */
    @Override
    public long[] lineages() {
        return lineages.clone();
    }

    /** The track id of face {@code i}. */
    public long trackId(int i) {
        return trackIds[i];
    }

    /** The lineage of face {@code i}'s track. */
    public long lineage(int i) {
        return lineages[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrackerStep s && state.equals(s.state) && Arrays.equals(trackIds, s.trackIds)
                && Arrays.equals(lineages, s.lineages);
    }

    @Override
    public int hashCode() {
        return (state.hashCode() * 31 + Arrays.hashCode(trackIds)) * 31 + Arrays.hashCode(lineages);
    }

    @Override
    public String toString() {
        return "TrackerStep[" + Arrays.toString(trackIds) + ", lineages " + Arrays.toString(lineages) + ", " + state
                + "]";
    }
}
