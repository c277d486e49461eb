package io.facestream.recognize.job;

import io.facestream.core.DetectedFace;
import io.facestream.core.event.DeadLetter;
import io.facestream.core.event.Frame;
import io.facestream.core.topic.Topics;
import io.facestream.recognize.engine.AnalyzedFace;
import io.facestream.recognize.engine.FaceEngine;
import io.facestream.recognize.image.RgbImage;
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
 * <p>Stateless, so frames are spread over all subtasks. Each subtask opens its own {@link FaceEngine}
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
        List<AnalyzedFace> faces = engine.analyze(image, settings.model(), false);
        Instant processed = clock.instant();
        List<FaceFeatures> features = new ArrayList<>(faces.size());
        for (AnalyzedFace f : faces) {
            DetectedFace d = f.detection();
            features.add(new FaceFeatures(d.box(), d.landmarks(), f.embedding().values()));
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
