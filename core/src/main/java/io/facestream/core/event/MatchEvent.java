package io.facestream.core.event;

import com.fasterxml.jackson.annotation.JacksonInject;
import com.fasterxml.jackson.annotation.OptBoolean;
import io.facestream.core.BoundingBox;
import io.facestream.core.Landmarks;
import java.time.Instant;

/**
 * One face seen in one frame and what the gallery said about it (the JSON value of {@code matches},
 * keyed by camera id).
 *
 * @param identityId the matched identity, null when the face is unknown
 * @param distance squared L2 distance to the nearest gallery embedding, null when the gallery was empty
 * @param threshold the distance at or under which a face counts as a match
 * @param unknownId for an unknown face whose track the job grouped with others of the same person, the group's
 *     stable id ({@code unknown-<n>}, see {@link UnknownGroup}); null for a known face or when grouping is off
 */
public record MatchEvent(String eventId, String cameraId, long frameSequence, Instant captureTime,
        Instant processingTime, long trackId, BoundingBox box, Landmarks landmarks, String identityId,
        Double distance, double threshold, String modelId,
        // Optional on the wire, unlike the other fields: events written before unknown tracks were grouped have no
        // "unknown_id", and the codec's strict reading would refuse them otherwise.
        @JacksonInject(value = "unknown_id", useInput = OptBoolean.TRUE, optional = OptBoolean.TRUE) String unknownId) {

    /** An event of a face whose track has no unknown group. */
    public MatchEvent(String eventId, String cameraId, long frameSequence, Instant captureTime,
            Instant processingTime, long trackId, BoundingBox box, Landmarks landmarks, String identityId,
            Double distance, double threshold, String modelId) {
        this(eventId, cameraId, frameSequence, captureTime, processingTime, trackId, box, landmarks, identityId,
                distance, threshold, modelId, null);
    }

    public MatchEvent {
        Checks.text(eventId, "match event id");
        Checks.text(cameraId, "match camera id");
        Checks.notNegative(frameSequence, "match frame sequence");
        Checks.present(captureTime, "match capture time");
        Checks.present(processingTime, "match processing time");
        Checks.notNegative(trackId, "match track id");
        Checks.present(box, "match box");
        Checks.present(landmarks, "match landmarks");
        if (identityId != null && identityId.isBlank()) {
            throw new IllegalArgumentException("match identity id must be null (unknown) or non-empty, was \"" + identityId + "\"");
        }
        if (distance != null) {
            Checks.distance(distance, "match distance");
        }
        Checks.distance(threshold, "match threshold");
        if (identityId != null && (distance == null || distance > threshold)) {
            throw new IllegalArgumentException("a match to identity " + identityId + " needs a distance <= threshold "
                    + threshold + ", was " + distance);
        }
        Checks.text(modelId, "match model id");
        if (unknownId != null) {
            if (identityId != null) {
                throw new IllegalArgumentException("a match to identity " + identityId + " cannot also be of unknown group "
                        + unknownId);
            }
            UnknownGroup.checkId(unknownId);
        }
    }

    /** This unknown face's event, in the unknown group {@code id}. */
    public MatchEvent inUnknownGroup(String id) {
        return new MatchEvent(eventId, cameraId, frameSequence, captureTime, processingTime, trackId, box, landmarks,
                identityId, distance, threshold, modelId, id);
    }

    /**
     * The id of the {@code faceIndex}-th face of a frame: the same frame processed twice gets the same ids,
     * so a replay after a failure can be recognised downstream. Injective, since the last two parts are numbers.
     */
    public static String eventId(String cameraId, long frameSequence, int faceIndex) {
        Checks.text(cameraId, "camera id");
        Checks.notNegative(frameSequence, "frame sequence");
        Checks.notNegative(faceIndex, "face index");
        return cameraId + ":" + frameSequence + ":" + faceIndex;
    }

    /** True when the face matched an identity of the gallery. */
    public boolean known() {
        return identityId != null;
    }
}
