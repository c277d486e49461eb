package io.facestream.ingest;

import io.facestream.core.topic.Topics;
import java.time.Duration;

/**
 * Everything one {@link Ingestor} needs to know about its camera; {@link #of(String, String)} gives the defaults.
 *
 * @param cameraId the key of every record, the camera's name everywhere downstream
 * @param source where the frames come from
 * @param maxFps drop frames to stay at or below this many per second; 0 sends every frame
 * @param jpegQuality 1-100
 * @param loop play a file again from the start at its end (files only)
 * @param realtime pace a file at its own frame rate; false reads it as fast as it decodes (files only)
 * @param backoff delays between reconnection attempts
 * @param timeout how long a network connect or read may block
 * @param maxRecordBytes the largest {@code frames} record to send, as the producer counts it (key, value and record
 *     overhead); a larger frame goes to {@code frames.dlq} instead
 * @param firstSequence the sequence number of the first frame sent: 0 for a new camera, the one after its last frame
 *     for an ingestor that takes over a camera (see {@link CameraSequence}), so that frame numbers, and the match event
 *     ids made from them, are never used twice
 */
public record IngestOptions(String cameraId, SourceSpec source, double maxFps, int jpegQuality, boolean loop,
        boolean realtime, Backoff backoff, Duration timeout, int maxRecordBytes, long firstSequence) {

    /** Enough for a camera on a busy network, short enough to notice a dead one within one backoff step. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /** Below this not even a small JPEG fits; a limit that low is a typo. */
    public static final int MIN_RECORD_BYTES = 1024;

    public IngestOptions {
        if (cameraId == null || !cameraId.matches("[A-Za-z0-9._:-]{1,128}")) {
            throw new IllegalArgumentException("camera id must be 1-128 of [A-Za-z0-9._:-] (it is the Kafka key "
                    + "and appears in metrics), was " + (cameraId == null ? "null" : "\"" + cameraId + "\""));
        }
        if (source == null) {
            throw new IllegalArgumentException("camera " + cameraId + " needs a source: a file, a stream URL or "
                    + "/dev/videoN");
        }
        new FrameRateCap(maxFps); // validates the cap with its own message
        if (jpegQuality < 1 || jpegQuality > 100) {
            throw new IllegalArgumentException("JPEG quality of camera " + cameraId + " must be 1-100, was "
                    + jpegQuality + "; " + JpegEncoder.DEFAULT_QUALITY + " is the default");
        }
        if ((loop || realtime) && !source.finite()) {
            throw new IllegalArgumentException("loop and realtime pacing apply to video files only, not to "
                    + source + " (camera " + cameraId + "); leave them off");
        }
        if (backoff == null) {
            throw new IllegalArgumentException("camera " + cameraId + " needs a reconnect backoff, e.g. "
                    + "Backoff.DEFAULT");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("network timeout of camera " + cameraId + " must be positive, was "
                    + timeout + "; " + DEFAULT_TIMEOUT.toSeconds() + " s is the default");
        }
        if (maxRecordBytes < MIN_RECORD_BYTES || maxRecordBytes > Topics.MAX_FRAME_BYTES) {
            // Above the topic's own limit the broker would refuse what this check lets through.
            throw new IllegalArgumentException("largest frame record of camera " + cameraId + " must be "
                    + MIN_RECORD_BYTES + "-" + Topics.MAX_FRAME_BYTES + " bytes (the frames topic takes no more), was "
                    + maxRecordBytes + "; " + Topics.MAX_FRAME_BYTES + " is the default");
        }
        if (firstSequence < 0) {
            throw new IllegalArgumentException("first frame sequence of camera " + cameraId + " must be 0 or more, was "
                    + firstSequence);
        }
    }

    /**
     * The defaults: no fps cap, JPEG quality 90, no loop, no pacing, backoff 1 s to 30 s, 10 s timeout, records up to
     * the {@code frames} topic's limit.
     */
    public static IngestOptions of(String cameraId, String source) {
        return new IngestOptions(cameraId, SourceSpec.parse(source), 0, JpegEncoder.DEFAULT_QUALITY, false, false,
                Backoff.DEFAULT, DEFAULT_TIMEOUT, Topics.MAX_FRAME_BYTES, 0);
    }

    /** A copy with another frame-rate cap (0 = none). */
    public IngestOptions withMaxFps(double fps) {
        return new IngestOptions(cameraId, source, fps, jpegQuality, loop, realtime, backoff, timeout, maxRecordBytes,
                firstSequence);
    }

    /** A copy with another JPEG quality. */
    public IngestOptions withJpegQuality(int quality) {
        return new IngestOptions(cameraId, source, maxFps, quality, loop, realtime, backoff, timeout, maxRecordBytes,
                firstSequence);
    }

    /** A copy that loops a file, or not. */
    public IngestOptions withLoop(boolean on) {
        return new IngestOptions(cameraId, source, maxFps, jpegQuality, on, realtime, backoff, timeout, maxRecordBytes,
                firstSequence);
    }

    /** A copy that paces a file at its frame rate, or not. */
    public IngestOptions withRealtime(boolean on) {
        return new IngestOptions(cameraId, source, maxFps, jpegQuality, loop, on, backoff, timeout, maxRecordBytes,
                firstSequence);
    }

    /** A copy with another reconnect backoff. */
    public IngestOptions withBackoff(Backoff b) {
        return new IngestOptions(cameraId, source, maxFps, jpegQuality, loop, realtime, b, timeout, maxRecordBytes,
                firstSequence);
    }

    /** A copy with another network timeout. */
    public IngestOptions withTimeout(Duration t) {
        return new IngestOptions(cameraId, source, maxFps, jpegQuality, loop, realtime, backoff, t, maxRecordBytes,
                firstSequence);
    }

    /** A copy with another limit on the size of a {@code frames} record. */
    public IngestOptions withMaxRecordBytes(int bytes) {
        return new IngestOptions(cameraId, source, maxFps, jpegQuality, loop, realtime, backoff, timeout, bytes,
                firstSequence);
    }

    /** A copy whose first frame gets sequence number {@code sequence}. */
    public IngestOptions withFirstSequence(long sequence) {
        return new IngestOptions(cameraId, source, maxFps, jpegQuality, loop, realtime, backoff, timeout,
                maxRecordBytes, sequence);
    }

    /** Opens this camera's source with these options. */
    public FrameSource openSource() {
        return GrabberFrameSource.open(source, loop, realtime, timeout);
    }
}
