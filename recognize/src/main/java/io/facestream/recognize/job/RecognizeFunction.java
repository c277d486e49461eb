package io.facestream.recognize.job;

import io.facestream.core.DetectedFace;
import io.facestream.core.Embedding;
import io.facestream.core.event.DeadLetter;
import io.facestream.core.event.Frame;
import io.facestream.core.event.MatchEvent;
import io.facestream.core.topic.Topics;
import io.facestream.recognize.engine.AnalyzedFace;
import io.facestream.recognize.engine.EngineOptions;
import io.facestream.recognize.engine.FaceEngine;
import io.facestream.recognize.engine.FaceModel;
import io.facestream.recognize.image.RgbImage;
import io.facestream.recognize.match.InMemoryGallery;
import io.facestream.recognize.match.Match;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Detects, embeds and matches every face of a frame: one {@link MatchEvent} per face, and a
 * {@link DeadLetter} on {@link #DEAD_LETTERS} for a frame whose image cannot be decoded.
 *
 * <p>Each subtask opens its own {@link FaceEngine} with one intra-op thread in {@link #open} and closes
 * it in {@link #close}: the engine holds native memory and must not be shared between subtasks, and
 * one single-threaded engine per slot beats one engine with many threads on small batches (STACK.md).
 */
public final class RecognizeFunction extends ProcessFunction<Frame, MatchEvent> {

    private static final long serialVersionUID = 1L;

    /** Frames that could not be processed, with the reason. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("frames-dead-letters") { };

    /** Tracking is not there yet; every event carries this track id until it is. */
    public static final long NO_TRACK = 0;

    private final FaceModel model;
    private final ArrayList<EnrolledFace> gallery;
    private final String weightsDir;
    private final String device;
    private final int minFace;

    private transient FaceEngine engine;
    private transient InMemoryGallery index;
    private transient Clock clock;

    /**
     * @param model the embedder whose embeddings the gallery holds
     * @param gallery the enrolled faces, embedded with {@code model}
     * @param weightsDir the weight cache folder, null for the default one
     * @param device {@code auto}, {@code cpu} or {@code gpu}
     * @param minFace the smallest face to detect, in pixels
     */
    public RecognizeFunction(FaceModel model, List<EnrolledFace> gallery, Path weightsDir, String device, int minFace) {
        if (model == null) {
            throw new IllegalArgumentException("the recognize function needs a face model");
        }
        this.model = model;
        this.gallery = new ArrayList<>(gallery);
        // Path is not serializable; the function travels with the job graph.
        this.weightsDir = weightsDir == null ? null : weightsDir.toString();
        // Validates device and size now, on the client, rather than in every subtask.
        EngineOptions checked = new EngineOptions(weightsDir, 1, device, minFace);
        this.device = checked.device();
        this.minFace = checked.minFace();
        toIndex(model, this.gallery);
    }

    /** A function with the default weight cache, device and minimum face size (MTCNN's 20 px). */
    public static RecognizeFunction withGallery(FaceModel model, List<EnrolledFace> gallery) {
        EngineOptions d = EngineOptions.defaults();
        return new RecognizeFunction(model, gallery, null, d.device(), d.minFace());
    }

    @Override
    public void open(OpenContext context) {
        index = toIndex(model, gallery);
        clock = Clock.systemUTC();
        engine = FaceEngine.open(new EngineOptions(weightsDir == null ? null : Path.of(weightsDir), 1, device, minFace));
    }

    @Override
    public void close() {
        if (engine != null) {
            engine.close();
            engine = null;
        }
    }

    @Override
    public void processElement(Frame frame, Context ctx, Collector<MatchEvent> out) {
        RgbImage image;
        try {
            image = RgbImage.decode(frame.jpeg(), "frame " + frame.cameraId() + " #" + frame.sequence());
        } catch (IOException | RuntimeException e) {
            ctx.output(DEAD_LETTERS, deadLetter(frame, "frame " + frame.cameraId() + " #" + frame.sequence()
                    + " could not be decoded as an image: " + e.getMessage()));
            return;
        }
        List<AnalyzedFace> faces = engine.analyze(image, model, false);
        Instant processed = clock.instant();
        for (int i = 0; i < faces.size(); i++) {
            out.collect(event(frame, i, faces.get(i), processed));
        }
    }

    private MatchEvent event(Frame frame, int faceIndex, AnalyzedFace face, Instant processed) {
        DetectedFace d = face.detection();
        Match m = index.match(face.embedding());
        // An empty gallery has no nearest face: the event says so with a null distance.
        Double distance = Double.isFinite(m.distance()) ? m.distance() : null;
        return new MatchEvent(MatchEvent.eventId(frame.cameraId(), frame.sequence(), faceIndex), frame.cameraId(),
                frame.sequence(), frame.captureTime(), processed, NO_TRACK, d.box(), d.landmarks(), m.identity(),
                distance, m.threshold(), model.modelId());
    }

    private DeadLetter deadLetter(Frame frame, String reason) {
        String topic = Topics.FRAMES.name();
        byte[] raw = Topics.FRAMES.valueSerde().serializer().serialize(topic, frame);
        return new DeadLetter(topic, frame.cameraId(), raw, reason, clock.instant());
    }

    private static InMemoryGallery toIndex(FaceModel model, List<EnrolledFace> faces) {
        InMemoryGallery g = new InMemoryGallery(model.modelId(), model.threshold());
        for (EnrolledFace f : faces) {
            g.enrol(f.identity(), new Embedding(model.modelId(), f.embedding()));
        }
        return g;
    }
}
