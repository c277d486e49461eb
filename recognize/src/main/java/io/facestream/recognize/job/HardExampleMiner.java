package io.facestream.recognize.job;

import io.facestream.core.BoundingBox;
import io.facestream.core.Embedding;
import io.facestream.core.event.HardExample;
import io.facestream.core.event.HardExample.LabelSource;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Picks the faces of a camera's frame that go to the trainer, and labels them (DESIGN, "Continuous training"):
 * faces of one track are one person (label {@code track:<camera>:<track id>}); a track that matched an enrolled
 * identity well under the threshold is that person (the identity id, label source gallery); the other faces of the
 * same frame are sure to be other people and travel as negatives. A track-labelled face of a track that split from
 * another ({@link io.facestream.recognize.track.Track#lineage()}) names the first track of its chain as its lineage.
 * Which faces: see {@link HardExampleOptions}.
 *
 * <p>Pure: the per-track tallies it needs come in and go out as {@link Tallies}, which the caller keeps as keyed
 * state, pruned to the live tracks.
 */
final class HardExampleMiner implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * Per track: faces seen, faces sent, and the identity it was matched to well, if any.
     *
     * @param due a face was due (a track's first or Nth) but carried no crop of its own (its embedding was reused
     *     from an earlier frame), so the next face with a crop goes instead
     */
    record Tally(int faces, int sent, String identity, boolean due) implements Serializable {
    }

    /** The tallies of a camera's live tracks. */
    record Tallies(Map<Long, Tally> tracks) implements Serializable {

        static final Tallies NONE = new Tallies(Map.of());

        Tallies {
            tracks = new HashMap<>(tracks);
        }
    }

    /**
     * A face of the frame after tracking and matching.
     *
     * @param lineage the lineage of the face's track, its own id when the track opened on its own
     */
    record Face(long trackId, FaceFeatures features, String identity, Double distance, long lineage) {
    }

    /** The examples of a frame and the tallies after it. */
    record Mined(List<HardExample> examples, Tallies tallies) {
    }

    private final HardExampleOptions options;

    HardExampleMiner(HardExampleOptions options) {
        this.options = options;
    }

    /** How the label of a track begins. */
    static final String TRACK_PREFIX = "track:";

    /** The label of a track of a camera: {@code track:<camera>:<track id>}. */
    static String trackLabel(String camera, long trackId) {
        return TRACK_PREFIX + camera + ":" + trackId;
    }

    /** The examples of one frame whose faces {@code modelId} embedded ({@code threshold} its threshold). */
    Mined mine(String camera, Tallies before, List<Face> faces, Set<Long> liveTracks, String modelId, double threshold) {
        Map<Long, Tally> tallies = new HashMap<>();
        before.tracks().forEach((id, t) -> {
            if (liveTracks.contains(id)) {
                tallies.put(id, t);
            }
        });
        List<String> labels = new ArrayList<>(faces.size());
        List<Boolean> chosen = new ArrayList<>(faces.size());
        for (Face f : faces) {
            Tally t = tallies.getOrDefault(f.trackId(), new Tally(0, 0, null, false));
            String identity = t.identity();
            if (identity == null && f.identity() != null && f.distance() != null
                    && f.distance() <= options.galleryFraction() * threshold) {
                identity = f.identity();
            }
            int seen = t.faces() + 1;
            boolean near = f.distance() != null && Math.abs(f.distance() - threshold) <= options.nearBand();
            boolean due = t.due() || (options.newTracks() && seen == 1) || seen % options.trackEvery() == 0;
            boolean pick = f.features().crop() != null && t.sent() < options.maxPerTrack() && (due || near);
            tallies.put(f.trackId(), new Tally(seen, t.sent() + (pick ? 1 : 0), identity,
                    due && !pick && t.sent() < options.maxPerTrack()));
            labels.add(identity != null ? identity : trackLabel(camera, f.trackId()));
            chosen.add(pick);
        }
        List<BoundingBox> boxes = faces.stream().map(f -> f.features().box()).toList();
        List<HardExample> out = new ArrayList<>();
        for (int i = 0; i < faces.size(); i++) {
            if (!chosen.get(i)) {
                continue;
            }
            Face f = faces.get(i);
            String label = labels.get(i);
            out.add(example(camera, label, f.features(), f.trackId(), f.lineage(),
                    label.equals(f.identity()) ? f.distance() : null, labels, boxes, i, modelId));
        }
        return new Mined(out, new Tallies(tallies));
    }

    /**
     * Whether two boxes of one frame share any pixels: then they are not sure to be two people. People side by side
     * seldom overlap, and a sure negative that is the same person teaches the opposite of what is true.
     */
    static boolean overlap(BoundingBox a, BoundingBox b) {
        return a.intersection(b) > 0;
    }

    /**
     * The label the faces of track {@code trackId} go under: the identity it matched well ({@code tallies}), else its
     * track label.
     */
    static String label(String camera, Tallies tallies, long trackId) {
        Tally t = tallies.tracks().get(trackId);
        return t != null && t.identity() != null ? t.identity() : trackLabel(camera, trackId);
    }

    /**
     * The example of a face that detection lost from track {@code trackId} (of lineage {@code lineage}), cut at its
     * last place ({@link HardExampleOptions#lostFrames()}): labelled as the track's faces are, the labels of the
     * frame's faces ({@code others}, with their boxes {@code boxes}) that do not {@linkplain #overlap overlap} it its
     * negatives.
     */
    static HardExample lostFace(String camera, Tallies tallies, long trackId, long lineage, FaceFeatures face,
            List<String> others, List<BoundingBox> boxes, String modelId) {
        if (face.crop() == null) {
            throw new IllegalArgumentException("a lost face of track " + trackId + " needs its crop");
        }
        return example(camera, label(camera, tallies, trackId), face, trackId, lineage, null, others, boxes, -1, modelId);
    }

    /**
     * The example of {@code face} of track {@code trackId} (of lineage {@code lineage}) under {@code label}: its
     * negatives the labels of the frame's faces ({@code labels}, their boxes {@code boxes}; the face itself at index
     * {@code self}, -1 if it is none of them), {@code galleryDistance} its distance to the identity it is labelled with.
     */
    private static HardExample example(String camera, String label, FaceFeatures face, long trackId, long lineage,
            Double galleryDistance, List<String> labels, List<BoundingBox> boxes, int self, String modelId) {
        List<String> negatives = new ArrayList<>();
        for (int k = 0; k < labels.size(); k++) {
            String other = labels.get(k);
            // two faces of one frame with one label: one of them is misnamed, so neither says anything; nor do two
            // boxes that overlap, which are as likely one face found twice (a part beside the whole)
            if (k != self && !other.equals(label) && !negatives.contains(other) && !overlap(face.box(), boxes.get(k))) {
                negatives.add(other);
            }
        }
        boolean fromGallery = !label.startsWith(TRACK_PREFIX);
        String chain = fromGallery || lineage == trackId ? null : trackLabel(camera, lineage);
        // the chain's first track is in this frame too: two people after all, not one
        if (negatives.contains(chain)) {
            chain = null;
        }
        return new HardExample(label, face.crop(), new Embedding(modelId, face.embedding()),
                fromGallery ? LabelSource.GALLERY : LabelSource.TRACK, fromGallery ? galleryDistance : null, negatives,
                chain);
    }
}
