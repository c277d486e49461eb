package io.facestream.recognize.job;

import java.io.Serializable;

/**
 * Which faces the recognize job sends to {@code hard-examples} for the trainer, and how they are labelled.
 *
 * @param trackEvery every Nth face of a track is sent (25: about one a second at 25 fps), so that a long track
 *     gives faces across its poses and light without flooding the trainer
 * @param newTracks the first face of every new track is sent
 * @param nearBand a face whose nearest gallery distance lies within this of the threshold is sent: the faces the
 *     current model is least sure about are the ones worth learning from
 * @param galleryFraction a track whose face matched an identity at or under this fraction of the threshold is
 *     labelled with that identity (label source gallery) from then on, instead of its track label
 * @param maxPerTrack at most this many faces of one track are sent: a track that runs for minutes (or one that
 *     swapped people halfway) must not outweigh the others
 * @param lostFrames a face the detector loses from one frame to the next (the frame continuing the last, no cut) is
 *     cut at its last landmarks for up to this many frames; those crops go to the trainer as faces of its track once a
 *     face is found at that place again in the same track or its lineage, and are dropped if none is (0: none). The
 *     frames the detector misses inside a track are the hard ones (darkness, blur, a turned head), as in mining
 *     hard examples from a detector's flicker; only a face that stays where it was lost is cut right
 */
public record HardExampleOptions(int trackEvery, boolean newTracks, double nearBand, double galleryFraction,
        int maxPerTrack, int lostFrames) implements Serializable {

    private static final long serialVersionUID = 1L;

    public HardExampleOptions {
        if (trackEvery < 1) {
            throw new IllegalArgumentException("hard examples: every Nth face of a track needs N >= 1, was " + trackEvery);
        }
        if (!(nearBand >= 0 && nearBand <= 4)) {
            throw new IllegalArgumentException("hard examples: the band around the threshold must be in [0, 4], was "
                    + nearBand);
        }
        if (!(galleryFraction >= 0 && galleryFraction <= 1)) {
            throw new IllegalArgumentException("hard examples: the gallery fraction of the threshold must be in [0, 1],"
                    + " was " + galleryFraction);
        }
        if (maxPerTrack < 1) {
            throw new IllegalArgumentException("hard examples: at least 1 face per track, was " + maxPerTrack);
        }
        if (lostFrames < 0) {
            throw new IllegalArgumentException("hard examples: a lost face is cut for 0 or more frames, was " + lostFrames);
        }
    }

    /** As the canonical constructor, with no lost faces cut. */
    public HardExampleOptions(int trackEvery, boolean newTracks, double nearBand, double galleryFraction,
            int maxPerTrack) {
        this(trackEvery, newTracks, nearBand, galleryFraction, maxPerTrack, 0);
    }

    /** A copy that cuts a lost face for up to {@code frames} frames ({@link #lostFrames()}). */
    public HardExampleOptions withLostFrames(int frames) {
        return new HardExampleOptions(trackEvery, newTracks, nearBand, galleryFraction, maxPerTrack, frames);
    }

    /** Every 25th face of a track and its first, faces within 0.1 of the threshold, gallery labels under half of it. */
    public static HardExampleOptions defaults() {
        return new HardExampleOptions(25, true, 0.1, 0.5, 200);
    }
}
