package io.facestream.core.topic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.Embedding;
import io.facestream.core.codec.Codec;
import io.facestream.core.codec.CodecException;
import io.facestream.core.event.CurvePoint;
import io.facestream.core.event.DeadLetter;
import io.facestream.core.event.EnrolmentRequest;
import io.facestream.core.event.Frame;
import io.facestream.core.event.GalleryEntry;
import io.facestream.core.event.HardExample;
import io.facestream.core.event.ModelRecord;
import io.facestream.core.event.Samples;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SerdeRoundTripTest {

    private static <V> V roundTrip(Topic<String, V> topic, V value) {
        byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), value);
        V back = topic.valueSerde().deserializer().deserialize(topic.name(), bytes);
        assertEquals(value, back, topic.name());
        assertNotSame(value, back);
        return back;
    }

    @Test
    void frameKeepsEveryByteAndTheNanoseconds() {
        Frame back = roundTrip(Topics.FRAMES, Samples.frame());
        assertArrayEquals(Samples.bytes(300, 1), back.jpeg());
        assertEquals(Samples.T0, back.captureTime());
        assertEquals(42, back.sequence());
        assertEquals(1920, back.width());
    }

    @Test
    void deadLetterKeepsRawBytesAndANullKey() {
        DeadLetter back = roundTrip(Topics.FRAMES_DLQ, Samples.deadLetter());
        assertArrayEquals(Samples.bytes(50, 3), back.value());
        DeadLetter keyless = new DeadLetter("frames", null, new byte[0], "record had no value", Samples.T0);
        assertNull(roundTrip(Topics.FRAMES_DLQ, keyless).key());
    }

    @Test
    void enrolmentsRoundTrip() {
        EnrolmentRequest back = roundTrip(Topics.ENROLMENTS, Samples.enrolmentRequest());
        assertArrayEquals(Samples.bytes(400, 5), back.image());
        assertEquals("the photo has 2 faces, enrolment needs exactly one",
                roundTrip(Topics.ENROLMENT_RESULTS, Samples.enrolmentResult()).reason());
        assertNull(roundTrip(Topics.ENROLMENT_RESULTS,
                io.facestream.core.event.EnrolmentResult.ok("req-8", "bob")).reason());
    }

    @Test
    void galleryEntryKeepsCropsAndExactFloats() {
        GalleryEntry sample = Samples.galleryEntry();
        GalleryEntry back = roundTrip(Topics.GALLERY, sample);
        assertArrayEquals(Samples.bytes(256, 0), back.crops().get(0));
        assertArrayEquals(Samples.bytes(77, 9), back.crops().get(1));
        List<Embedding> mfn = back.embeddingsOf("mobilefacenet-192");
        assertEquals(2, mfn.size());
        assertArrayEquals(sample.embeddingsOf("mobilefacenet-192").get(1).values(), mfn.get(1).values());
        assertEquals(List.of("mobilefacenet-192", "dlib-resnet-128"), List.copyOf(back.embeddings().keySet()));
    }

    @Test
    void jsonTopicsRoundTrip() {
        roundTrip(Topics.MATCHES, Samples.matchEvent("ada"));
        roundTrip(Topics.MATCHES, Samples.matchEvent(null));
        roundTrip(Topics.SIGHTINGS, Samples.sighting());
        ModelRecord inline = roundTrip(Topics.MODELS, Samples.modelInline());
        assertArrayEquals(Samples.bytes(1000, 13), inline.weights());
        assertEquals(Map.of("accuracy", 0.9942, "val_at_far_1e-3", 0.97), inline.metrics());
        assertNull(roundTrip(Topics.MODELS, Samples.modelByUri()).weights());
        assertEquals(List.of(), inline.curve(), "a model without a curve has an empty one");
    }

    @Test
    void modelCurveRoundTripsExactlyWithItsMissingValues() {
        ModelRecord back = roundTrip(Topics.MODELS, Samples.modelWithCurve());
        assertEquals(List.of(0L, 1L, 2L, 3L), back.curve().stream().map(CurvePoint::step).toList());
        assertNull(back.curve().get(0).loss(), "the starting model was evaluated before any step");
        assertEquals(0.9325, back.curve().get(0).accuracy());
        assertEquals(0.75, back.curve().get(1).active());
        assertNull(back.curve().get(2).active(), "not logged");
        assertNull(back.curve().get(2).accuracy(), "no evaluation at step 2");
        assertEquals(0.3333333333333333, back.curve().get(3).active());
        assertEquals(0.951, back.curve().get(3).accuracy());
        String json = new String(Codec.json(ModelRecord.class).encode(back), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"curve\":[{\"step\":0,\"loss\":null,\"active\":null,\"accuracy\":0.9325}"), json);
    }

    @Test
    void modelsPublishedBeforeCurvesStillDecode() {
        // A record as the models topic held it before curves: no "curve" field at all, or an explicit null.
        String old = "{\"model_id\":\"mfn-old\",\"parent_id\":\"mobilefacenet-192\",\"weights\":null,"
                + "\"weights_uri\":\"file:///models/mfn-old\",\"metrics\":{\"threshold\":1.05}}";
        ModelRecord m = Topics.MODELS.valueSerde().deserializer().deserialize("models", old.getBytes(StandardCharsets.UTF_8));
        assertEquals(new ModelRecord("mfn-old", "mobilefacenet-192", null, URI.create("file:///models/mfn-old"),
                Map.of("threshold", 1.05)), m);
        assertEquals(List.of(), m.curve());
        String nullCurve = old.replace("}}", "},\"curve\":null}");
        assertEquals(m, Codec.json(ModelRecord.class).decode(nullCurve.getBytes(StandardCharsets.UTF_8)));
        // Still strict elsewhere: a missing field of a curve point is an error, not a silent null.
        String pointWithoutLoss = old.replace("}}", "},\"curve\":[{\"step\":1,\"active\":0.5,\"accuracy\":null}]}");
        CodecException e = assertThrows(CodecException.class,
                () -> Codec.json(ModelRecord.class).decode(pointWithoutLoss.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("loss"), e.getMessage());
    }

    @Test
    void hardExampleRoundTrips() {
        HardExample back = roundTrip(Topics.HARD_EXAMPLES, Samples.hardExample());
        assertArrayEquals(Samples.bytes(200, 11), back.crop());
        assertEquals(HardExample.LabelSource.TRACK, back.labelSource());
        assertEquals("track:cam-1:2", back.lineage());
    }

    @Test
    void hardExamplesWrittenBeforeLineagesStillDecode() {
        HardExample h = Samples.hardExample();
        HardExample without = new HardExample(h.label(), h.crop(), h.embedding(), h.labelSource(), h.distance(),
                h.negatives());
        String json = new String(Codec.json(HardExample.class).encode(without), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"lineage\":null"), json);
        String old = json.replace(",\"lineage\":null", "");
        assertFalse(old.contains("lineage"), old);
        assertEquals(without, Codec.json(HardExample.class).decode(old.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void nullIsATombstoneBothWays() {
        assertNull(Topics.GALLERY.valueSerde().serializer().serialize("gallery", null));
        assertNull(Topics.GALLERY.valueSerde().deserializer().deserialize("gallery", null));
    }

    @Test
    void keysAreUtf8Strings() {
        byte[] key = Topics.MATCHES.keySerde().serializer().serialize("matches", "caméra-1");
        assertArrayEquals("caméra-1".getBytes(java.nio.charset.StandardCharsets.UTF_8), key);
    }

    @Test
    void cborIsSmallerThanJsonForBytes() {
        // The reason bulk payloads are CBOR: raw byte strings, not base64.
        Frame f = new Frame("cam-1", 1, Samples.T0, 640, 360, Samples.bytes(30_000, 0));
        int cbor = Topics.FRAMES.valueSerde().serializer().serialize("frames", f).length;
        int json = io.facestream.core.codec.Codec.json(Frame.class).encode(f).length;
        assertEquals(true, cbor < 30_200, "CBOR frame was " + cbor + " bytes");
        assertEquals(true, json > 40_000, "JSON frame was " + json + " bytes");
    }
}
