package io.facestream.recognize.track;

import java.util.Arrays;

/**
 * The outcome of one frame: the camera's next state and the track id of each face, in the order the
 * faces were given.
 */
public record TrackerStep(TrackerState state, long[] trackIds) {

    public TrackerStep {
        if (state == null || trackIds == null) {
            throw new IllegalArgumentException("a tracker step needs a state and the faces' track ids");
        }
        trackIds = trackIds.clone();
    }

    /** A copy of the track ids, face by face. */
    @Override
    public long[] trackIds() {
        return trackIds.clone();
    }

    /** The track id of face {@code i}. */
    public long trackId(int i) {
        return trackIds[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrackerStep s && state.equals(s.state) && Arrays.equals(trackIds, s.trackIds);
    }

    @Override
    public int hashCode() {
        return state.hashCode() * 31 + Arrays.hashCode(trackIds);
    }

    @Override
    public String toString() {
        return "TrackerStep[" + Arrays.toString(trackIds) + ", " + state + "]";
    }
}
