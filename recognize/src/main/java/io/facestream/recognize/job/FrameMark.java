package io.facestream.recognize.job;

import java.time.Instant;

/** The last frame a camera's resequencer released: its sequence and when it was captured. */
public record FrameMark(long sequence, Instant captureTime) {

    public FrameMark {
        if (captureTime == null) {
            throw new IllegalArgumentException("a frame mark needs the capture time, was null");
        }
    }
}
