package io.facestream.recognize.job;

import io.facestream.recognize.engine.EngineOptions;
import io.facestream.recognize.engine.FaceChoice;
import io.facestream.recognize.engine.FaceModel;
import io.facestream.recognize.group.GroupingOptions;
import io.facestream.recognize.image.Contrast;
import io.facestream.recognize.image.RgbImage;
import io.facestream.recognize.track.KeyframeDetector;
import io.facestream.recognize.track.TrackerOptions;
import io.facestream.recognize.weights.WeightStore;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What the job's operators need, checked once on the client and shipped with the job graph.
 *
 * @param model the embedder of frames and enrolments; the gallery is matched on its embeddings
 * @param weightsDir the weight cache folder, null for the default one (a text: {@link Path} is not serializable)
 * @param device {@code auto}, {@code cpu} or {@code gpu}
 * @param minFace the smallest face to detect, in pixels
 * @param reorderTimeout how long a camera's frames wait for a missing earlier frame before the gap is skipped
 * @param detectEvery the whole picture is searched for new faces once every this many frames, a part of the
 *     detector's scales on each frame ({@link #KEY_FRAME_SCHEDULE}), faces followed near their last boxes in between
 *     ({@code KeyframeDetector}); 1 runs the full detection on every frame
 * @param embedEvery a followed face takes the embedding of the face it follows until that embedding is this many frames
 *     old, and is embedded afresh then ({@code EmbeddingReuse}); 1 embeds every face of every frame
 * @param batchFrames the faces of up to this many frames of a subtask are embedded in one batch; 1 processes each
 *     frame as it comes; 0 chooses by the device each subtask finds ({@link #batchFramesOn(boolean)})
 * @param batchWait how long the first frame of a batch waits for the others
 * @param hardExamples which faces go to {@code hard-examples} for the trainer; null sends none
 * @param initialGallery faces known before the {@code gallery} topic says anything (for a demo folder or a
 *     test); an entry or a tombstone of the same identity on the topic replaces them
 * @param grouping how unknown tracks are grouped into {@code unknown-<n>} people; null groups none
 * @param lowLight faces are detected on each frame with its contrast equalised locally ({@link #LOW_LIGHT_GRID},
 *     {@link #LOW_LIGHT_CLIP}), for cameras in harsh or low light; they are aligned and embedded from the frame as it is.
 *     A face lost from one frame to the next is looked for again near its last box at {@link #LOW_LIGHT_UNSURE}
 *     ({@link #unsureThreshold()})
 * @param dlibChip how the dlib network's chip is aligned ({@link EngineOptions#dlibChip()}): {@code five} or
 *     {@code shape68}; it serves {@code --model dlib|ensemble} and the second opinion of unknown grouping
 */
public record RecognizeSettings(FaceModel model, String weightsDir, String device, int minFace,
        Duration reorderTimeout, int detectEvery, int embedEvery, int batchFrames, Duration batchWait,
        HardExampleOptions hardExamples,
        List<EnrolledFace> initialGallery, GroupingOptions grouping, boolean lowLight, String dlibChip)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * Default reorder timeout. Frames go out of order only by the spread of recognition times across
     * subtasks (a few hundred milliseconds on a CPU); a frame missing for longer was lost (an oversized
     * frame ingest dead-lettered, a record that was not a frame), and waiting for it only delays the camera.
     */
    public static final Duration DEFAULT_REORDER_TIMEOUT = Duration.ofSeconds(2);

    /**
     * Default key-frame interval: a full detection every 5th frame (every 0.2 s at 25 fps), so a face that comes
     * into view is found within 4 frames, and faces are followed near their boxes in between.
     */
    public static final int DEFAULT_DETECT_EVERY = 5;

    /**
     * Default age limit of a reused embedding: a followed face is embedded afresh at least every 5th frame of its
     * camera (every 0.2 s at 25 fps; with the frames spread over 2 subtasks, every 3rd frame a subtask sees), which
     * takes the embedding, most of a followed frame's cost on a CPU, to a third or less.
     */
    public static final int DEFAULT_EMBED_EVERY = 5;

    /**
     * How the search for new faces is spread over the frames: a part of the pyramid's scales on every frame rather
     * than the whole pyramid on every {@link #detectEvery()}th. Measured with {@code bench keyframes} (640x360 film
     * clip, every 5): the same faces found (182 of a full detection's 188, against 181 with key frames) for the same
     * mean time a frame, with the 95th percentile of a frame's detection time 40 % lower; on 2 cores that burst
     * queued the frames behind a key frame.
     */
    public static final KeyframeDetector.Schedule KEY_FRAME_SCHEDULE = KeyframeDetector.Schedule.SPREAD;

    /**
     * Tiles per side of {@link #lowLight()}'s equalisation (CLAHE). With {@link #LOW_LIGHT_CLIP}, the best of three
     * CLAHE settings and global equalisation by the faces MTCNN finds in Extended Yale B's training people's photos on
     * a grey 640x360 frame: 1,467 of 1,709, against 1,356 as they are (README, "Training from the stream").
     */
    public static final int LOW_LIGHT_GRID = 8;
    /**
     * The detector's three thresholds when {@link #lowLight()} looks again for a face lost near its last box (for at
     * most {@link KeyframeDetector#HOLD_FRAMES} frames): a tenth of its usual confidence, as the data-set images' last
     * look ({@link FaceChoice#LAST_LOOK_THRESHOLD}), for a place known to have held a face.
     */
    public static final double LOW_LIGHT_UNSURE = FaceChoice.LAST_LOOK_THRESHOLD;

    /** Clip limit of {@link #lowLight()}'s equalisation, in multiples of a tile's mean histogram bin. */
    public static final double LOW_LIGHT_CLIP = 3.0;

    /** Micro-batch size that means: choose by the device of the subtask. */
    public static final int AUTO_BATCH_FRAMES = 0;
    /**
     * Default micro-batch on a CPU: one frame. Measured on 2 cores, MobileFaceNet embeds 67 faces/s one at a time
     * and 69 in batches of 8 on one thread, so waiting for a batch only adds latency there.
     */
    public static final int DEFAULT_BATCH_FRAMES_CPU = 1;
    /** Default micro-batch where a GPU may be used: a GPU embeds 8 frames' faces in about the time of one. */
    public static final int DEFAULT_BATCH_FRAMES_GPU = 8;
    /** Default longest wait of a frame for its batch: a fraction of a 25 fps frame interval. */
    public static final Duration DEFAULT_BATCH_WAIT = Duration.ofMillis(10);

    public RecognizeSettings {
        if (model == null) {
            throw new IllegalArgumentException("the recognize job needs a face model, was null");
        }
        // Checks device and size here, on the client, rather than in every subtask.
        EngineOptions checked = new EngineOptions(weightsDir == null ? null : Path.of(weightsDir), 1, device, minFace,
                dlibChip);
        device = checked.device();
        dlibChip = checked.dlibChip();
        if (reorderTimeout == null || reorderTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("the reorder timeout must be at least 1 ms, was " + reorderTimeout);
        }
        if (detectEvery < 1) {
            throw new IllegalArgumentException("a full detection every " + detectEvery
                    + " frames is not a schedule; use 1 (every frame) or more");
        }
        if (embedEvery < 1) {
            throw new IllegalArgumentException("an embedding serves at least 1 frame (1: every face embedded), was "
                    + embedEvery);
        }
        if (batchFrames < 0) {
            throw new IllegalArgumentException("a micro-batch needs at least 1 frame (0: by device), was " + batchFrames);
        }
        if (batchWait == null || batchWait.isNegative()) {
            throw new IllegalArgumentException("the batch wait must be 0 or more, was " + batchWait);
        }
        initialGallery = initialGallery == null ? List.of() : List.copyOf(initialGallery);
        // Fails fast on a face that cannot be matched (not unit length) rather than in a subtask.
        GalleryIndex.build(model, initialGallery, List.of());
    }

    /** The given model with the default weights, device, minimum face (MTCNN's 20 px) and reorder timeout. */
    public static RecognizeSettings defaults(FaceModel model) {
        EngineOptions d = EngineOptions.defaults();
        return new RecognizeSettings(model, null, d.device(), d.minFace(), DEFAULT_REORDER_TIMEOUT,
                DEFAULT_DETECT_EVERY, DEFAULT_EMBED_EVERY, AUTO_BATCH_FRAMES, DEFAULT_BATCH_WAIT, null, List.of(),
                null, false, d.dlibChip());
    }

    /** A copy with a static initial gallery. */
    public RecognizeSettings withGallery(List<EnrolledFace> faces) {
        return new RecognizeSettings(model, weightsDir, device, minFace, reorderTimeout, detectEvery, embedEvery,
                batchFrames, batchWait, hardExamples, faces, grouping, lowLight, dlibChip);
    }

    /** A copy that detects faces down to {@code pixels} wide (MTCNN's default is 20; larger is faster). */
    public RecognizeSettings withMinFace(int pixels) {
        return new RecognizeSettings(model, weightsDir, device, pixels, reorderTimeout, detectEvery, embedEvery,
                batchFrames, batchWait, hardExamples, initialGallery, grouping, lowLight, dlibChip);
    }

    /** A copy with another reorder timeout. */
    public RecognizeSettings withReorderTimeout(Duration timeout) {
        return new RecognizeSettings(model, weightsDir, device, minFace, timeout, detectEvery, embedEvery,
                batchFrames, batchWait, hardExamples, initialGallery, grouping, lowLight, dlibChip);
    }

    /** A copy with a full detection every {@code frames} frames (1: every frame). */
    public RecognizeSettings withDetectEvery(int frames) {
        return new RecognizeSettings(model, weightsDir, device, minFace, reorderTimeout, frames, embedEvery,
                batchFrames, batchWait, hardExamples, initialGallery, grouping, lowLight, dlibChip);
    }

    /** A copy whose followed faces take their embedding for up to {@code frames} frames (1: every face embedded). */
    public RecognizeSettings withEmbedEvery(int frames) {
        return new RecognizeSettings(model, weightsDir, device, minFace, reorderTimeout, detectEvery, frames,
                batchFrames, batchWait, hardExamples, initialGallery, grouping, lowLight, dlibChip);
    }

    /** A copy that embeds the faces of up to {@code frames} frames together, waiting at most {@code wait}. */
    public RecognizeSettings withBatch(int frames, Duration wait) {
        return new RecognizeSettings(model, weightsDir, device, minFace, reorderTimeout, detectEvery, embedEvery,
                frames, wait, hardExamples, initialGallery, grouping, lowLight, dlibChip);
    }

    /** A copy that sends faces to {@code hard-examples} as {@code options} say (null: none). */
    public RecognizeSettings withHardExamples(HardExampleOptions options) {
        return new RecognizeSettings(model, weightsDir, device, minFace, reorderTimeout, detectEvery, embedEvery,
                batchFrames, batchWait, options, initialGallery, grouping, lowLight, dlibChip);
    }

    /** A copy that groups unknown tracks as {@code options} say (null: not at all). */
    public RecognizeSettings withGrouping(GroupingOptions options) {
        return new RecognizeSettings(model, weightsDir, device, minFace, reorderTimeout, detectEvery, embedEvery,
                batchFrames, batchWait, hardExamples, initialGallery, options, lowLight, dlibChip);
    }

    /** A copy that detects faces on each frame with its contrast equalised locally ({@code lowLight}) or as it is. */
    public RecognizeSettings withLowLight(boolean on) {
        return new RecognizeSettings(model, weightsDir, device, minFace, reorderTimeout, detectEvery, embedEvery,
                batchFrames, batchWait, hardExamples, initialGallery, grouping, on, dlibChip);
    }

    /** A copy whose dlib network aligns its chip {@code chip}: {@code five} or {@code shape68}. */
    public RecognizeSettings withDlibChip(String chip) {
        return new RecognizeSettings(model, weightsDir, device, minFace, reorderTimeout, detectEvery, embedEvery,
                batchFrames, batchWait, hardExamples, initialGallery, grouping, lowLight, chip);
    }

    /** The image the detector looks at for {@code frame}: the frame itself, or with {@link #lowLight()} equalised. */
    public RgbImage detectorView(RgbImage frame) {
        return lowLight ? Contrast.local(frame, LOW_LIGHT_GRID, LOW_LIGHT_CLIP) : frame;
    }

    /** The threshold lost faces are looked for again at: {@link #LOW_LIGHT_UNSURE} in low light, else 0 (not). */
    public double unsureThreshold() {
        return lowLight ? LOW_LIGHT_UNSURE : 0;
    }

    /**
     * Frames a face the detector lost is still cut at its last place, for the trainer ({@link
     * HardExampleOptions#lostFrames()}); 0 when the job sends no hard examples or groups unknown tracks (whose hard
     * examples are labelled by group, which a lost face has none of).
     */
    public int lostFrames() {
        return hardExamples == null || grouping != null ? 0 : hardExamples.lostFrames();
    }

    /** The micro-batch of a subtask: the one set, or by default 8 frames on a GPU and 1 on a CPU. */
    public int batchFramesOn(boolean gpu) {
        if (batchFrames != AUTO_BATCH_FRAMES) {
            return batchFrames;
        }
        return gpu && !"cpu".equals(device) ? DEFAULT_BATCH_FRAMES_GPU : DEFAULT_BATCH_FRAMES_CPU;
    }

    /** Where published models are unpacked to be opened: {@code models} in the weight cache folder. */
    public Path modelsDir() {
        WeightStore store = weightsDir == null ? WeightStore.defaultStore() : new WeightStore(Path.of(weightsDir));
        return store.root().resolve("models");
    }

    /** The options of one subtask's face engine: one intra-op thread, since each slot has its own engine. */
    public EngineOptions engineOptions() {
        return new EngineOptions(weightsDir == null ? null : Path.of(weightsDir), 1, device, minFace, dlibChip);
    }

    /** The tracker's gates for this model. */
    public TrackerOptions trackerOptions() {
        return TrackerOptions.forThreshold(model.threshold());
    }
}
