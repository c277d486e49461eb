package io.facestream.recognize.track;

import io.facestream.core.BoundingBox;
import io.facestream.core.Embedding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Assigns the faces of a frame to a camera's tracks. Every (track, face) pair that passes the gates of
 * {@link TrackerOptions} is a candidate with cost {@code distance / overlapMaxDistance + (1 - IoU)}; pairs
 * are taken greedily from the cheapest, one face per track and one track per face; a face left over opens
 * a new track. With the few faces of a frame and gates this tight, greedy and optimal (Hungarian)
 * assignment differ only on near-ties, and greedy is deterministic and simple.
 *
 * <p>A new track that opens in the place of a live track no face continued (IoU at least {@code minIou}, or half of
 * the smaller box inside the larger: a part of the face, the lit half or the eyes, found where the whole was; the face
 * changed too much for it, as under a sudden change of light) takes that track's lineage, the id of the first track
 * of its chain, since it may be the same person; of several such tracks the one with the highest IoU, and of several
 * new faces on one track the one with the highest IoU (ties: the older track, the earlier face). Any other new track
 * is a lineage of its own.
 *
 * <p>Frames are expected in sequence order; ages count sequence numbers, so a skipped gap ages tracks by
 * its length. A frame at or before the newest one stepped (a late frame) is tracked best-effort: its faces
 * get the ids of the tracks they fit, or fresh ids, but the tracks are not moved back in time.
 *
 * <p>Stateless and thread-safe: the state travels in and out as a {@link TrackerState}.
 */
public final class Tracker {

    private final TrackerOptions options;

    public Tracker(TrackerOptions options) {
        if (options == null) {
            throw new IllegalArgumentException("a tracker needs its options, was null");
        }
        this.options = options;
    }

    /** The options in use. */
    public TrackerOptions options() {
        return options;
    }

    /** Steps a camera's state through frame {@code sequence} with its faces. */
    public TrackerStep update(TrackerState state, long sequence, List<FaceObservation> faces) {
        if (sequence < 0) {
            throw new IllegalArgumentException("frame sequence must be >= 0, was " + sequence);
        }
        boolean late = sequence <= state.lastSequence();
        List<Track> live = new ArrayList<>();
        for (Track t : state.tracks()) {
            // A late frame sees the tracks as they are; only frames in order close tracks.
            if (late || t.unseenFor(sequence) <= options.maxAgeFrames()) {
                live.add(t);
            }
        }
        int[] assigned = assign(live, faces);
        int[] splits = splits(live, faces, assigned);

        long next = state.nextTrackId();
        long[] ids = new long[faces.size()];
        long[] lineages = new long[faces.size()];
        List<Track> updated = new ArrayList<>(live);
        List<Track> opened = new ArrayList<>();
        for (int f = 0; f < faces.size(); f++) {
            FaceObservation face = faces.get(f);
            if (assigned[f] >= 0) {
                Track t = live.get(assigned[f]);
                ids[f] = t.id();
                lineages[f] = t.lineage();
                if (!late) {
                    updated.set(assigned[f], new Track(t.id(), face.box(), face.embedding(), t.firstSeen(), sequence,
                            t.lineage()));
                }
            } else {
                ids[f] = next++;
                lineages[f] = splits[f] >= 0 ? live.get(splits[f]).lineage() : ids[f];
                if (!late) {
                    opened.add(new Track(ids[f], face.box(), face.embedding(), sequence, sequence, lineages[f]));
                }
            }
        }
        if (late) {
            // Fresh ids handed out to a late frame are spent too: ids are never reused.
            return new TrackerStep(new TrackerState(next, state.lastSequence(), state.tracks()), ids, lineages);
        }
        updated.addAll(opened);
        return new TrackerStep(new TrackerState(next, sequence, updated), ids, lineages);
    }

    /**
     * Forgets every track but keeps the id counter: for a camera whose sequence numbering started again
     * (its ingest restarted), where neither positions nor ages carry over.
     */
    public TrackerState restart(TrackerState state) {
        return new TrackerState(state.nextTrackId(), -1, List.of());
    }

    /** The index of the track each face continues, or -1; greedy on the cost of the admissible pairs. */
    private int[] assign(List<Track> tracks, List<FaceObservation> faces) {
        List<Candidate> candidates = new ArrayList<>();
        for (int t = 0; t < tracks.size(); t++) {
            Track track = tracks.get(t);
            for (int f = 0; f < faces.size(); f++) {
                FaceObservation face = faces.get(f);
                double iou = track.box().iou(face.box());
                double distance = squaredDistance(track.embedding(), face.embedding());
                boolean overlapping = iou >= options.minIou() && distance <= options.overlapMaxDistance();
                boolean lookalike = distance <= options.reacquireMaxDistance();
                if (overlapping || lookalike) {
                    candidates.add(new Candidate(t, f, distance / options.overlapMaxDistance() + (1 - iou)));
                }
            }
        }
        // Ties go to the older track, then to the earlier face: the same input always gives the same ids.
        candidates.sort(Comparator.comparingDouble(Candidate::cost).thenComparingInt(Candidate::track)
                .thenComparingInt(Candidate::face));
        int[] assigned = new int[faces.size()];
        Arrays.fill(assigned, -1);
        boolean[] taken = new boolean[tracks.size()];
        for (Candidate c : candidates) {
            if (!taken[c.track()] && assigned[c.face()] < 0) {
                taken[c.track()] = true;
                assigned[c.face()] = c.track();
            }
        }
        return assigned;
    }

    /**
     * For each face that opens a track, the index of the live track it splits from, or -1: the track no face
     * continued that overlaps it most, at least {@code minIou} or as a part of its face ({@link
     * KeyframeDetector#partOf}); a track claimed by several such faces goes to the one it overlaps most. A track
     * another face of the frame continued is never one: that face is someone else.
     */
    private int[] splits(List<Track> tracks, List<FaceObservation> faces, int[] assigned) {
        boolean[] continued = new boolean[tracks.size()];
        for (int t : assigned) {
            if (t >= 0) {
                continued[t] = true;
            }
        }
        int[] split = new int[faces.size()];
        double[] overlap = new double[faces.size()];
        Arrays.fill(split, -1);
        for (int f = 0; f < faces.size(); f++) {
            if (assigned[f] >= 0) {
                continue;
            }
            for (int t = 0; t < tracks.size(); t++) {
                BoundingBox was = tracks.get(t).box();
                BoundingBox now = faces.get(f).box();
                double iou = was.iou(now);
                boolean place = iou >= options.minIou() || KeyframeDetector.partOf(was, now);
                // strictly greater: of equal overlaps the older track stays
                if (!continued[t] && place && (split[f] < 0 || iou > overlap[f])) {
                    split[f] = t;
                    overlap[f] = iou;
                }
            }
        }
        int[] winner = new int[tracks.size()];
        Arrays.fill(winner, -1);
        for (int f = 0; f < faces.size(); f++) {
            int t = split[f];
            // strictly greater: of equal overlaps the earlier face stays
            if (t >= 0 && (winner[t] < 0 || overlap[f] > overlap[winner[t]])) {
                winner[t] = f;
            }
        }
        for (int f = 0; f < faces.size(); f++) {
            if (split[f] >= 0 && winner[split[f]] != f) {
                split[f] = -1;
            }
        }
        return split;
    }

    private static double squaredDistance(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("cannot compare a " + a.length + "-D embedding with a " + b.length
                    + "-D one; a camera's faces must come from one model");
        }
        return Embedding.squaredDistance(a, b);
    }

    private record Candidate(int track, int face, double cost) {
    }
}
