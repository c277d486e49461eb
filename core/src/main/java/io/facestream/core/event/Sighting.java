package io.facestream.core.event;

import java.time.Instant;
import java.util.List;

/**
 * One visit of one person to one camera (the JSON value of {@code sightings}, keyed by identity id):
 * what users subscribe to instead of the per-frame matches. A face no gallery entry matched is a visit
 * of its track, under the identity id {@link #unknownIdentity(String, long)} gives it, or, when the job grouped the
 * track with others of the same unknown person, of the group ({@code unknown-<n>}).
 *
 * @param bestDistance the smallest distance to a gallery face over the visit's frames; null when none of
 *     them was compared with one (the gallery was empty)
 */
public record Sighting(String identityId, String cameraId, Instant firstSeen, Instant lastSeen, long frames,
        Double bestDistance, List<Long> trackIds) {

    /**
     * How the identity ids of unknown faces begin. Enrolled identity ids cannot contain a colon (the
     * gallery API refuses them), so the two never meet.
     */
    public static final String UNKNOWN_PREFIX = "unknown:";

    public Sighting {
        Checks.text(identityId, "sighting identity id");
        Checks.text(cameraId, "sighting camera id");
        Checks.present(firstSeen, "sighting first-seen time");
        Checks.present(lastSeen, "sighting last-seen time");
        if (lastSeen.isBefore(firstSeen)) {
            throw new IllegalArgumentException("sighting of " + identityId + " was last seen at " + lastSeen
                    + ", before it was first seen at " + firstSeen);
        }
        if (frames < 1) {
            throw new IllegalArgumentException("sighting of " + identityId + " must span at least one frame, was " + frames);
        }
        if (bestDistance != null) {
            Checks.distance(bestDistance, "sighting best distance");
        }
        Checks.present(trackIds, "sighting track ids");
        for (Long t : trackIds) {
            Checks.notNegative(Checks.present(t, "sighting track id"), "sighting track id");
        }
        trackIds = List.copyOf(trackIds);
    }

    /**
     * The identity id of an unknown face's visit: {@code unknown:<camera>:<track>}, since track ids are
     * unique only within their camera.
     */
    public static String unknownIdentity(String cameraId, long trackId) {
        Checks.text(cameraId, "camera id");
        Checks.notNegative(trackId, "track id");
        return UNKNOWN_PREFIX + cameraId + ":" + trackId;
    }

    /**
     * False for the visit of an unknown face's track ({@code unknown:<camera>:<track>}), which nobody can name or
     * erase; true for an enrolled person's and for an unknown group's ({@code unknown-<n>}, see {@link UnknownGroup}),
     * which, like a person, is a record of its own that can be named or deleted.
     */
    public boolean known() {
        return !identityId.startsWith(UNKNOWN_PREFIX);
    }
}
