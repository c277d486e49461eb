package io.facestream.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.facestream.core.codec.Codec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MatchEventJsonTest {

    private static JsonNode json(MatchEvent e) throws Exception {
        return new ObjectMapper().readTree(Codec.json(MatchEvent.class).encode(e));
    }

    @Test
    void fieldsAreSnakeCaseInDeclarationOrder() throws Exception {
        JsonNode n = json(Samples.matchEvent("ada"));
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("event_id", "camera_id", "frame_sequence", "capture_time", "processing_time", "track_id",
                "box", "landmarks", "identity_id", "distance", "threshold", "model_id", "unknown_id"), names);
        assertEquals("cam-1:42:0", n.get("event_id").asText());
        assertEquals(42, n.get("frame_sequence").asLong());
        assertEquals("2026-11-25T10:15:30.123456789Z", n.get("capture_time").asText());
        assertEquals("2026-11-25T10:15:30.208456789Z", n.get("processing_time").asText());
        assertEquals(10.5, n.get("box").get("x1").asDouble());
        assertEquals(110.25, n.get("box").get("x2").asDouble());
        assertEquals(5, n.get("landmarks").get("points").size());
        assertEquals(85.0, n.get("landmarks").get("points").get(2).get("y").asDouble());
        assertEquals("ada", n.get("identity_id").asText());
        assertEquals(0.61, n.get("distance").asDouble());
        assertEquals("mobilefacenet-192", n.get("model_id").asText());
    }

    @Test
    void anUnknownFaceHasAnExplicitNullIdentity() throws Exception {
        String text = new String(Codec.json(MatchEvent.class).encode(Samples.matchEvent(null)), StandardCharsets.UTF_8);
        assertTrue(text.contains("\"identity_id\":null"), text);
    }

    @Test
    void anUnknownFaceCarriesItsGroupAndAKnownOneCannot() throws Exception {
        MatchEvent grouped = Samples.matchEvent(null).inUnknownGroup("unknown-12");
        assertEquals("unknown-12", json(grouped).get("unknown_id").asText());
        assertEquals(grouped, Codec.json(MatchEvent.class).decode(Codec.json(MatchEvent.class).encode(grouped)));
        assertTrue(json(Samples.matchEvent(null)).get("unknown_id").isNull());
        IllegalArgumentException known = assertThrows(IllegalArgumentException.class,
                () -> Samples.matchEvent("ada").inUnknownGroup("unknown-12"));
        assertTrue(known.getMessage().contains("ada"), known.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Samples.matchEvent(null).inUnknownGroup("unknown:cam-1:3"));
        assertThrows(IllegalArgumentException.class, () -> Samples.matchEvent(null).inUnknownGroup("unknown-0"));
    }

    @Test
    void anEventWrittenBeforeGroupingStillReads() throws Exception {
        String text = new String(Codec.json(MatchEvent.class).encode(Samples.matchEvent(null)), StandardCharsets.UTF_8);
        String old = text.replace(",\"unknown_id\":null", "");
        assertTrue(!old.contains("unknown_id"), old);
        assertEquals(Samples.matchEvent(null), Codec.json(MatchEvent.class).decode(old.getBytes(StandardCharsets.UTF_8)));
        // every other field is still required
        String noModel = text.replace("\"model_id\":\"mobilefacenet-192\",", "");
        assertThrows(RuntimeException.class, () -> Codec.json(MatchEvent.class).decode(noModel.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void eventIdIsDeterministicAndDistinct() {
        assertEquals("cam-1:42:3", MatchEvent.eventId("cam-1", 42, 3));
        assertEquals(MatchEvent.eventId("door", 7, 0), MatchEvent.eventId("door", 7, 0));
        assertNotEquals(MatchEvent.eventId("door", 7, 0), MatchEvent.eventId("door", 7, 1));
        assertNotEquals(MatchEvent.eventId("door", 7, 1), MatchEvent.eventId("door", 71, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MatchEvent.eventId("door", 7, -1));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
    }

    @Test
    void aMatchMustBeWithinTheThreshold() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MatchEvent("e", "cam-1", 1,
                Samples.T0, Samples.T0, 0, Samples.matchEvent(null).box(), Samples.matchEvent(null).landmarks(),
                "ada", 1.3, 0.9, "m"));
        assertTrue(e.getMessage().contains("ada") && e.getMessage().contains("1.3") && e.getMessage().contains("0.9"),
                e.getMessage());
    }
}
