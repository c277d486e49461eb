package io.facestream.recognize.job;

import io.facestream.core.DetectedFace;
import io.facestream.core.Embedding;
import io.facestream.core.event.DeadLetter;
import io.facestream.core.event.Frame;
import io.facestream.core.topic.Topics;
import io.facestream.recognize.engine.FaceEngine;
import io.facestream.recognize.image.RgbImage;
import io.facestream.recognize.track.KeyframeDetector;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Detects and embeds every face of a frame. Emits one {@link AnalyzedFrame} for every frame, also one
 * without faces, so that the camera's frames can be put back in order downstream; a frame whose image
 * cannot be decoded goes to {@link #DEAD_LETTERS} with the reason and leaves a dead-lettered marker in
 * its place.
 *
 * <p>Faces are detected fully on key frames and followed near their last boxes in between
 * ({@link KeyframeDetector}, {@link RecognizeSettings#detectEvery()}); that cache is the only state, kept per
 * subtask and not checkpointed, so frames are still spread over all subtasks. Each subtask opens its own {@link FaceEngine}
 * with one intra-op thread in {@link #open} and closes it in {@link #close}: the engine holds native
 * memory and must not be shared between subtasks, and one single-threaded engine per slot beats one
 * engine with many threads on small batches (STACK.md).
 */
public final class RecognizeFunction extends ProcessFunction<Frame, AnalyzedFrame> {

    private static final long serialVersionUID = 1L;

    /** Frames that could not be processed, with the reason. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("frames-dead-letters") { };

    private final RecognizeSettings settings;

    private transient FaceEngine engine;
    private transient KeyframeDetector detector;
    private transient Clock clock;

    public RecognizeFunction(RecognizeSettings settings) {
        if (settings == null) {
            throw new IllegalArgumentException("the recognize function needs its settings, was null");
        }
        this.settings = settings;
    }

    @Override
    public void open(OpenContext context) {
        clock = Clock.systemUTC();
        engine = FaceEngine.open(settings.engineOptions());
        detector = KeyframeDetector.of(engine, settings.detectEvery());
    }

    @Override
    public void close() {
        if (engine != null) {
            engine.close();
            engine = null;
        }
    }

    @Override
    public void processElement(Frame frame, Context ctx, Collector<AnalyzedFrame> out) {
        String name = "frame " + frame.cameraId() + " #" + frame.sequence();
        RgbImage image;
        try {
            image = RgbImage.decode(frame.jpeg(), name);
        } catch (IOException | RuntimeException e) {
            ctx.output(DEAD_LETTERS, deadLetter(frame, name + " could not be decoded as an image: " + e.getMessage()));
            out.collect(AnalyzedFrame.deadLettered(frame.cameraId(), frame.sequence(), frame.captureTime(),
                    clock.instant()));
            return;
        }
        List<DetectedFace> faces = detector.detect(frame.cameraId(), frame.sequence(), image).faces();
        List<Embedding> embeddings = faces.isEmpty() ? List.of() : engine.embed(image, faces, settings.model(), false);
        Instant processed = clock.instant();
        List<FaceFeatures> features = new ArrayList<>(faces.size());
        for (int i = 0; i < faces.size(); i++) {
            DetectedFace d = faces.get(i);
            features.add(new FaceFeatures(d.box(), d.landmarks(), embeddings.get(i).values()));
        }
        out.collect(new AnalyzedFrame(frame.cameraId(), frame.sequence(), frame.captureTime(), processed, features,
                false));
    }

    private DeadLetter deadLetter(Frame frame, String reason) {
        String topic = Topics.FRAMES.name();
        byte[] raw = Topics.FRAMES.valueSerde().serializer().serialize(topic, frame);
        return new DeadLetter(topic, frame.cameraId(), raw, reason, clock.instant());
    }
}
