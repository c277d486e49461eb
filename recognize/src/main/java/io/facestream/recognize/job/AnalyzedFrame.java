package io.facestream.recognize.job;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What recognition made of one frame, emitted for every frame so that the camera's stream can be put
 * back in sequence order: the faces (possibly none), or a marker that the frame went to the dead-letter
 * topic, which fills its place in the sequence.
 *
 * @param faces the faces in the detector's order (a face's index is its place in this list)
 * @param deadLettered true when the frame could not be decoded and went to {@code frames.dlq}; no faces then
 * @param modelId the model that made the embeddings, null for the job's own model
 * @param threshold that model's squared-L2 threshold, null for the job's own model's
 * @param lost faces of earlier frames that detection lost, cut and embedded in this frame at their last place, for
 *     the trainer only ({@link HardExampleOptions#lostFrames()}): they are no match events
 */
public record AnalyzedFrame(String cameraId, long sequence, Instant captureTime, Instant processingTime,
        List<FaceFeatures> faces, boolean deadLettered, String modelId, Double threshold, List<FaceFeatures> lost) {

    /** A frame with no lost faces. */
    public AnalyzedFrame(String cameraId, long sequence, Instant captureTime, Instant processingTime,
            List<FaceFeatures> faces, boolean deadLettered, String modelId, Double threshold) {
        this(cameraId, sequence, captureTime, processingTime, faces, deadLettered, modelId, threshold, List.of());
    }

    /** A frame embedded with the job's own model. */
    public AnalyzedFrame(String cameraId, long sequence, Instant captureTime, Instant processingTime,
            List<FaceFeatures> faces, boolean deadLettered) {
        this(cameraId, sequence, captureTime, processingTime, faces, deadLettered, null, null);
    }

    public AnalyzedFrame {
        if (cameraId == null || cameraId.isBlank() || captureTime == null || processingTime == null || faces == null) {
            throw new IllegalArgumentException("an analysed frame needs a camera id, times and a face list");
        }
        if (sequence < 0) {
            throw new IllegalArgumentException("frame sequence must be >= 0, was " + sequence);
        }
        if (deadLettered && !faces.isEmpty()) {
            throw new IllegalArgumentException("a dead-lettered frame has no faces, had " + faces.size());
        }
        if ((modelId == null) != (threshold == null)) {
            throw new IllegalArgumentException("a frame's model id and threshold come together, had " + modelId + " and "
                    + threshold);
        }
        faces = new ArrayList<>(faces);
        lost = lost == null ? new ArrayList<>() : new ArrayList<>(lost);
        if (deadLettered && !lost.isEmpty()) {
            throw new IllegalArgumentException("a dead-lettered frame has no lost faces, had " + lost.size());
        }
    }

    /** The marker of a frame that went to the dead-letter topic. */
    public static AnalyzedFrame deadLettered(String cameraId, long sequence, Instant captureTime, Instant processingTime) {
        return new AnalyzedFrame(cameraId, sequence, captureTime, processingTime, List.of(), true);
    }

    /** The faces (a copy). */
    @Override
    public List<FaceFeatures> faces() {
        return new ArrayList<>(faces);
    }

    /** The lost faces (a copy). */
    @Override
    public List<FaceFeatures> lost() {
        return new ArrayList<>(lost);
    }

    @Override
    public String toString() {
        return "AnalyzedFrame[" + cameraId + " #" + sequence + (deadLettered ? ", dead-lettered" : ", " + faces.size()
                + " faces") + "]";
    }
}
