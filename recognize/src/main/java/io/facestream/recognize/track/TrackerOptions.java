package io.facestream.recognize.track;

import java.io.Serializable;

/**
 * When a face continues a track. Distances are squared L2 between unit embeddings, the unit of every
 * threshold in facestream, so the gates scale with the model's verification threshold.
 *
 * @param minIou a face overlapping a track's last box by at least this intersection over union continues
 *     it, unless the embeddings disagree ({@code overlapMaxDistance})
 * @param overlapMaxDistance the largest embedding distance at which an overlapping face still continues
 *     the track
 * @param reacquireMaxDistance a face within this distance continues a track wherever it is (fast motion,
 *     a face that was hidden for a few frames, two faces that crossed)
 * @param maxAgeFrames a track not seen for more than this many frames is closed; its id is not reused
 */
public record TrackerOptions(double minIou, double overlapMaxDistance, double reacquireMaxDistance, int maxAgeFrames)
        implements Serializable {

    /**
     * The IoU gate of SORT (Bewley et al., 2016, "Simple Online and Realtime Tracking"): under 0.3 two boxes
     * of consecutive frames are too far apart to be the same object by position alone.
     */
    public static final double MIN_IOU = 0.3;

    /**
     * An overlapping face continues a track only while the embeddings do not say "different person", i.e.
     * up to the model's own verification threshold. Tracks are labels for training (DESIGN: faces of one
     * track are one person), so a track is split rather than merged when in doubt.
     */
    public static final double OVERLAP_DISTANCE_FACTOR = 1.0;

    /**
     * Without overlap only appearance links a face to a track, so the gate is half the verification
     * threshold: well inside the same-person side (consecutive frames of one face measure a fraction of the
     * threshold; different people on LFW lie above it).
     */
    public static final double REACQUIRE_DISTANCE_FACTOR = 0.5;

    /**
     * DeepSORT's {@code max_age} (Wojke et al., 2017): a track survives 30 frames unseen, one second at
     * 30 fps and longer where ingest caps the frame rate, enough to bridge a missed detection or a turn of
     * the head without keeping people who left.
     */
    public static final int MAX_AGE_FRAMES = 30;

    public TrackerOptions {
        if (!(minIou > 0 && minIou <= 1)) {
            throw new IllegalArgumentException("tracker minIou must be in (0, 1], was " + minIou);
        }
        if (!(overlapMaxDistance > 0 && overlapMaxDistance <= 4)) {
            throw new IllegalArgumentException("tracker overlapMaxDistance must be in (0, 4] (squared L2 on unit"
                    + " vectors), was " + overlapMaxDistance);
        }
        if (!(reacquireMaxDistance >= 0 && reacquireMaxDistance <= overlapMaxDistance)) {
            throw new IllegalArgumentException("tracker reacquireMaxDistance must be in [0, overlapMaxDistance = "
                    + overlapMaxDistance + "], was " + reacquireMaxDistance);
        }
        if (maxAgeFrames < 0) {
            throw new IllegalArgumentException("tracker maxAgeFrames must be >= 0, was " + maxAgeFrames);
        }
    }

    /** The defaults above for a model whose squared-L2 verification threshold is {@code threshold}. */
    public static TrackerOptions forThreshold(double threshold) {
        if (!(threshold > 0 && threshold <= 4)) {
            throw new IllegalArgumentException("a verification threshold must be in (0, 4] (squared L2 on unit"
                    + " vectors), was " + threshold);
        }
        return new TrackerOptions(MIN_IOU, OVERLAP_DISTANCE_FACTOR * threshold, REACQUIRE_DISTANCE_FACTOR * threshold,
                MAX_AGE_FRAMES);
    }

    /** A copy with another maximum age. */
    public TrackerOptions withMaxAgeFrames(int frames) {
        return new TrackerOptions(minIou, overlapMaxDistance, reacquireMaxDistance, frames);
    }
}
