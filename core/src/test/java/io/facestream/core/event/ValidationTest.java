package io.facestream.core.event;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.Embedding;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ValidationTest {

    private static void rejects(Executable build, String... mustMention) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        for (String s : mustMention) {
            assertTrue(e.getMessage().contains(s), "\"" + e.getMessage() + "\" should mention " + s);
        }
    }

    @Test
    void frameSaysWhatIsWrong() {
        byte[] jpeg = {1, 2, 3};
        rejects(() -> new Frame("", 1, Samples.T0, 10, 10, jpeg), "camera id", "\"\"");
        rejects(() -> new Frame(null, 1, Samples.T0, 10, 10, jpeg), "camera id", "null");
        rejects(() -> new Frame("cam-1", -5, Samples.T0, 10, 10, jpeg), "sequence", "-5", "cam-1");
        rejects(() -> new Frame("cam-1", 1, Samples.T0, 0, 10, jpeg), "size", "0x10");
        rejects(() -> new Frame("cam-1", 1, Samples.T0, 640, -1, jpeg), "size", "640x-1");
        rejects(() -> new Frame("cam-1", 1, Samples.T0, 10, 10, new byte[0]), "JPEG", "empty");
        rejects(() -> new Frame("cam-1", 1, null, 10, 10, jpeg), "capture time", "null");
    }

    @Test
    void arraysAreCopiedInAndOut() {
        byte[] jpeg = {1, 2, 3};
        Frame f = new Frame("cam-1", 1, Samples.T0, 10, 10, jpeg);
        jpeg[0] = 99;
        f.jpeg()[1] = 99;
        assertArrayEquals(new byte[] {1, 2, 3}, f.jpeg());

        byte[] crop = {4, 5};
        GalleryEntry g = new GalleryEntry("ada", "Ada", new java.util.ArrayList<>(List.of(crop)), Map.of(), Samples.T0);
        crop[0] = 0;
        g.crops().get(0)[1] = 0;
        assertArrayEquals(new byte[] {4, 5}, g.crops().get(0));
    }

    @Test
    void otherRecordsSayWhatIsWrong() {
        Embedding e = Samples.embedding("m1", 1);
        rejects(() -> new GalleryEntry("ada", "Ada", List.of(), Map.of(), Samples.T0), "ada", "crop");
        rejects(() -> new GalleryEntry("ada", "Ada", List.of(new byte[] {1}), Map.of("m2", List.of(e)), Samples.T0),
                "m2", "m1", "ada");
        rejects(() -> EnrolmentResult.error("req-1", "ada", " "), "reason", "req-1");
        rejects(() -> new EnrolmentRequest("req-1", "ada", "Ada", null), "image", "ada", "null");
        rejects(() -> new Sighting("ada", "cam-1", Samples.T0, Samples.T0.minusSeconds(1), 3, 0.4, List.of()),
                "ada", "before", Samples.T0.toString());
        rejects(() -> new Sighting("ada", "cam-1", Samples.T0, Samples.T0, 0, 0.4, List.of()), "frame", "0");
        rejects(() -> new Sighting("ada", "cam-1", Samples.T0, Samples.T0, 1, Double.NaN, List.of()), "distance", "NaN");
        rejects(() -> Sighting.unknownIdentity("cam-1", -1), "track", "-1");
        rejects(() -> new HardExample("x", new byte[] {1}, e, null, null, List.of()), "label source", "x");
        rejects(() -> new HardExample("x", new byte[] {1}, e, HardExample.LabelSource.TRACK, null, List.of("y", "x")),
                "x", "own label");
        rejects(() -> new ModelRecord("m1", null, new byte[] {1}, URI.create("file:///m1"), Map.of()), "m1", "both");
        rejects(() -> new ModelRecord("m1", null, null, null, Map.of()), "m1", "neither");
        rejects(() -> new ModelRecord("m1", null, null, URI.create("file:///m1"), Map.of("accuracy", Double.NaN)),
                "accuracy", "NaN");
        rejects(() -> new DeadLetter("frames", "k", new byte[0], "", Instant.EPOCH), "error");
    }

    @Test
    void unknownFacesGetAVisitIdentityPerCameraAndTrack() {
        String id = Sighting.unknownIdentity("cam-1", 17);
        assertEquals("unknown:cam-1:17", id);
        Sighting unknown = new Sighting(id, "cam-1", Samples.T0, Samples.T0, 1, null, List.of(17L));
        assertFalse(unknown.known());
        assertNull(unknown.bestDistance(), "no gallery face was compared");
        assertTrue(Samples.sighting().known());
    }

    @Test
    void enrolmentResultHelpers() {
        assertTrue(EnrolmentResult.ok("r", "ada").succeeded());
        assertEquals(EnrolmentResult.Status.ERROR, EnrolmentResult.error("r", "ada", "no face").status());
    }
}
