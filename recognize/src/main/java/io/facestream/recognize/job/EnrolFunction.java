package io.facestream.recognize.job;

import io.facestream.core.DetectedFace;
import io.facestream.core.Embedding;
import io.facestream.core.event.EnrolmentRequest;
import io.facestream.core.event.EnrolmentResult;
import io.facestream.core.event.GalleryEntry;
import io.facestream.core.topic.Topics;
import io.facestream.recognize.engine.FaceEngine;
import io.facestream.recognize.engine.FaceModel;
import io.facestream.recognize.image.RgbImage;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
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
 * <p>The entry is kept in keyed state, encoded as the topic holds it. The second input is the
 * {@code gallery} topic itself: a tombstone clears the state (the person was deleted, a later enrolment
 * starts afresh), and an entry is adopted when the state is empty (a fresh start reads the topic from the
 * beginning) or when it holds every face the state holds (the echo of this function's own write, or the
 * same person re-embedded elsewhere); an older echo that lacks a newer face is ignored.
 *
 * <p>Outputs depend only on the request and the state: the enrolment time is the request record's
 * timestamp, the crop a PNG, and a face already in the entry is not added twice, so a replayed request
 * writes the same entry again.
 */
public final class EnrolFunction extends KeyedCoProcessFunction<String, EnrolmentRequest, GalleryRecord, GalleryRecord> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(EnrolFunction.class);

    /** One result per request, keyed by request id on {@code enrolment-results}. */
    public static final OutputTag<EnrolmentResult> RESULTS = new OutputTag<>("enrolment-results") { };

    private final RecognizeSettings settings;

    private transient FaceEngine engine;
    private transient ValueState<byte[]> entry;
    private transient Clock clock;

    public EnrolFunction(RecognizeSettings settings) {
        if (settings == null) {
            throw new IllegalArgumentException("the enrol function needs its settings, was null");
        }
        this.settings = settings;
    }

    @Override
    public void open(OpenContext context) {
        entry = getRuntimeContext().getState(new ValueStateDescriptor<>("gallery-entry",
                PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
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
    public void processElement1(EnrolmentRequest request, Context ctx, Collector<GalleryRecord> out) throws Exception {
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
        Embedding embedding;
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
            embedding = engine.embed(image, faces, model, false).get(0);
            crop = CropPng.encode(engine.crop(image, faces.get(0), cropModel(model)));
        } catch (RuntimeException e) {
            LOG.warn("Enrolment {} of {} failed in the face engine", request.requestId(), id, e);
            reject(ctx, request, "the enrolment image of " + id + " could not be analysed: " + e.getMessage());
            return;
        }
        Instant at = ctx.timestamp() != null ? Instant.ofEpochMilli(ctx.timestamp()) : clock.instant();
        GalleryEntry merged = GalleryMerge.withFace(held(), id, request.displayName(), crop, embedding, at);
        GalleryRecord record = GalleryRecord.of(merged);
        entry.update(record.entry());
        out.collect(record);
        ctx.output(RESULTS, EnrolmentResult.ok(request.requestId(), id));
    }

    @Override
    public void processElement2(GalleryRecord record, Context ctx, Collector<GalleryRecord> out) throws Exception {
        if (record.isTombstone()) {
            entry.clear();
            return;
        }
        GalleryEntry mine = held();
        if (mine == null) {
            entry.update(record.entry());
            return;
        }
        try {
            if (GalleryMerge.holdsAllCrops(record.decode(), mine)) {
                entry.update(record.entry());
            }
        } catch (RuntimeException e) {
            LOG.warn("Ignored the gallery record of {}: {}", record.identityId(), e.getMessage());
        }
    }

    private GalleryEntry held() throws IOException {
        byte[] bytes = entry.value();
        return bytes == null ? null : Topics.GALLERY.valueSerde().deserializer().deserialize(Topics.GALLERY.name(), bytes);
    }

    private static void reject(Context ctx, EnrolmentRequest request, String reason) {
        ctx.output(RESULTS, EnrolmentResult.error(request.requestId(), request.identityId(), reason));
    }

    /**
     * The crop kept for the gallery: the model's own alignment. An entry keeps one crop per face, so the
     * ensemble keeps MobileFaceNet's 112×112 ArcFace crop.
     */
    static FaceModel cropModel(FaceModel model) {
        return model == FaceModel.ENSEMBLE ? FaceModel.MOBILEFACENET : model;
    }
}
