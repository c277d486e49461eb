package io.facestream.train.general;

/**
 * One face of the general set: which clip (or photo), frame and track it comes from, and its image's number
 * within its label's folder. A track is one person; the label is the clip and the track id.
 *
 * @param clip the clip or photo it was found in
 * @param frame the frame's index within the clip (0 for a photo)
 * @param seconds the frame's time from the start of the clip
 * @param label the person label, unique over the whole set ({@code <clip>_t<track>})
 * @param number the image's number within the label, from 1, as in LFW's layout
 */
public record TrackedFace(String clip, int frame, double seconds, String label, int number) {

    public TrackedFace {
        if (clip == null || clip.isBlank() || label == null || label.isBlank()) {
            throw new IllegalArgumentException("a tracked face needs a clip and a label, was '" + clip + "', '" + label + "'");
        }
        if (label.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("a label goes into pairs.txt fields, so it may not contain spaces, was '" + label + "'");
        }
        if (frame < 0 || number < 1) {
            throw new IllegalArgumentException("frame must be >= 0 and image number >= 1, were " + frame + " and " + number
                    + " (" + label + ")");
        }
    }
}
