package io.facestream.core.event;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/** One camera frame as a JPEG, the value of the {@code frames} topic (keyed by camera id). */
public record Frame(String cameraId, long sequence, Instant captureTime, int width, int height, byte[] jpeg) {

    public Frame {
        Checks.text(cameraId, "frame camera id");
        if (sequence < 0) {
            throw new IllegalArgumentException("frame sequence must be >= 0, was " + sequence + " (camera " + cameraId + ")");
        }
        Checks.present(captureTime, "frame capture time");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("frame size must be positive, was " + width + "x" + height
                    + " (camera " + cameraId + ", sequence " + sequence + ")");
        }
        jpeg = Checks.bytes(jpeg, "frame JPEG of camera " + cameraId + " sequence " + sequence);
    }

    /** A copy of the JPEG bytes. */
    @Override
    public byte[] jpeg() {
        return jpeg.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Frame f && sequence == f.sequence && width == f.width && height == f.height
                && cameraId.equals(f.cameraId) && captureTime.equals(f.captureTime) && Arrays.equals(jpeg, f.jpeg);
    }

    @Override
    public int hashCode() {
        return Objects.hash(cameraId, sequence, captureTime, width, height) * 31 + Arrays.hashCode(jpeg);
    }

    @Override
    public String toString() {
        return "Frame[" + cameraId + " #" + sequence + " at " + captureTime + ", " + width + "x" + height
                + ", " + jpeg.length + " JPEG bytes]";
    }
}
