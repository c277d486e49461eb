package io.facestream.gallery.stream;

import io.facestream.core.event.MatchEvent;
import io.facestream.core.event.Sighting;
import io.facestream.core.event.UnknownGroup;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;

/**
 * Folds match events into visits. A frame's face is a visit of one frame; two parts of one visit merge
 * into one. A visit is of an identity at a camera; of an unknown person the recognize job grouped
 * ({@code unknown-<n>}, {@link UnknownGroup}) at a camera, so that two tracks of one stranger are one person's
 * visits; or, for an unknown face whose track is in no group, of its track at a camera (the tracker numbers
 * tracks per camera).
 */
public final class Visits {

    private Visits() {
    }

    /**
     * Whose visit the face is part of: the matched identity, the unknown group of the face's track, or else the
     * unknown track's visit identity.
     */
    public static String identityOf(MatchEvent event) {
        if (event.known()) {
            return event.identityId();
        }
        return event.unknownId() != null ? event.unknownId()
                : Sighting.unknownIdentity(event.cameraId(), event.trackId());
    }

    /**
     * True for the visits of an unknown group ({@code unknown-<n>}). {@link Sighting#known()} calls them known, since
     * they are not {@code unknown:} track visits; the gallery API refuses enrolled ids with this prefix, so the two
     * never meet.
     */
    public static boolean ofGroup(String identityId) {
        return identityId.startsWith(UnknownGroup.PREFIX);
    }

    /**
     * The key that groups the frames of one visit: identity (unknown group, or unknown track) and camera. Enrolled
     * and group ids hold no {@code @}; an unknown track's id starts with its camera, so two pairs never share a key.
     */
    public static String key(String identityId, String cameraId) {
        return identityId + "@" + cameraId;
    }

    /** The key of the visit the event belongs to. */
    public static String keyOf(MatchEvent event) {
        return key(identityOf(event), event.cameraId());
    }

    /** The one-frame visit of one event, seen at its capture time. */
    public static Sighting of(MatchEvent event) {
        Instant at = event.captureTime();
        return new Sighting(identityOf(event), event.cameraId(), at, at, 1, event.distance(), List.of(event.trackId()));
    }

    /**
     * One visit from two parts of it: the earlier first sighting, the later last one, the frames added,
     * the smaller distance and the union of the tracks (a person may leave one track and start another).
     */
    public static Sighting merge(Sighting a, Sighting b) {
        if (!a.identityId().equals(b.identityId()) || !a.cameraId().equals(b.cameraId())) {
            throw new IllegalArgumentException("cannot merge a visit of " + a.identityId() + " at " + a.cameraId()
                    + " with one of " + b.identityId() + " at " + b.cameraId());
        }
        Instant first = a.firstSeen().isBefore(b.firstSeen()) ? a.firstSeen() : b.firstSeen();
        Instant last = a.lastSeen().isAfter(b.lastSeen()) ? a.lastSeen() : b.lastSeen();
        TreeSet<Long> tracks = new TreeSet<>(a.trackIds());
        tracks.addAll(b.trackIds());
        return new Sighting(a.identityId(), a.cameraId(), first, last, a.frames() + b.frames(),
                smaller(a.bestDistance(), b.bestDistance()), List.copyOf(tracks));
    }

    private static Double smaller(Double a, Double b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : Math.min(a, b);
    }
}
