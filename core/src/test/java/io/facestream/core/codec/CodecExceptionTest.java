package io.facestream.core.codec;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.event.Frame;
import io.facestream.core.event.GalleryEntry;
import io.facestream.core.event.MatchEvent;
import io.facestream.core.event.Samples;
import io.facestream.core.topic.Topic;
import io.facestream.core.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CodecExceptionTest {

    private static CodecException fails(Codec<?> codec, byte[] bytes) {
        CodecException e = assertThrows(CodecException.class, () -> codec.decode(bytes));
        assertTrue(e.getMessage().contains(codec.type().getSimpleName()), e.getMessage());
        return e;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void garbageNeverDecodesOnAnyTopic() {
        Random random = new Random(7);
        for (Topic<?, ?> topic : Topics.ALL) {
            for (int n : new int[] {1, 2, 5, 64, 1000}) {
                byte[] junk = new byte[n];
                random.nextBytes(junk);
                byte[] bytes = junk;
                assertThrows(CodecException.class,
                        () -> topic.valueSerde().deserializer().deserialize(topic.name(), bytes), topic.name());
            }
            assertThrows(CodecException.class,
                    () -> topic.valueSerde().deserializer().deserialize(topic.name(), new byte[0]), topic.name());
        }
    }

    @Test
    void emptyNullAndTrailingJunkAreErrors() {
        Codec<MatchEvent> json = Codec.json(MatchEvent.class);
        assertTrue(fails(json, new byte[0]).getMessage().contains("zero bytes"));
        assertTrue(fails(json, utf8("null")).getMessage().contains("null"));
        fails(json, utf8("[1, 2]"));
        fails(json, utf8("{\"event_id\": \"e\""));
        byte[] good = json.encode(Samples.matchEvent("ada"));
        byte[] trailing = Arrays.copyOf(good, good.length + 4);
        System.arraycopy(utf8("{}{}"), 0, trailing, good.length, 4);
        fails(json, trailing);
    }

    @Test
    void truncatedCborIsAnError() {
        Codec<GalleryEntry> cbor = Codec.cbor(GalleryEntry.class);
        byte[] good = cbor.encode(Samples.galleryEntry());
        CodecException e = fails(cbor, Arrays.copyOf(good, good.length / 2));
        assertTrue(e.getMessage().contains(good.length / 2 + " bytes of CBOR"), e.getMessage());
    }

    @Test
    void wellFormedButInvalidValuesAreErrorsNamingTheValue() {
        Codec<Frame> json = Codec.json(Frame.class);
        String frame = "{\"camera_id\":\"cam-9\",\"sequence\":-3,\"capture_time\":\"2026-11-25T10:15:30Z\","
                + "\"width\":640,\"height\":360,\"jpeg\":\"AQID\"}";
        CodecException e = fails(json, utf8(frame));
        assertTrue(e.getMessage().contains("-3"), e.getMessage());
        fails(json, utf8(frame.replace("\"sequence\":-3,", "")));
        fails(json, utf8(frame.replace("\"width\":640", "\"width\":null")));
    }

    @Test
    void encodingNullIsRefused() {
        assertThrows(CodecException.class, () -> Codec.cbor(Frame.class).encode(null));
    }
}
