package io.facestream.recognize.job;

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
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
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
 */
public final class TrackMatchFunction
        extends KeyedBroadcastProcessFunction<String, SequencedFrame, GalleryRecord, MatchEvent> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(TrackMatchFunction.class);

    /**
     * The broadcast gallery: identity id → its embeddings of the job's model. An identity the topic deleted
     * but the initial gallery holds is kept with no faces, so that it stays deleted.
     */
    public static final MapStateDescriptor<String, float[][]> GALLERY = new MapStateDescriptor<>("gallery",
            Types.STRING, TypeInformation.of(float[][].class));

    /** Faces picked for the trainer ({@link RecognizeSettings#hardExamples()}), labelled. */
    public static final OutputTag<HardExample> HARD_EXAMPLES = new OutputTag<>("hard-examples") { };

    private final FaceModel model;
    private final ArrayList<EnrolledFace> initial;
    private final RecognizeSettings settings;

    private transient ValueState<TrackerState> tracks;
    private transient ValueState<HardExampleMiner.Tallies> tallies;
    private transient HardExampleMiner miner;
    private transient Tracker tracker;
    private transient Set<String> initialIds;
    private transient InMemoryGallery index;
    private transient int indexDimension;

    public TrackMatchFunction(RecognizeSettings settings) {
        if (settings == null) {
            throw new IllegalArgumentException("the track and match function needs its settings, was null");
        }
        this.settings = settings;
        this.model = settings.model();
        this.initial = new ArrayList<>(settings.initialGallery());
    }

    @Override
    public void open(OpenContext context) {
        tracks = getRuntimeContext().getState(new ValueStateDescriptor<>("tracks", TypeInformation.of(TrackerState.class)));
        tracker = new Tracker(settings.trackerOptions());
        if (settings.hardExamples() != null) {
            tallies = getRuntimeContext().getState(new ValueStateDescriptor<>("hard-example-tallies",
                    TypeInformation.of(HardExampleMiner.Tallies.class)));
            miner = new HardExampleMiner(settings.hardExamples(), model.threshold(), model.modelId());
        }
        initialIds = initial.stream().map(EnrolledFace::identity).collect(Collectors.toSet());
    }

    @Override
    public void processElement(SequencedFrame sequenced, ReadOnlyContext ctx, Collector<MatchEvent> out) throws Exception {
        AnalyzedFrame frame = sequenced.frame();
        TrackerState state = tracks.value();
        if (state == null) {
            state = TrackerState.START;
        }
        if (sequenced.restarted()) {
            state = tracker.restart(state);
        }
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
        if (faces.isEmpty()) {
            return;
        }
        InMemoryGallery gallery = index(ctx.getBroadcastState(GALLERY), faces.get(0).embedding().length);
        List<HardExampleMiner.Face> mined = new ArrayList<>(faces.size());
        for (int i = 0; i < faces.size(); i++) {
            FaceFeatures f = faces.get(i);
            Match m = gallery.match(new Embedding(model.modelId(), f.embedding()));
            // An empty gallery has no nearest face: the event says so with a null distance.
            Double distance = Double.isFinite(m.distance()) ? m.distance() : null;
            out.collect(new MatchEvent(MatchEvent.eventId(frame.cameraId(), frame.sequence(), i), frame.cameraId(),
                    frame.sequence(), frame.captureTime(), frame.processingTime(), step.trackId(i), f.box(),
                    f.landmarks(), m.identity(), distance, m.threshold(), model.modelId()));
            mined.add(new HardExampleMiner.Face(step.trackId(i), f, m.identity(), distance));
        }
        if (miner != null) {
            HardExampleMiner.Tallies before = tallies.value();
            Set<Long> live = step.state().tracks().stream().map(Track::id).collect(Collectors.toSet());
            HardExampleMiner.Mined r = miner.mine(frame.cameraId(), before == null ? HardExampleMiner.Tallies.NONE : before,
                    mined, live);
            tallies.update(r.tallies());
            for (HardExample e : r.examples()) {
                ctx.output(HARD_EXAMPLES, e);
            }
        }
    }

    @Override
    public void processBroadcastElement(GalleryRecord record, Context ctx, Collector<MatchEvent> out) throws Exception {
        BroadcastState<String, float[][]> gallery = ctx.getBroadcastState(GALLERY);
        String id = record.identityId();
        if (record.isTombstone()) {
            if (initialIds.contains(id)) {
                gallery.put(id, GalleryIndex.DELETED);
            } else {
                gallery.remove(id);
            }
        } else {
            GalleryEntry entry;
            try {
                entry = record.decode();
            } catch (RuntimeException e) {
                LOG.warn("Ignored the gallery record of {}: {}", id, e.getMessage());
                return;
            }
            float[][] faces = GalleryIndex.faces(entry, model);
            if (faces.length == 0) {
                LOG.warn("Gallery entry {} has no {} embeddings (models {}); it cannot be matched until it is"
                        + " re-embedded.", id, model.modelId(), entry.embeddings().keySet());
            }
            gallery.put(id, faces);
        }
        // Every subtask sees every gallery record; the mirror is rebuilt at the next face.
        index = null;
    }

    private InMemoryGallery index(ReadOnlyBroadcastState<String, float[][]> gallery, int dimension) throws Exception {
        if (index == null || indexDimension != dimension) {
            index = GalleryIndex.build(model, initial, gallery.immutableEntries(), dimension);
            indexDimension = dimension;
        }
        return index;
    }
}
