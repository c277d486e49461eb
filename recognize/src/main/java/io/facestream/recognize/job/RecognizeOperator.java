package io.facestream.recognize.job;

import ai.djl.engine.Engine;
import io.facestream.core.DetectedFace;
import io.facestream.core.Embedding;
import io.facestream.core.event.DeadLetter;
import io.facestream.core.event.Frame;
import io.facestream.core.topic.Topics;
import io.facestream.recognize.engine.FaceEngine;
import io.facestream.recognize.engine.FaceModel;
import io.facestream.recognize.image.RgbImage;
import io.facestream.recognize.track.EmbeddingReuse;
import io.facestream.recognize.track.KeyframeDetector;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.BoundedMultiInput;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * Detects and embeds every face of a frame, with the faces of up to {@link RecognizeSettings#batchFramesOn} frames
 * embedded in one network batch. Emits one {@link AnalyzedFrame} for every frame, also one without faces, so that
 * the camera's frames can be put back in order downstream; a frame whose image cannot be decoded goes to
 * {@link #DEAD_LETTERS} with the reason and leaves a dead-lettered marker in its place.
 *
 * <p><b>Micro-batching.</b> Frames are buffered until {@code batchFrames} are there or the first has waited
 * {@link RecognizeSettings#batchWait()}, then detected one by one and embedded together: a GPU or a many-core CPU
 * embeds a batch of faces in little more time than one face. With {@code batchFrames == 1} every frame is processed
 * as it comes and nothing waits. The buffer is emptied before every checkpoint barrier and at the end of the input,
 * so it is never part of a checkpoint and no frame is lost or held back by one.
 *
 * <p>Faces are followed near their last boxes while each frame searches a part of the detector's scales for new ones
 * ({@link KeyframeDetector}, {@link RecognizeSettings#detectEvery()}, {@link RecognizeSettings#KEY_FRAME_SCHEDULE});
 * a followed face takes the embedding of the face it follows until that embedding is
 * {@link RecognizeSettings#embedEvery()} frames old ({@link EmbeddingReuse}). Both caches are kept per subtask and not
 * checkpointed, so frames are still spread over all subtasks. Only a face embedded afresh carries the crops for the
 * trainer (a reused embedding belongs to an earlier crop); the loose cut for the grouping goes with every face.
 *
 * <p><b>Models.</b> Frames are embedded with the job's model until a {@link ModelActivation} arrives on the second
 * input (broadcast from {@link ModelSwitchFunction}); frames buffered before it are embedded with the model they came
 * under, and every later one with the activated model, whose id and threshold travel with the frame. The newest
 * activation is operator state, so a restored job goes on with the model it had.
 *
 * <p>Each subtask opens its own {@link FaceEngine} with one intra-op thread in {@link #open} and closes it in
 * {@link #close}: the engine holds native memory and must not be shared between subtasks, and one single-threaded
 * engine per slot beats one engine with many threads on small batches (STACK.md).
 */
public final class RecognizeOperator extends AbstractStreamOperator<AnalyzedFrame>
        implements TwoInputStreamOperator<Frame, ModelActivation, AnalyzedFrame>, BoundedMultiInput {

    private static final long serialVersionUID = 1L;

    /** Frames that could not be processed, with the reason. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("frames-dead-letters") { };

    private final RecognizeSettings settings;

    private transient FaceEngine engine;
    private transient KeyframeDetector detector;
    private transient EmbeddingReuse reuse;
    private transient Clock clock;
    private transient List<Frame> buffer;
    /** Counts flushes, so that a timer set for an earlier batch does nothing. */
    private transient long batch;
    private transient int batchFrames;
    /** The model frames are embedded with, and the activation that chose it (null: the job's own model). */
    private transient FaceModel model;
    private transient ModelActivation activation;
    private transient ListState<ModelActivation> activationState;
    private transient JobMetrics.Recognize metrics;

    public RecognizeOperator(RecognizeSettings settings) {
        if (settings == null) {
            throw new IllegalArgumentException("the recognize operator needs its settings, was null");
        }
        this.settings = settings;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        activationState = context.getOperatorStateStore().getUnionListState(
                new ListStateDescriptor<>("model-activation", TypeInformation.of(ModelActivation.class)));
        for (ModelActivation a : activationState.get()) {
            if (activation == null || a.number() > activation.number()) {
                activation = a;
            }
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        activationState.update(activation == null ? List.of() : List.of(activation));
    }

    @Override
    public void open() throws Exception {
        super.open();
        model = activation == null ? settings.model() : open(activation);
        clock = Clock.systemUTC();
        batchFrames = settings.batchFramesOn(Engine.getInstance().getGpuCount() > 0);
        buffer = new ArrayList<>(batchFrames);
        engine = FaceEngine.open(settings.engineOptions());
        engine.warmUp(model); // the first frame with faces would otherwise wait for the network to load
        detector = KeyframeDetector.of(engine, settings.detectEvery(), RecognizeSettings.KEY_FRAME_SCHEDULE,
                settings.unsureThreshold(), settings.lostFrames());
        reuse = new EmbeddingReuse(settings.embedEvery());
        metrics = new JobMetrics.Recognize(getMetricGroup());
        metrics.model(model.modelId());
    }

    @Override
    public void processElement2(StreamRecord<ModelActivation> element) throws Exception {
        ModelActivation a = element.getValue();
        if (activation != null && a.number() <= activation.number()) {
            return;
        }
        FaceModel next = open(a);
        flush(); // frames that came before the switch keep the model they came under
        activation = a;
        model = next;
        metrics.model(next.modelId());
    }

    private FaceModel open(ModelActivation a) throws IOException {
        return FaceModel.trained(ModelFolders.materialise(a.model(), settings.modelsDir()));
    }

    @Override
    public void processElement1(StreamRecord<Frame> element) {
        buffer.add(element.getValue());
        if (buffer.size() >= batchFrames) {
            flush();
        } else if (buffer.size() == 1) {
            long due = batch;
            long at = getProcessingTimeService().getCurrentProcessingTime() + settings.batchWait().toMillis();
            getProcessingTimeService().registerTimer(at, t -> {
                if (batch == due) {
                    flush();
                }
            });
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void endInput(int inputId) {
        if (inputId == 1) {
            flush();
        }
    }

    @Override
    public void finish() throws Exception {
        flush();
        super.finish();
    }

    @Override
    public void close() throws Exception {
        try {
            if (engine != null) {
                engine.close();
                engine = null;
            }
        } finally {
            super.close();
        }
    }

    /** Detects every buffered frame, embeds all their faces in one batch, and emits the frames in order. */
    private void flush() {
        if (buffer == null || buffer.isEmpty()) {
            return;
        }
        batch++;
        List<Frame> frames = List.copyOf(buffer);
        buffer.clear();
        List<RgbImage> images = new ArrayList<>(frames.size());
        List<List<DetectedFace>> found = new ArrayList<>(frames.size());
        List<EmbeddingReuse.Plan> plans = new ArrayList<>(frames.size());
        List<RgbImage> faceImages = new ArrayList<>();
        List<DetectedFace> faces = new ArrayList<>();
        List<EmbeddingReuse.Slot> toFill = new ArrayList<>();
        List<List<DetectedFace>> lost = new ArrayList<>(frames.size());
        for (Frame frame : frames) {
            String name = "frame " + frame.cameraId() + " #" + frame.sequence();
            RgbImage image;
            try {
                image = RgbImage.decode(frame.jpeg(), name);
            } catch (IOException | RuntimeException e) {
                metrics.undecodable();
                output.collect(DEAD_LETTERS, new StreamRecord<>(
                        deadLetter(frame, name + " could not be decoded as an image: " + e.getMessage())));
                images.add(null);
                found.add(List.of());
                plans.add(null);
                lost.add(List.of());
                continue;
            }
            KeyframeDetector.Result r = detector.detect(frame.cameraId(), frame.sequence(), settings.detectorView(image));
            List<DetectedFace> f = r.faces();
            EmbeddingReuse.Plan plan = reuse.plan(frame.cameraId(), frame.sequence(), r.continues(), model.modelId(), f);
            images.add(image);
            found.add(f);
            plans.add(plan);
            List<DetectedFace> fresh = plan.freshOf(f);
            faces.addAll(fresh);
            faceImages.addAll(Collections.nCopies(fresh.size(), image));
            toFill.addAll(plan.freshOf(plan.slots()));
            lost.add(r.lost());
        }
        // Lost faces (HardExampleOptions#lostFrames) are embedded in the same batch, after the found ones.
        int foundFaces = faces.size();
        for (int i = 0; i < frames.size(); i++) {
            faces.addAll(lost.get(i));
            faceImages.addAll(Collections.nCopies(lost.get(i).size(), images.get(i)));
        }
        List<Embedding> embeddings = faces.isEmpty() ? List.of()
                : engine.embed(faceImages, faces, model, false);
        for (int k = 0; k < foundFaces; k++) {
            toFill.get(k).fill(embeddings.get(k).values());
        }
        int nextLost = foundFaces;
        metrics.detected(found.stream().mapToInt(List::size).sum());
        metrics.embedded(embeddings.size());
        boolean own = activation == null;
        Instant processed = clock.instant();
        for (int i = 0; i < frames.size(); i++) {
            Frame frame = frames.get(i);
            if (images.get(i) == null) {
                output.collect(new StreamRecord<>(new AnalyzedFrame(frame.cameraId(), frame.sequence(),
                        frame.captureTime(), processed, List.of(), true, own ? null : model.modelId(),
                        own ? null : model.threshold())));
                continue;
            }
            List<FaceFeatures> features = new ArrayList<>(found.get(i).size());
            EmbeddingReuse.Plan plan = plans.get(i);
            for (int k = 0; k < found.get(i).size(); k++) {
                DetectedFace d = found.get(i).get(k);
                // The trainer learns from aligned crops with their own embedding; only a job that mines hard examples
                // pays for them, and only for a face embedded afresh.
                byte[] crop = settings.hardExamples() == null || !plan.fresh()[k] ? null
                        : CropPng.encode(engine.crop(images.get(i), d, EnrolFunction.cropModel(settings.model())));
                // The grouping of unknown tracks embeds a face with its second network and keeps it for naming.
                LooseFace loose = settings.grouping() == null ? null : LooseFace.of(images.get(i), d);
                features.add(new FaceFeatures(d.box(), d.landmarks(), plan.slots().get(k).embedding(), crop, loose));
            }
            List<FaceFeatures> lostFeatures = new ArrayList<>(lost.get(i).size());
            for (DetectedFace d : lost.get(i)) {
                byte[] crop = CropPng.encode(engine.crop(images.get(i), d, EnrolFunction.cropModel(settings.model())));
                lostFeatures.add(new FaceFeatures(d.box(), d.landmarks(), embeddings.get(nextLost++).values(), crop));
            }
            output.collect(new StreamRecord<>(new AnalyzedFrame(frame.cameraId(), frame.sequence(),
                    frame.captureTime(), processed, features, false, own ? null : model.modelId(),
                    own ? null : model.threshold(), lostFeatures)));
        }
    }

    private DeadLetter deadLetter(Frame frame, String reason) {
        String topic = Topics.FRAMES.name();
        byte[] raw = Topics.FRAMES.valueSerde().serializer().serialize(topic, frame);
        return new DeadLetter(topic, frame.cameraId(), raw, reason, clock.instant());
    }
}
