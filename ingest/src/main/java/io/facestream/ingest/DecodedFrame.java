package io.facestream.ingest;

import java.awt.image.BufferedImage;
import java.time.Instant;

/**
 * One decoded picture from a {@link FrameSource}. The image may be reused by the source: it is valid only until the
 * next call to {@link FrameSource#next()}.
 *
 * @param image the picture (BGR)
 * @param timestampMicros the source's presentation time, from 0 at the start of the source (monotonic across loops)
 * @param captureTime when the picture was taken, as well as the source can tell
 */
public record DecodedFrame(BufferedImage image, long timestampMicros, Instant captureTime) {

    public DecodedFrame {
        if (image == null || captureTime == null) {
            throw new IllegalArgumentException("decoded frame needs an image and a capture time, was " + image
                    + " at " + captureTime);
        }
    }

    /** Width in pixels. */
    public int width() {
        return image.getWidth();
    }

    /** Height in pixels. */
    public int height() {
        return image.getHeight();
    }
}
