package io.facestream.core.event;

import java.time.Instant;
import java.util.List;

/**
 * One visit of one person to one camera (the JSON value of {@code sightings}, keyed by identity id):
 * what users subscribe to instead of the per-frame matches.
 */
public record Sighting(String identityId, String cameraId, Instant firstSeen, Instant lastSeen, long frames,
        double bestDistance, List<Long> trackIds) {

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
        Checks.distance(bestDistance, "sighting best distance");
        Checks.present(trackIds, "sighting track ids");
        for (Long t : trackIds) {
            Checks.notNegative(Checks.present(t, "sighting track id"), "sighting track id");
        }
        trackIds = List.copyOf(trackIds);
    }
}
