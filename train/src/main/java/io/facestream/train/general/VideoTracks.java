package io.facestream.train.general;

import io.facestream.core.DetectedFace;
import io.facestream.core.Embedding;
import io.facestream.recognize.engine.FaceEngine;
import io.facestream.recognize.engine.FaceModel;
import io.facestream.recognize.image.RgbImage;
import io.facestream.recognize.track.FaceObservation;
import io.facestream.recognize.track.Tracker;
import io.facestream.recognize.track.TrackerOptions;
import io.facestream.recognize.track.TrackerState;
import io.facestream.recognize.track.TrackerStep;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Labels the faces of one clip by tracking: a full detection on every frame, the public MobileFaceNet's
 * embedding of each face, and {@link Tracker} with the gates of {@link TrackerOptions#forThreshold} for that
 * model. A track is one person, labelled {@code <clip>_t<id>}. Faces smaller than the size floor are tracked
 * (they keep the track going) but not kept: a 25 px face scaled up to LFW's size is blur.
 *
 * <p>The tracker splits rather than merges when in doubt, so one person may have several labels (which is why
 * {@link GeneralPairs} pairs different labels of one clip only within a frame); an identity switch inside a
 * track (two people crossing, both within the gates) would make a wrong same-person pair, and nothing here
 * can see it.
 */
public final class VideoTracks {

    /** A kept face: its place in the set and its LFW-style image. */
    public record Found(TrackedFace face, DetectedFace detection, BufferedImage image) {
    }

    private final FaceEngine engine;
    private final String clip;
    private final int minFacePx;
    private final Tracker tracker;
    private final Map<String, Integer> numbers = new HashMap<>();
    private TrackerState state = TrackerState.START;
    private int frames;

    /**
     * @param engine detects and embeds
     * @param clip the clip's name (no spaces), the first part of each label
     * @param minFacePx smallest box side (px) of a face that is kept
     */
    public VideoTracks(FaceEngine engine, String clip, int minFacePx) {
        if (clip == null || clip.isBlank() || clip.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("a clip name becomes part of pairs.txt labels: give one without spaces, was '" + clip + "'");
        }
        this.engine = engine;
        this.clip = clip;
        this.minFacePx = minFacePx;
        this.tracker = new Tracker(TrackerOptions.forThreshold(FaceModel.MOBILEFACENET.threshold()));
    }

    /** The next frame of the clip, at {@code seconds} from its start; returns its kept faces. */
    public List<Found> next(RgbImage image, double seconds) {
        int frame = frames++;
        List<DetectedFace> faces = engine.detect(image);
        List<FaceObservation> seen = new ArrayList<>(faces.size());
        if (!faces.isEmpty()) {
            List<Embedding> e = engine.embed(image, faces, FaceModel.MOBILEFACENET, false);
            for (int i = 0; i < faces.size(); i++) {
                seen.add(new FaceObservation(faces.get(i).box(), e.get(i).values()));
            }
        }
        TrackerStep step = tracker.update(state, frame, seen);
        state = step.state();
        List<Found> out = new ArrayList<>();
        BufferedImage picture = null;
        for (int i = 0; i < faces.size(); i++) {
            DetectedFace f = faces.get(i);
            if (Math.max(f.box().width(), f.box().height()) < minFacePx) {
                continue;
            }
            picture = picture == null ? image.toBufferedImage() : picture;
            String label = clip + "_t" + step.trackIds()[i];
            int number = numbers.merge(label, 1, Integer::sum);
            out.add(new Found(new TrackedFace(clip, frame, seconds, label, number), f, ContextCrop.of(picture, f.box())));
        }
        return out;
    }

    /** Frames seen. */
    public int frames() {
        return frames;
    }

    /**
     * The faces of a group photo, each its own label ({@code <photo>_f<n>}, one image each): two faces in one
     * photo are two people, so they add sure different-person pairs and no same-person pair.
     */
    public static List<Found> photo(FaceEngine engine, String photo, RgbImage image, int minFacePx) {
        List<Found> out = new ArrayList<>();
        BufferedImage picture = image.toBufferedImage();
        int n = 0;
        for (DetectedFace f : engine.detect(image)) {
            if (Math.max(f.box().width(), f.box().height()) >= minFacePx) {
                String label = photo + "_f" + (++n);
                out.add(new Found(new TrackedFace(photo, 0, 0, label, 1), f, ContextCrop.of(picture, f.box())));
            }
        }
        return out;
    }
}
