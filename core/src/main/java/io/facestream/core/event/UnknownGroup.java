package io.facestream.core.event;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A person no gallery entry matched, seen in one or more tracks that the recognize job grouped by the consensus of
 * its two embedders (the value of the compacted {@code unknowns} topic, keyed by the group's id). The id
 * ({@code unknown-<n>}) never changes once given, so sightings and matches of the group stay one person's; an
 * operator names the group by enrolling its faces.
 *
 * @param tracks how many tracks, over all cameras, the job put in the group
 * @param cameras the cameras that saw the group, each once, sorted
 * @param faces loose face crops (JPEG, the face with a margin, so that a detector finds it again), one per track for
 *     the first {@link #MAX_FACES} tracks
 * @param modelId the model whose embeddings grouped the tracks
 */
public record UnknownGroup(String unknownId, Instant firstSeen, Instant lastSeen, int tracks, List<String> cameras,
        List<byte[]> faces, String modelId) {

    /** How every unknown group's id begins; the gallery refuses identity ids that begin so. */
    public static final String PREFIX = "unknown-";

    /** The most faces a group record keeps. */
    public static final int MAX_FACES = 8;

    private static final Pattern ID = Pattern.compile(Pattern.quote(PREFIX) + "[1-9][0-9]*");

    public UnknownGroup {
        checkId(unknownId);
        Checks.present(firstSeen, "first-seen time of " + unknownId);
        Checks.present(lastSeen, "last-seen time of " + unknownId);
        if (lastSeen.isBefore(firstSeen)) {
            throw new IllegalArgumentException(unknownId + " was last seen at " + lastSeen + ", before it was first seen at "
                    + firstSeen);
        }
        if (tracks < 1) {
            throw new IllegalArgumentException(unknownId + " must hold at least one track, had " + tracks);
        }
        cameras = List.copyOf(Checks.present(cameras, "cameras of " + unknownId)).stream().distinct().sorted().toList();
        if (cameras.isEmpty()) {
            throw new IllegalArgumentException(unknownId + " must have been seen by a camera, had none");
        }
        faces = Checks.copyAll(faces, "faces of " + unknownId);
        if (faces.isEmpty() || faces.size() > MAX_FACES) {
            throw new IllegalArgumentException(unknownId + " must keep 1 to " + MAX_FACES + " faces, had " + faces.size());
        }
        Checks.text(modelId, "model id of " + unknownId);
    }

    /** The id of the {@code n}-th group (from 1). */
    public static String id(long n) {
        if (n < 1) {
            throw new IllegalArgumentException("unknown groups are numbered from 1, got " + n);
        }
        return PREFIX + n;
    }

    /** The number of a group id, {@code unknown-7} → 7. */
    public static long number(String unknownId) {
        checkId(unknownId);
        return Long.parseLong(unknownId.substring(PREFIX.length()));
    }

    /** Refuses an id that is not {@code unknown-<n>}, n ≥ 1. */
    public static String checkId(String unknownId) {
        if (unknownId == null || !ID.matcher(unknownId).matches()) {
            throw new IllegalArgumentException("an unknown group id is \"" + PREFIX + "<n>\" with n >= 1, was \"" + unknownId
                    + "\"");
        }
        return unknownId;
    }

    /** Copies of the faces. */
    @Override
    public List<byte[]> faces() {
        return Checks.cloneAll(faces);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnknownGroup g && unknownId.equals(g.unknownId) && firstSeen.equals(g.firstSeen)
                && lastSeen.equals(g.lastSeen) && tracks == g.tracks && cameras.equals(g.cameras)
                && Checks.sameArrays(faces, g.faces) && modelId.equals(g.modelId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(unknownId, firstSeen, lastSeen, tracks, cameras, modelId) * 31 + Checks.hashArrays(faces);
    }

    @Override
    public String toString() {
        return "UnknownGroup[" + unknownId + ", " + tracks + " tracks at " + cameras + ", " + faces.size() + " faces, "
                + firstSeen + " – " + lastSeen + ", model " + modelId + "]";
    }
}
