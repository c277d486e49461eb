package io.facestream.recognize.job;

import io.facestream.recognize.engine.EngineOptions;
import io.facestream.recognize.engine.FaceModel;
import io.facestream.recognize.group.GroupingOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.util.ParameterTool;

/**
 * The recognize job's command-line options, parsed once and checked.
 *
 * @param bootstrap Kafka bootstrap servers ({@code --bootstrap}, default {@code localhost:9092})
 * @param parallelism subtasks per operator, one face engine each ({@code --parallelism}, default 2)
 * @param delivery {@code --delivery exactly-once|at-least-once}, default exactly-once
 * @param checkpointInterval {@code --checkpoint-interval} in ISO-8601 ({@code PT1S}) or milliseconds, default 1 s;
 *     exactly-once output becomes visible to read_committed consumers only at each checkpoint
 * @param model {@code --model mobilefacenet|dlib|ensemble}, default mobilefacenet: the embedder of frames and
 *     enrolments; the gallery is matched on this model's embeddings and threshold
 * @param minFace {@code --min-face}, the smallest face to detect in pixels, 12 or more, default 20 (MTCNN's)
 * @param device {@code --device auto|cpu|gpu}, default auto
 * @param weightsDir {@code --weights DIR}, the weight cache folder; null for the default one
 * @param reorderTimeout {@code --reorder-timeout} (ISO-8601 or milliseconds, default 2 s): how long a camera's
 *     frames wait for a missing earlier frame before the gap is skipped
 * @param detectEvery {@code --detect-every N} (default 5): the whole picture searched for new faces once every N
 *     frames of a camera, one Nth of the detector's scales on each frame, faces followed near their last boxes in
 *     between; 1 detects fully on every frame
 * @param embedEvery {@code --embed-every N} (default 5): a followed face takes the embedding of the face it follows
 *     until that embedding is N frames old; 1 embeds every face of every frame
 * @param batchFrames {@code --batch-frames N}: embed the faces of up to N frames of a subtask in one batch (default
 *     0: 8 on a GPU, 1 on a CPU)
 * @param batchWait {@code --batch-wait} (milliseconds or ISO-8601, default 10 ms): the longest a frame waits for its
 *     batch
 * @param hardExamples {@code --hard-examples}: send faces to {@code hard-examples} for the trainer, with
 *     {@code --hard-every N} (every Nth face of a track, default 25), {@code --hard-near-band D} (faces within D of
 *     the threshold, default 0.1), {@code --hard-max-per-track N} (default 200) and {@code --hard-lost N} (a face
 *     the detector lost cut at its last place for up to N frames, default 0, none); null when off
 * @param grouping {@code --group-unknowns}: group unknown tracks into stable {@code unknown-<n>} people by the
 *     consensus of the model and the second network (written to {@code unknowns}, carried by each unknown face's
 *     match event); null when off
 * @param lowLight {@code --low-light}: detect faces on each frame with its contrast equalised locally (CLAHE), for
 *     cameras in harsh or low light; faces are aligned and embedded from the frame as it is
 * @param dlibChip {@code --dlib-chip five|shape68} (default five): how the dlib network's chip is aligned, for
 *     {@code --model dlib|ensemble} and the second opinion of {@code --group-unknowns}
 */
public record RecognizeJobOptions(String bootstrap, int parallelism, DeliveryGuarantee delivery,
        Duration checkpointInterval, FaceModel model, int minFace, String device, Path weightsDir,
        Duration reorderTimeout, int detectEvery, int embedEvery, int batchFrames, Duration batchWait,
        HardExampleOptions hardExamples, GroupingOptions grouping, boolean lowLight, String dlibChip) {

    /** Default checkpoint interval: the latency exactly-once adds to every match event. */
    public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(1);

    /** P-Net's 12 px window: no smaller face can be detected. */
    public static final int MIN_FACE_LOWER_BOUND = 12;

    public RecognizeJobOptions {
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException("--bootstrap must name at least one broker, such as localhost:9092");
        }
        if (parallelism < 1) {
            throw new IllegalArgumentException("--parallelism must be at least 1, was " + parallelism);
        }
        if (delivery != DeliveryGuarantee.EXACTLY_ONCE && delivery != DeliveryGuarantee.AT_LEAST_ONCE) {
            throw new IllegalArgumentException("--delivery must be exactly-once or at-least-once, was " + delivery);
        }
        if (checkpointInterval == null || checkpointInterval.toMillis() < 10) {
            throw new IllegalArgumentException("--checkpoint-interval must be at least 10 ms, was " + checkpointInterval);
        }
        if (model == null) {
            throw new IllegalArgumentException("--model must be one of " + modelNames() + ", was null");
        }
        if (minFace < MIN_FACE_LOWER_BOUND) {
            throw new IllegalArgumentException("--min-face must be at least " + MIN_FACE_LOWER_BOUND
                    + " px (P-Net's window), was " + minFace);
        }
        device = device == null ? "auto" : device.toLowerCase(Locale.ROOT);
        if (!EngineOptions.DEVICES.contains(device)) {
            throw new IllegalArgumentException("--device must be one of " + EngineOptions.DEVICES + ", was \"" + device
                    + "\"");
        }
        if (reorderTimeout == null || reorderTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("--reorder-timeout must be at least 1 ms, was " + reorderTimeout);
        }
        if (detectEvery < 1) {
            throw new IllegalArgumentException("--detect-every must be at least 1 (a full detection on every frame), was "
                    + detectEvery);
        }
        if (embedEvery < 1) {
            throw new IllegalArgumentException("--embed-every must be at least 1 (every face of every frame embedded), was "
                    + embedEvery);
        }
        if (batchFrames < 0) {
            throw new IllegalArgumentException("--batch-frames must be 1 or more (0: by device), was " + batchFrames);
        }
        if (batchWait == null || batchWait.isNegative()) {
            throw new IllegalArgumentException("--batch-wait must be 0 or more, was " + batchWait);
        }
        dlibChip = dlibChip == null ? "five" : dlibChip.toLowerCase(Locale.ROOT);
        if (!EngineOptions.DLIB_CHIPS.contains(dlibChip)) {
            throw new IllegalArgumentException("--dlib-chip must be one of " + EngineOptions.DLIB_CHIPS + ", was \""
                    + dlibChip + "\"");
        }
    }

    /** {@code exactly-once} or {@code at-least-once} (any case) as a guarantee; anything else is refused by name. */
    public static DeliveryGuarantee delivery(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "exactly-once" -> DeliveryGuarantee.EXACTLY_ONCE;
            case "at-least-once" -> DeliveryGuarantee.AT_LEAST_ONCE;
            default -> throw new IllegalArgumentException("--delivery must be exactly-once or at-least-once, was \""
                    + text.toLowerCase(Locale.ROOT) + "\"");
        };
    }

    /** Parses {@code --name value} pairs; an {@link IllegalArgumentException} names a bad option and its range. */
    public static RecognizeJobOptions parse(String[] args) {
        ParameterTool p = ParameterTool.fromArgs(args);
        DeliveryGuarantee guarantee = delivery(p.get("delivery", "exactly-once"));
        FaceModel model;
        try {
            model = FaceModel.parse(p.get("model", FaceModel.MOBILEFACENET.cliName()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--model must be one of " + modelNames() + ", was \"" + p.get("model")
                    + "\"");
        }
        String weights = p.get("weights", null);
        return new RecognizeJobOptions(p.get("bootstrap", "localhost:9092"),
                whole(p, "parallelism", 2),
                guarantee,
                duration(p, "checkpoint-interval", DEFAULT_CHECKPOINT_INTERVAL),
                model,
                whole(p, "min-face", EngineOptions.defaults().minFace()),
                p.get("device", "auto"),
                weights == null ? null : Path.of(weights),
                duration(p, "reorder-timeout", RecognizeSettings.DEFAULT_REORDER_TIMEOUT),
                whole(p, "detect-every", RecognizeSettings.DEFAULT_DETECT_EVERY),
                whole(p, "embed-every", RecognizeSettings.DEFAULT_EMBED_EVERY),
                whole(p, "batch-frames", RecognizeSettings.AUTO_BATCH_FRAMES),
                duration(p, "batch-wait", RecognizeSettings.DEFAULT_BATCH_WAIT),
                p.has("hard-examples") ? hardExamples(p) : null,
                p.has("group-unknowns") ? GroupingOptions.defaults() : null,
                p.has("low-light"),
                p.get("dlib-chip", "five"));
    }

    /** What the job's operators need from these options. */
    public RecognizeSettings settings() {
        return new RecognizeSettings(model, weightsDir == null ? null : weightsDir.toString(), device, minFace,
                reorderTimeout, detectEvery, embedEvery, batchFrames, batchWait, hardExamples,
                List.of(), grouping, lowLight, dlibChip);
    }

    private static HardExampleOptions hardExamples(ParameterTool p) {
        HardExampleOptions d = HardExampleOptions.defaults();
        double band;
        String text = p.get("hard-near-band", null);
        try {
            band = text == null ? d.nearBand() : Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--hard-near-band must be a number, was \"" + text + "\"");
        }
        return new HardExampleOptions(whole(p, "hard-every", d.trackEvery()), d.newTracks(), band, d.galleryFraction(),
                whole(p, "hard-max-per-track", d.maxPerTrack()), whole(p, "hard-lost", d.lostFrames()));
    }

    private static int whole(ParameterTool p, String name, int fallback) {
        String text = p.get(name, null);
        if (text == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, was \"" + text + "\"");
        }
    }

    private static Duration duration(ParameterTool p, String name, Duration fallback) {
        String text = p.get(name, null);
        if (text == null) {
            return fallback;
        }
        try {
            return text.startsWith("P") || text.startsWith("p") ? Duration.parse(text.toUpperCase(Locale.ROOT))
                    : Duration.ofMillis(Long.parseLong(text));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--" + name + " must be milliseconds (1000) or ISO-8601 (PT1S), was \""
                    + text + "\"");
        }
    }

    private static List<String> modelNames() {
        return Arrays.stream(FaceModel.values()).map(FaceModel::cliName).toList();
    }
}
