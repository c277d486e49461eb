package io.facestream.recognize.job;

import io.facestream.core.event.HardExample;
import io.facestream.core.event.HardExample.LabelSource;
import io.facestream.core.event.MatchEvent;
import io.facestream.core.event.UnknownGroup;
import io.facestream.recognize.engine.FaceEngine;
import io.facestream.recognize.engine.FaceModel;
import io.facestream.recognize.group.UnknownGroups;
import io.facestream.recognize.image.RgbImage;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Groups the unknown faces of every camera into stable {@code unknown-<n>} people ({@link UnknownGroups}): a new
 * track is placed by its first face, embedded a second time with the other public network so that the two can agree,
 * and every later face of the track gets the same group. Each unknown face's event leaves with its group; each group
 * opened or joined goes to {@code unknowns}; the hard examples mined from unknown faces are labelled with their group
 * (label source {@link LabelSource#CONSENSUS} once the group holds tracks the committee linked).
 *
 * <p>The deletions of {@code unknowns} come in on the second input: a deleted group is forgotten.
 *
 * <p>One subtask (the key is a constant): groups span cameras, and the work is small, one second-network embedding
 * per new track and one every {@code sampleEvery} faces.
 */
public final class UnknownGroupFunction extends KeyedCoProcessFunction<String, UnknownFace, String, MatchEvent> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(UnknownGroupFunction.class);

    /** The one key every unknown face is sent under. */
    public static final String KEY = "unknowns";

    /** Groups opened or joined, for {@code unknowns}. */
    public static final OutputTag<UnknownGroup> GROUPS = new OutputTag<>("unknown-groups") { };

    /** Hard examples of unknown faces, labelled by their group. */
    public static final OutputTag<HardExample> HARD_EXAMPLES = new OutputTag<>("grouped-hard-examples") { };

    private final RecognizeSettings settings;
    private transient ValueState<UnknownGroups> state;
    private transient FaceEngine engine;

    public UnknownGroupFunction(RecognizeSettings settings) {
        if (settings == null || settings.grouping() == null) {
            throw new IllegalArgumentException("the grouping of unknown faces needs settings with grouping options");
        }
        this.settings = settings;
    }

    /** The network that checks the job's model: the other public one. */
    static FaceModel secondOpinion(FaceModel model) {
        return model.base() == FaceModel.DLIB ? FaceModel.MOBILEFACENET : FaceModel.DLIB;
    }

    @Override
    public void open(OpenContext context) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("unknown-groups",
                TypeInformation.of(UnknownGroups.class)));
        // The first unknown face would otherwise wait for the second network to load, and every face queued behind it.
        engine = FaceEngine.open(settings.engineOptions());
        engine.warmUp(secondOpinion(settings.model()));
    }

    @Override
    public void processElement1(UnknownFace face, Context ctx, Collector<MatchEvent> out) throws Exception {
        UnknownGroups groups = state.value();
        if (groups == null) {
            groups = new UnknownGroups(settings.grouping());
        }
        MatchEvent event = face.event();
        String track = face.trackLabel();
        Boolean sampleDue = groups.seen(track, event.captureTime());
        String groupId;
        if (sampleDue == null) {
            UnknownGroups.Sample sample = sample(face);
            UnknownGroups.Placement p = groups.place(track, event.cameraId(), event.captureTime(), sample,
                    face.loose() == null ? null : face.loose()::jpeg, event.threshold(),
                    secondOpinion(settings.model()).threshold());
            groupId = p.groupId();
            UnknownGroup record = groups.record(groupId, event.modelId());
            if (record != null) {
                ctx.output(GROUPS, record);
            }
            if (!p.opened()) {
                LOG.debug("track {} joined {} (agreed link score {})", track, groupId, p.score());
            }
        } else {
            groupId = groups.groupOf(track);
        }
        out.collect(event.inUnknownGroup(groupId));
        LabelSource source = groups.tracksIn(groupId) > 1 ? LabelSource.CONSENSUS : LabelSource.TRACK;
        for (HardExample e : face.examples()) {
            ctx.output(HARD_EXAMPLES, relabel(e, groupId, source, groups));
        }
        // A later face's sample changes nothing about its own event, which has left already (the job flushes every
        // record): the second network's time is not on this face's path.
        if (Boolean.TRUE.equals(sampleDue)) {
            UnknownGroups.Sample sample = sample(face);
            if (sample != null) {
                groups.addSample(track, sample);
            }
        }
        state.update(groups);
    }

    /**
     * An operator deleted the group {@code unknownId} (a tombstone on {@code unknowns}): its embeddings, faces and
     * tracks leave the state, and a track of it still on camera is placed afresh, under a new id.
     */
    @Override
    public void processElement2(String unknownId, Context ctx, Collector<MatchEvent> out) throws Exception {
        UnknownGroups groups = state.value();
        if (groups != null && groups.remove(unknownId)) {
            LOG.info("forgot {}: deleted from the unknowns topic", unknownId);
            state.update(groups);
        }
    }

    /** The example under its group's label; negatives that are tracks of a group are named by the group. */
    static HardExample relabel(HardExample e, String groupId, LabelSource source, UnknownGroups groups) {
        List<String> negatives = new ArrayList<>();
        for (String n : e.negatives()) {
            String g = n.startsWith(HardExampleMiner.TRACK_PREFIX) ? groups.groupOf(n) : null;
            String named = g != null ? g : n;
            // a negative in the face's own group: the frame shows two faces the grouping put together; drop it
            if (!named.equals(groupId) && !negatives.contains(named)) {
                negatives.add(named);
            }
        }
        // a group's label is not a track's, and the group already spans the tracks it linked: no lineage
        return new HardExample(groupId, e.crop(), e.embedding(), source, e.distance(), negatives, null);
    }

    /** The face in both networks, or null when it has no cut or the second network cannot read it. */
    private UnknownGroups.Sample sample(UnknownFace face) {
        if (face.loose() == null) {
            return null;
        }
        try {
            RgbImage image = face.loose().cut();
            float[] second = engine.embed(image, List.of(face.loose().detected()), secondOpinion(settings.model()), false)
                    .get(0).values();
            return new UnknownGroups.Sample(face.event().modelId(), face.embedding(), second);
        } catch (Exception e) {
            LOG.warn("could not embed {} with the second network ({}); its track gets a group of its own unless it was"
                    + " placed before", face.event().eventId(), e.toString());
            return null;
        }
    }

    @Override
    public void close() throws Exception {
        if (engine != null) {
            engine.close();
            engine = null;
        }
        super.close();
    }
}
