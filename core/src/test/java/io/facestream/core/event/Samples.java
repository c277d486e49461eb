package io.facestream.core.event;

import io.facestream.core.BoundingBox;
import io.facestream.core.Embedding;
import io.facestream.core.Landmarks;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One valid value of every topic type, with bytes that cover all 256 byte values. */
public final class Samples {

    public static final Instant T0 = Instant.parse("2026-11-25T10:15:30.123456789Z");

    private Samples() {
    }

    /** Every byte value, then a tail, so any base64 or sign mishandling shows. */
    public static byte[] bytes(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 7 + seed);
        }
        return b;
    }

    public static Embedding embedding(String model, int seed) {
        float[] raw = new float[8];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (float) Math.sin(seed * 13 + i * 1.7) + 0.1f;
        }
        return Embedding.normalise(model, raw);
    }

    public static Frame frame() {
        return new Frame("cam-1", 42, T0, 1920, 1080, bytes(300, 1));
    }

    public static DeadLetter deadLetter() {
        return new DeadLetter("frames", "cam-1", bytes(50, 3), "value is not CBOR: unexpected end of input", T0);
    }

    public static EnrolmentRequest enrolmentRequest() {
        return new EnrolmentRequest("req-7", "ada", "Ada Lovelace", bytes(400, 5));
    }

    public static EnrolmentResult enrolmentResult() {
        return EnrolmentResult.error("req-7", "ada", "the photo has 2 faces, enrolment needs exactly one");
    }

    public static GalleryEntry galleryEntry() {
        Map<String, List<Embedding>> byModel = new LinkedHashMap<>();
        byModel.put("mobilefacenet-192", List.of(embedding("mobilefacenet-192", 1), embedding("mobilefacenet-192", 2)));
        byModel.put("dlib-resnet-128", List.of(embedding("dlib-resnet-128", 3)));
        return new GalleryEntry("ada", "Ada Lovelace", List.of(bytes(256, 0), bytes(77, 9)), byModel, T0);
    }

    public static MatchEvent matchEvent(String identityId) {
        return new MatchEvent(MatchEvent.eventId("cam-1", 42, 0), "cam-1", 42, T0, T0.plusMillis(85), 3,
                new BoundingBox(10.5, 20, 110.25, 140), Landmarks.of(40, 60, 80, 60, 60, 85, 45, 110, 75, 110),
                identityId, 0.61, 0.9, "mobilefacenet-192");
    }

    public static Sighting sighting() {
        return new Sighting("ada", "cam-1", T0, T0.plusSeconds(12), 180, 0.42, List.of(3L, 5L));
    }

    public static HardExample hardExample() {
        return new HardExample("track:cam-1:3", bytes(200, 11), embedding("mobilefacenet-192", 4),
                HardExample.LabelSource.TRACK, 0.33, List.of("track:cam-1:4", "ada"), "track:cam-1:2");
    }

    public static ModelRecord modelInline() {
        return new ModelRecord("mobilefacenet-192-r2", "mobilefacenet-192", bytes(1000, 13), null,
                Map.of("accuracy", 0.9942, "val_at_far_1e-3", 0.97));
    }

    /** A trained model with its curve: the starting model's evaluation, steps, and an evaluation at the last one. */
    public static ModelRecord modelWithCurve() {
        return new ModelRecord("mobilefacenet-192-ft-0123456789ab", "mobilefacenet-192", bytes(600, 17), null,
                Map.of("target_accuracy", 0.951), List.of(new CurvePoint(0, null, null, 0.9325),
                        CurvePoint.step(1, 0.3125, 0.75), new CurvePoint(2, 0.28, null, null),
                        new CurvePoint(3, 0.1015625, 0.3333333333333333, 0.951)));
    }

    public static ModelRecord modelByUri() {
        return new ModelRecord("mobilefacenet-192", null, null, URI.create("file:///models/mobilefacenet-192.params"), Map.of());
    }
}
