package io.facestream.recognize.track;

import java.util.ArrayList;
import java.util.List;

/**
 * What a camera's tracker remembers between frames: the next id to hand out, the newest frame it has
 * stepped through and the live tracks. Immutable; {@link Tracker} returns a new state for every frame.
 *
 * @param nextTrackId the id the next new track gets; only grows, so ids are never reused
 * @param lastSequence the newest frame stepped in order, -1 before the first
 * @param tracks the live tracks, in the order they were opened
 */
public record TrackerState(long nextTrackId, long lastSequence, List<Track> tracks) {

    /** The state of a camera never seen: ids start at 1. */
    public static final TrackerState START = new TrackerState(1, -1, List.of());

    public TrackerState {
        if (nextTrackId < 1) {
            throw new IllegalArgumentException("the next track id must be at least 1, was " + nextTrackId);
        }
        if (lastSequence < -1) {
            throw new IllegalArgumentException("the last sequence must be -1 (none) or more, was " + lastSequence);
        }
        if (tracks == null) {
            throw new IllegalArgumentException("tracker state needs a track list (empty for none), was null");
        }
        // A mutable copy: Flink's list serializer rebuilds an ArrayList anyway, and equal states compare equal.
        tracks = new ArrayList<>(tracks);
        for (Track t : tracks) {
            if (t.id() >= nextTrackId) {
                throw new IllegalArgumentException("track " + t.id() + " is not below the next id " + nextTrackId);
            }
        }
    }

    /** The live tracks (a copy). */
    @Override
    public List<Track> tracks() {
        return new ArrayList<>(tracks);
    }

    /** The live track with that id, or null. */
    public Track track(long id) {
        for (Track t : tracks) {
            if (t.id() == id) {
                return t;
            }
        }
        return null;
    }
}
