package io.facestream.app;

import io.facestream.recognize.engine.FaceModel;
import io.facestream.recognize.group.GroupingOptions;
import io.facestream.recognize.job.RecognizeSettings;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The recognize job's detection and batching options, shared by the commands that run the stream. */
final class StreamMixin {

    @Option(names = "--min-face", paramLabel = "PX", defaultValue = "20",
            description = "Smallest face to detect, in pixels (default: ${DEFAULT-VALUE}, MTCNN's; 40 is about twice as"
                + " fast on 640x360 video).")
    int minFace;

    @Option(names = "--detect-every", paramLabel = "N", defaultValue = "" + RecognizeSettings.DEFAULT_DETECT_EVERY,
            description = "Search the whole picture for new faces once every N frames of a camera, one Nth of the"
                + " detector's scales on each frame, faces followed near their last boxes in between; 1 detects fully"
                + " on every frame (default: ${DEFAULT-VALUE}).")
    int detectEvery;

    @Option(names = "--embed-every", paramLabel = "N", defaultValue = "" + RecognizeSettings.DEFAULT_EMBED_EVERY,
            description = "A face followed from the last frame keeps its embedding until it is N frames old, then is"
                + " embedded again; 1 embeds every face of every frame (default: ${DEFAULT-VALUE}).")
    int embedEvery;

    @Option(names = "--batch-frames", paramLabel = "N", defaultValue = "0",
            description = "Embed the faces of up to N frames of a subtask in one batch (default: 0, by device: 8 on a"
                + " GPU, 1 on a CPU, where batches are no faster).")
    int batchFrames;

    @Option(names = "--batch-wait", paramLabel = "MS", defaultValue = "10",
            description = "The longest a frame waits for its batch, in milliseconds (default: ${DEFAULT-VALUE}).")
    long batchWaitMillis;

    @Option(names = "--group-unknowns", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Group the tracks of faces no gallery entry matches into stable unknown-<n> people, linked"
                + " only where MobileFaceNet and the dlib network agree (on by default; --no-group-unknowns: each"
                + " unknown track stays its own). Groups go to the unknowns topic and can be named through the API.")
    boolean groupUnknowns;

    @Option(names = "--low-light",
            description = "Detect faces on each frame with its contrast equalised locally (CLAHE, 8x8 tiles, clip 3),"
                + " for cameras in harsh or low light: faces half in shadow are found more often. A face lost from one"
                + " frame to the next is looked for again near its last box at a tenth of the detector's confidence,"
                + " for up to 25 frames (its track goes on in the dark). Faces are still aligned and embedded from the"
                + " frame as it is.")
    boolean lowLight;

    @Option(names = "--dlib-chip", paramLabel = "HOW", defaultValue = "five",
            description = "How the dlib network's chip is aligned, for its second opinion when grouping unknowns: five"
                + " (MTCNN's five landmarks) or shape68 (dlib's own chip from 68 landmarks of a third network; README,"
                + " \"dlib's own chip\") (default: ${DEFAULT-VALUE}).")
    String dlibChip;

    /** The job's settings for MobileFaceNet with these options. */
    RecognizeSettings settings() {
        return RecognizeSettings.defaults(FaceModel.MOBILEFACENET).withMinFace(minFace).withDetectEvery(detectEvery)
                .withEmbedEvery(embedEvery)
                .withBatch(batchFrames, Duration.ofMillis(batchWaitMillis))
                .withGrouping(groupUnknowns ? GroupingOptions.defaults() : null)
                .withLowLight(lowLight)
                .withDlibChip(dlibChip);
    }
}
