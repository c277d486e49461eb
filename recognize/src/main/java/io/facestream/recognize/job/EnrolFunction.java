package io.facestream.recognize.job;

import io.facestream.core.DetectedFace;
import io.facestream.core.Embedding;
import io.facestream.core.event.EnrolmentRequest;
import io.facestream.core.event.EnrolmentResult;
import io.facestream.core.event.GalleryEntry;
import io.facestream.core.event.ModelRecord;
import io.facestream.core.topic.Topics;
import io.facestream.recognize.align.FaceCrop;
import io.facestream.recognize.engine.FaceEngine;
import io.facestream.recognize.engine.FaceModel;
import io.facestream.recognize.image.RgbImage;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enrols people (keyed by identity id): detects the one face of a request's photo, aligns and embeds it
 * with the job's model, and merges it into the identity's gallery entry, which it writes whole to the
 * {@code gallery} topic; every request gets an {@link EnrolmentResult} on {@link #RESULTS}, an error with
 * the reason when the photo is not an image or does not show exactly one face.
 *
 * <p>The entry is kept in keyed state, encoded as the topic holds it. The keyed input also carries the
 * {@code gallery} topic itself: a tombstone clears the state (the person was deleted, a later enrolment
 * starts afresh), and an entry is adopted when the state is empty (a fresh start reads the topic from the
 * beginning) or when it holds every face the state holds (the echo of this function's own write); an older
 * echo that lacks a newer face is ignored.
 *
 * <p><b>New models.</b> The broadcast input is the {@code models} topic. When a model is published, every
 * identity's stored crops are embedded with it and the entry, now with both models' embeddings, is written to
 * {@code gallery} again; later enrolments are embedded with both; an entry adopted from the topic without the
 * newest model's embeddings gets them. The recognize step switches to a model only once the gallery has it
 * ({@link ModelSwitchFunction}). Published models are MobileFaceNet derivatives and are taken only by a job
 * whose model is MobileFaceNet (the crops kept are MobileFaceNet's).
 *
 * <p>Outputs depend only on the request and the state: the enrolment time is the request record's
 * timestamp, the crop a PNG, and a face already in the entry is not added twice, so a replayed request
 * writes the same entry again.
 */
public final class EnrolFunction extends KeyedBroadcastProcessFunction<String, EnrolInput, ModelRecord, GalleryRecord> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(EnrolFunction.class);

    /** One result per request, keyed by request id on {@code enrolment-results}. */
    public static final OutputTag<EnrolmentResult> RESULTS = new OutputTag<>("enrolment-results") { };

    /** The newest published model, under {@link #NEWEST}. */
    public static final MapStateDescriptor<String, ModelRecord> MODELS = new MapStateDescriptor<>("published-models",
            Types.STRING, TypeInformation.of(ModelRecord.class));
    static final String NEWEST = "newest";

    private static final ValueStateDescriptor<byte[]> ENTRY = new ValueStateDescriptor<>("gallery-entry",
            PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

    private final RecognizeSettings settings;

    private transient FaceEngine engine;
    private transient ValueState<byte[]> entry;
    private transient Clock clock;
    /** The newest published model, opened; null before one is published. */
    private transient FaceModel published;

    public EnrolFunction(RecognizeSettings settings) {
        if (settings == null) {
            throw new IllegalArgumentException("the enrol function needs its settings, was null");
        }
        this.settings = settings;
    }

    @Override
    public void open(OpenContext context) {
        entry = getRuntimeContext().getState(ENTRY);
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
    public void processElement(EnrolInput input, ReadOnlyContext ctx, Collector<GalleryRecord> out) throws Exception {
        FaceModel newest = published(ctx.getBroadcastState(MODELS).get(NEWEST));
        if (input.request() != null) {
            enrol(input.request(), newest, ctx, out);
        } else {
            readBack(input.gallery(), newest, out);
        }
    }

    private void enrol(EnrolmentRequest request, FaceModel newest, ReadOnlyContext ctx, Collector<GalleryRecord> out)
            throws IOException {
        String id = request.identityId();
        RgbImage image;
        try {
            image = RgbImage.decode(request.image(), "the enrolment image of " + id);
        } catch (IOException | RuntimeException e) {
            reject(ctx, request, e.getMessage());
            return;
        }
        FaceModel model = settings.model();
        List<DetectedFace> faces;
        List<Embedding> embeddings = new ArrayList<>();
        byte[] crop;
        try {
            faces = engine.detect(image);
            if (faces.size() != 1) {
                reject(ctx, request, faces.isEmpty()
                        ? "no face found in the enrolment image of " + id + "; send a photo where the face is at least "
                            + settings.minFace() + " px wide"
                        : faces.size() + " faces found; an enrolment image must show exactly one face");
                return;
            }
            embeddings.add(engine.embed(image, faces, model, false).get(0));
            if (newest != null) {
                embeddings.add(engine.embed(image, faces, newest, false).get(0));
            }
            crop = CropPng.encode(engine.crop(image, faces.get(0), cropModel(model)));
        } catch (RuntimeException e) {
            LOG.warn("Enrolment {} of {} failed in the face engine", request.requestId(), id, e);
            reject(ctx, request, "the enrolment image of " + id + " could not be analysed: " + e.getMessage());
            return;
        }
        Instant at = ctx.timestamp() != null ? Instant.ofEpochMilli(ctx.timestamp()) : clock.instant();
        GalleryEntry merged = GalleryMerge.withFace(held(), id, request.displayName(), crop, embeddings, at);
        GalleryRecord record = GalleryRecord.of(merged);
        entry.update(record.entry());
        out.collect(record);
        ctx.output(RESULTS, EnrolmentResult.ok(request.requestId(), id));
    }

    private void readBack(GalleryRecord record, FaceModel newest, Collector<GalleryRecord> out) throws IOException {
        if (record.isTombstone()) {
            entry.clear();
            return;
        }
        GalleryEntry mine = held();
        GalleryEntry theirs;
        try {
            theirs = record.decode();
        } catch (RuntimeException e) {
            LOG.warn("Ignored the gallery record of {}: {}", record.identityId(), e.getMessage());
            return;
        }
        if (mine != null && !GalleryMerge.holdsAllCrops(theirs, mine)) {
            return;
        }
        entry.update(record.entry());
        if (newest != null) {
            reembed(theirs, newest, entry, out);
        }
    }

    @Override
    public void processBroadcastElement(ModelRecord model, Context ctx, Collector<GalleryRecord> out) throws Exception {
        if (settings.model().base() != FaceModel.MOBILEFACENET) {
            LOG.warn("Model {} was published, but this job embeds with {}; its gallery crops are not MobileFaceNet's,"
                    + " so the model is not taken", model.modelId(), settings.model().modelId());
            return;
        }
        ctx.getBroadcastState(MODELS).put(NEWEST, model);
        FaceModel newest = published(model);
        ctx.applyToKeyedState(ENTRY, (id, state) -> {
            byte[] bytes = state.value();
            if (bytes != null) {
                reembed(decode(bytes), newest, state, out);
            }
        });
    }

    /**
     * Writes the entry again with {@code model}'s embeddings of all its crops, unless it has them already; a crop
     * that cannot be embedded leaves the entry as it is, with a warning.
     */
    private void reembed(GalleryEntry current, FaceModel model, ValueState<byte[]> state, Collector<GalleryRecord> out)
            throws IOException {
        if (current.embeddingsOf(model.modelId()).size() == current.crops().size()) {
            return;
        }
        List<Embedding> embeddings;
        try {
            List<FaceCrop> crops = new ArrayList<>();
            for (byte[] png : current.crops()) {
                crops.add(CropPng.decode(png));
            }
            embeddings = engine.embedCrops(model, crops);
        } catch (RuntimeException e) {
            LOG.warn("Could not embed the gallery crops of {} with model {}: {}", current.identityId(), model.modelId(),
                    e.getMessage());
            return;
        }
        GalleryRecord record = GalleryRecord.of(GalleryMerge.withEmbeddings(current, embeddings));
        state.update(record.entry());
        out.collect(record);
    }

    /** The published model, opened from its folder (written on first use); null for none. */
    private FaceModel published(ModelRecord record) throws IOException {
        if (record == null) {
            return null;
        }
        if (published == null || !published.modelId().equals(record.modelId())) {
            published = FaceModel.trained(ModelFolders.materialise(record, settings.modelsDir()));
        }
        return published;
    }

    private GalleryEntry held() throws IOException {
        byte[] bytes = entry.value();
        return bytes == null ? null : decode(bytes);
    }

    private static GalleryEntry decode(byte[] bytes) {
        return Topics.GALLERY.valueSerde().deserializer().deserialize(Topics.GALLERY.name(), bytes);
    }

    private static void reject(ReadOnlyContext ctx, EnrolmentRequest request, String reason) {
        ctx.output(RESULTS, EnrolmentResult.error(request.requestId(), request.identityId(), reason));
    }

    /**
     * The crop kept for the gallery: the model's own alignment. An entry keeps one crop per face, so the
     * ensemble keeps MobileFaceNet's 112×112 ArcFace crop.
     */
    static FaceModel cropModel(FaceModel model) {
        return model == FaceModel.ENSEMBLE ? FaceModel.MOBILEFACENET : model.base();
    }
}
