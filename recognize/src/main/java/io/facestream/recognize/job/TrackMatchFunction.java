package io.facestream.recognize.job;

import io.facestream.core.BoundingBox;
import io.facestream.core.Embedding;
import io.facestream.core.event.GalleryEntry;
import io.facestream.core.event.HardExample;
import io.facestream.core.event.MatchEvent;
import io.facestream.recognize.engine.FaceModel;
import io.facestream.recognize.match.InMemoryGallery;
import io.facestream.recognize.match.Match;
import io.facestream.recognize.track.FaceObservation;
import io.facestream.recognize.track.Track;
import io.facestream.recognize.track.Tracker;
import io.facestream.recognize.track.TrackerState;
import io.facestream.recognize.track.TrackerStep;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tracks the faces of a camera's frames, in sequence order (keyed by camera id), and matches each face
 * against the gallery, which arrives as broadcast state from the {@code gallery} topic: one
 * {@link MatchEvent} per face with its track id and its identity, or unknown.
 *
 * <p>Matching: the nearest enrolled embedding of the job's model by squared L2 distance; the identity when
 * the distance is at or under the model's threshold, else unknown (null identity, the distance still
 * given); no distance at all while the gallery is empty. The tracker state of each camera is keyed state
 * and the gallery broadcast state, so both survive checkpoints and restarts; the index searched is a
 * per-subtask mirror rebuilt from them after any gallery change.
 *
 * <p><b>The gallery first.</b> At a fresh start the gallery topic is read from its beginning while frames already
 * arrive; a frame matched before its person's entry has been read would come out unknown. So frames wait, in keyed
 * state (checkpointed, nothing is lost), until the gallery has been applied up to where the topic ended when the job
 * was started ({@link GalleryEnd}, checked every {@link #WAIT_CHECK_MS} ms), then go on in their order. A subtask holds
 * frames at most {@link GalleryEnd#maxWait()} from the first one it holds; after that it matches against what it has,
 * and says so in the log. What has been read of the gallery is broadcast state, so a restored job does not wait again.
 */
public final class TrackMatchFunction
        extends KeyedBroadcastProcessFunction<String, SequencedFrame, GalleryRecord, MatchEvent> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(TrackMatchFunction.class);

    /**
     * The broadcast gallery: identity id → its embeddings by model id. An identity the topic deleted but the
     * initial gallery holds is kept with no models, so that it stays deleted.
     */
    public static final MapStateDescriptor<String, Map<String, float[][]>> GALLERY = new MapStateDescriptor<>("gallery",
            Types.STRING, TypeInformation.of(new TypeHint<Map<String, float[][]>>() { }));

    /** Partition of the gallery topic → the highest offset applied; the same in every subtask. */
    static final MapStateDescriptor<Integer, Long> GALLERY_READ = new MapStateDescriptor<>("gallery-read", Types.INT,
            Types.LONG);

    /** How often a camera with held frames looks whether the gallery has been read far enough. */
    static final long WAIT_CHECK_MS = 50;

    /** Faces picked for the trainer ({@link RecognizeSettings#hardExamples()}), labelled. */
    public static final OutputTag<HardExample> HARD_EXAMPLES = new OutputTag<>("hard-examples") { };

    /**
     * With {@link RecognizeSettings#grouping()}, unknown faces go here instead of the main output, each with the hard
     * examples mined from it, for {@link UnknownGroupFunction} to put in a group.
     */
    public static final OutputTag<UnknownFace> UNKNOWN_FACES = new OutputTag<>("unknown-faces") { };

    private final FaceModel model;
    private final ArrayList<EnrolledFace> initial;
    private final RecognizeSettings settings;
    private final GalleryEnd galleryEnd;

    private transient ValueState<TrackerState> tracks;
    /** A camera's frames held until the gallery is read far enough, in sequence order. */
    private transient ListState<SequencedFrame> held;
    /** When this subtask stops holding frames back (processing time, ms); 0 before the first held frame. */
    private transient long holdUntil;
    /** True once the gallery has been read far enough, or the wait ran out, in this subtask. */
    private transient boolean galleryReady;
    /** The model of the camera's last frame: tracks restart when it changes, embeddings of two models do not compare. */
    private transient ValueState<String> lastModel;
    private transient ValueState<HardExampleMiner.Tallies> tallies;
    private transient HardExampleMiner miner;
    private transient Tracker tracker;
    private transient JobMetrics.Match metrics;
    private transient Set<String> initialIds;
    /**
     * Per camera and track, the examples of faces lost from the track ({@link RecognizeSettings#lostFrames()}), held
     * until a face is found in the track (or its lineage) again; dropped when the track closes. A cache of the subtask,
     * like the detector's: a restore starts with none.
     */
    private transient Map<String, Map<Long, LostRun>> lostRuns;
    /** Per model id and dimension, the index searched: built at its first face, then kept up to date. */
    private transient Map<IndexKey, InMemoryGallery> indexes;

    /** Which index: a model's embeddings of one dimension. */
    private record IndexKey(String modelId, int dimension) {
    }

    /** The faces lost from one track since it was last found, as examples. */
    private record LostRun(long lineage, List<HardExample> examples) {
    }

    /** Matching that does not wait for the gallery ({@link GalleryEnd#NONE}). */
    public TrackMatchFunction(RecognizeSettings settings) {
        this(settings, GalleryEnd.NONE);
    }

    /** Matching that holds frames until the gallery has been read up to {@code galleryEnd}. */
    public TrackMatchFunction(RecognizeSettings settings, GalleryEnd galleryEnd) {
        if (settings == null || galleryEnd == null) {
            throw new IllegalArgumentException("the track and match function needs its settings and the gallery's end, "
                    + "was " + settings + " and " + galleryEnd);
        }
        this.settings = settings;
        this.galleryEnd = galleryEnd;
        this.model = settings.model();
        this.initial = new ArrayList<>(settings.initialGallery());
    }

    @Override
    public void open(OpenContext context) {
        tracks = getRuntimeContext().getState(new ValueStateDescriptor<>("tracks", TypeInformation.of(TrackerState.class)));
        lastModel = getRuntimeContext().getState(new ValueStateDescriptor<>("model", Types.STRING));
        held = getRuntimeContext().getListState(new ListStateDescriptor<>("held-frames",
                TypeInformation.of(SequencedFrame.class)));
        galleryReady = !galleryEnd.waits();
        indexes = new HashMap<>();
        lostRuns = new HashMap<>();
        tracker = new Tracker(settings.trackerOptions());
        if (settings.hardExamples() != null) {
            tallies = getRuntimeContext().getState(new ValueStateDescriptor<>("hard-example-tallies",
                    TypeInformation.of(HardExampleMiner.Tallies.class)));
            miner = new HardExampleMiner(settings.hardExamples());
        }
        initialIds = initial.stream().map(EnrolledFace::identity).collect(Collectors.toSet());
        metrics = new JobMetrics.Match(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(SequencedFrame sequenced, ReadOnlyContext ctx, Collector<MatchEvent> out) throws Exception {
        if (!galleryReady(ctx)) {
            if (!held.get().iterator().hasNext()) {
                ctx.timerService().registerProcessingTimeTimer(ctx.timerService().currentProcessingTime() + WAIT_CHECK_MS);
            }
            held.add(sequenced);
            return;
        }
        releaseHeld(ctx, out);
        match(sequenced, ctx, out);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<MatchEvent> out) throws Exception {
        if (galleryReady(ctx)) {
            releaseHeld(ctx, out);
        } else {
            ctx.timerService().registerProcessingTimeTimer(timestamp + WAIT_CHECK_MS);
        }
    }

    /** Matches the camera's held frames, in the order they came. */
    private void releaseHeld(ReadOnlyContext ctx, Collector<MatchEvent> out) throws Exception {
        List<SequencedFrame> frames = new ArrayList<>();
        held.get().forEach(frames::add);
        if (frames.isEmpty()) {
            return;
        }
        held.clear();
        for (SequencedFrame f : frames) {
            match(f, ctx, out);
        }
    }

    /**
     * True when the gallery has been applied up to where it ended at start, or this subtask has held frames for the
     * longest wait; starts the wait's clock at the first call.
     */
    private boolean galleryReady(ReadOnlyContext ctx) throws Exception {
        if (galleryReady) {
            return true;
        }
        Map<Integer, Long> read = new HashMap<>();
        for (Map.Entry<Integer, Long> e : ctx.getBroadcastState(GALLERY_READ).immutableEntries()) {
            read.put(e.getKey(), e.getValue());
        }
        List<Integer> behind = galleryEnd.behind(read);
        long now = ctx.timerService().currentProcessingTime();
        if (holdUntil == 0) {
            holdUntil = now + galleryEnd.maxWait().toMillis();
        }
        if (behind.isEmpty()) {
            galleryReady = true;
            LOG.info("The gallery has been read up to where it ended at start ({}); matching frames", galleryEnd.lastOffsets());
        } else if (now >= holdUntil) {
            galleryReady = true;
            LOG.warn("The gallery was not read up to where it ended at start within {} s (partitions {} behind; read {} of "
                    + "{}); matching frames against what has been read", galleryEnd.maxWait().toSeconds(), behind, read,
                    galleryEnd.lastOffsets());
        }
        return galleryReady;
    }

    /** Tracks the frame's faces and emits one event per face. */
    private void match(SequencedFrame sequenced, ReadOnlyContext ctx, Collector<MatchEvent> out) throws Exception {
        AnalyzedFrame frame = sequenced.frame();
        TrackerState state = tracks.value();
        if (state == null) {
            state = TrackerState.START;
        }
        String modelId = frame.modelId() != null ? frame.modelId() : model.modelId();
        double threshold = frame.threshold() != null ? frame.threshold() : model.threshold();
        String previous = lastModel.value();
        if (sequenced.restarted() || (previous != null && !previous.equals(modelId))) {
            state = tracker.restart(state);
        }
        lastModel.update(modelId);
        if (frame.deadLettered()) {
            tracks.update(state);
            return;
        }
        List<FaceFeatures> faces = frame.faces();
        List<FaceObservation> observed = new ArrayList<>(faces.size());
        for (FaceFeatures f : faces) {
            observed.add(new FaceObservation(f.box(), f.embedding()));
        }
        TrackerStep step = tracker.update(state, frame.sequence(), observed);
        tracks.update(step.state());
        if (miner != null && settings.lostFrames() > 0) {
            lostFaces(frame, step, modelId, ctx);
        }
        if (faces.isEmpty()) {
            return;
        }
        InMemoryGallery gallery = index(ctx.getBroadcastState(GALLERY), modelId, threshold, faces.get(0).embedding().length);
        List<HardExampleMiner.Face> mined = new ArrayList<>(faces.size());
        boolean grouping = settings.grouping() != null;
        Map<String, UnknownFace.Builder> unknown = new LinkedHashMap<>();
        for (int i = 0; i < faces.size(); i++) {
            FaceFeatures f = faces.get(i);
            Match m = gallery.match(new Embedding(modelId, f.embedding()));
            // An empty gallery has no nearest face: the event says so with a null distance.
            Double distance = Double.isFinite(m.distance()) ? m.distance() : null;
            MatchEvent event = new MatchEvent(MatchEvent.eventId(frame.cameraId(), frame.sequence(), i), frame.cameraId(),
                    frame.sequence(), frame.captureTime(), frame.processingTime(), step.trackId(i), f.box(),
                    f.landmarks(), m.identity(), distance, m.threshold(), modelId);
            if (grouping && m.identity() == null) {
                unknown.put(HardExampleMiner.trackLabel(frame.cameraId(), step.trackId(i)),
                        new UnknownFace.Builder(event, f.embedding(), f.loose()));
            } else {
                out.collect(event);
            }
            metrics.event(m.identity() != null, System.currentTimeMillis() - frame.captureTime().toEpochMilli());
            mined.add(new HardExampleMiner.Face(step.trackId(i), f, m.identity(), distance, step.lineage(i)));
        }
        if (miner != null) {
            HardExampleMiner.Tallies before = tallies.value();
            Set<Long> live = step.state().tracks().stream().map(Track::id).collect(Collectors.toSet());
            HardExampleMiner.Mined r = miner.mine(frame.cameraId(), before == null ? HardExampleMiner.Tallies.NONE : before,
                    mined, live, modelId, threshold);
            tallies.update(r.tallies());
            for (HardExample e : r.examples()) {
                UnknownFace.Builder face = unknown.get(e.label());
                if (face != null) {
                    face.example(e); // relabelled by the face's group
                } else {
                    ctx.output(HARD_EXAMPLES, e);
                }
            }
        }
        for (UnknownFace.Builder face : unknown.values()) {
            ctx.output(UNKNOWN_FACES, face.build());
        }
    }

    /**
     * Sends the faces lost from a track once a face of this frame is found in it or its lineage again, forgets those of
     * tracks that closed, and holds this frame's lost faces as examples of the live track whose last box they are at
     * (IoU {@value #LOST_PLACE}).
     */
    private void lostFaces(AnalyzedFrame frame, TrackerStep step, String modelId, ReadOnlyContext ctx) throws Exception {
        Map<Long, LostRun> runs = lostRuns.computeIfAbsent(frame.cameraId(), c -> new HashMap<>());
        HardExampleMiner.Tallies known = tallies.value() == null ? HardExampleMiner.Tallies.NONE : tallies.value();
        int found = frame.faces().size();
        List<String> labels = new ArrayList<>(found);
        List<BoundingBox> boxes = frame.faces().stream().map(FaceFeatures::box).toList();
        for (int i = 0; i < found; i++) {
            long id = step.trackId(i);
            long lineage = step.lineage(i);
            labels.add(HardExampleMiner.label(frame.cameraId(), known, id));
            runs.entrySet().removeIf(e -> {
                if (e.getKey() != id && e.getValue().lineage() != lineage) {
                    return false;
                }
                e.getValue().examples().forEach(x -> ctx.output(HARD_EXAMPLES, x));
                return true;
            });
        }
        Map<Long, Track> live = new HashMap<>();
        step.state().tracks().forEach(t -> live.put(t.id(), t));
        runs.keySet().removeIf(id -> !live.containsKey(id));
        for (FaceFeatures f : frame.lost()) {
            Track at = null;
            double best = LOST_PLACE;
            for (Track t : live.values()) {
                double iou = t.box().iou(f.box());
                // at least the place's overlap for the first, strictly more than the best so far after it
                if (t.lastSeen() < frame.sequence() && (at == null ? iou >= best : iou > best)) {
                    at = t;
                    best = iou;
                }
            }
            if (at != null) {
                HardExample e = HardExampleMiner.lostFace(frame.cameraId(), known, at.id(), at.lineage(), f, labels,
                        boxes, modelId);
                runs.computeIfAbsent(at.id(), id -> new LostRun(live.get(id).lineage(), new ArrayList<>()))
                        .examples().add(e);
            }
        }
    }

    /** IoU of a lost face's box with a live track's last box at which the face is taken to be the track's. */
    static final double LOST_PLACE = 0.5;

    @Override
    public void processBroadcastElement(GalleryRecord record, Context ctx, Collector<MatchEvent> out) throws Exception {
        if (record.wasRead()) {
            BroadcastState<Integer, Long> read = ctx.getBroadcastState(GALLERY_READ);
            Long before = read.get(record.partition());
            read.put(record.partition(), before == null ? record.offset() : Math.max(before, record.offset()));
        }
        BroadcastState<String, Map<String, float[][]>> gallery = ctx.getBroadcastState(GALLERY);
        String id = record.identityId();
        if (record.isTombstone()) {
            if (initialIds.contains(id)) {
                gallery.put(id, Map.of());
            } else {
                gallery.remove(id);
            }
            update(id, Map.of());
        } else {
            GalleryEntry entry;
            try {
                entry = record.decode();
            } catch (RuntimeException e) {
                LOG.warn("Ignored the gallery record of {}: {}", id, e.getMessage());
                return;
            }
            Map<String, float[][]> byModel = new HashMap<>();
            for (String m : entry.embeddings().keySet()) {
                byModel.put(m, GalleryIndex.faces(entry, m));
            }
            gallery.put(id, byModel);
            update(id, byModel);
        }
    }

    /**
     * Every subtask sees every gallery record, and changes its indexes in place: the identity's faces are replaced
     * by what the record holds for each index's model (none after a tombstone). Rebuilding instead would cost a
     * large gallery's whole graph build (minutes at 10^5 entries) at the next face after every enrolment.
     */
    private void update(String id, Map<String, float[][]> byModel) {
        indexes.forEach((key, index) -> GalleryIndex.replace(index, id,
                byModel.getOrDefault(key.modelId(), GalleryIndex.DELETED), key.dimension()));
    }

    private InMemoryGallery index(ReadOnlyBroadcastState<String, Map<String, float[][]>> gallery, String modelId,
            double threshold, int dimension) throws Exception {
        IndexKey key = new IndexKey(modelId, dimension);
        InMemoryGallery index = indexes.get(key);
        if (index == null) {
            List<Map.Entry<String, float[][]>> ofModel = new ArrayList<>();
            for (Map.Entry<String, Map<String, float[][]>> e : gallery.immutableEntries()) {
                ofModel.add(Map.entry(e.getKey(), e.getValue().getOrDefault(modelId, GalleryIndex.DELETED)));
            }
            // The initial faces are the job's own model's embeddings.
            List<EnrolledFace> own = modelId.equals(model.modelId()) ? initial : List.of();
            index = GalleryIndex.build(modelId, threshold, own, ofModel, dimension);
            indexes.put(key, index);
        }
        return index;
    }
}
