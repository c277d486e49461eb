package io.facestream.recognize.job;

/**
 * A frame as the resequencer releases it, in its camera's sequence order.
 *
 * @param restarted true for the first frame after the camera's numbering started again (its capture time is
 *     newer than the last frame's although its sequence is not): tracks do not carry over
 */
public record SequencedFrame(AnalyzedFrame frame, boolean restarted) {

    public SequencedFrame {
        if (frame == null) {
            throw new IllegalArgumentException("a sequenced frame needs its frame, was null");
        }
    }
}
