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
        rejects(() -> new HardExample("x", new byte[] {1}, e, HardExample.LabelSource.TRACK, null, List.of("y"), "y"),
                "x", "lineage y", "negatives");
        rejects(() -> new ModelRecord("m1", null, new byte[] {1}, URI.create("file:///m1"), Map.of()), "m1", "both");
        rejects(() -> new ModelRecord("m1", null, null, null, Map.of()), "m1", "neither");
        rejects(() -> new ModelRecord("m1", null, null, URI.create("file:///m1"), Map.of("accuracy", Double.NaN)),
                "accuracy", "NaN");
        rejects(() -> new DeadLetter("frames", "k", new byte[0], "", Instant.EPOCH), "error");
    }

    @Test
    void trainingCurvesSayWhatIsWrong() {
        URI uri = URI.create("file:///m1");
        rejects(() -> new ModelRecord("m1", null, null, uri, Map.of(), List.of(CurvePoint.step(5, 0.2, null),
                CurvePoint.step(4, 0.1, null))), "m1", "in order", "step 4 after step 5");
        rejects(() -> CurvePoint.step(3, Double.NaN, null), "loss", "step 3", "NaN");
        rejects(() -> CurvePoint.step(3, Double.POSITIVE_INFINITY, null), "loss", "Infinity");
        rejects(() -> new CurvePoint(3, 0.2, 1.5, null), "active", "[0, 1]", "1.5");
        rejects(() -> new CurvePoint(3, null, null, -0.1), "accuracy", "[0, 1]", "-0.1");
        rejects(() -> new CurvePoint(3, null, 0.5, null), "step 3", "neither");
        rejects(() -> new CurvePoint(-1, 0.2, null, null), "step", "-1");
        rejects(() -> new ModelRecord("m1", null, null, uri, Map.of(), java.util.Arrays.asList(CurvePoint.step(1, 0.2,
                null), null)), "point 1", "m1", "null");
        List<CurvePoint> tooLong = java.util.stream.LongStream.rangeClosed(1, ModelRecord.MAX_CURVE_POINTS + 1)
                .mapToObj(s -> CurvePoint.step(s, 0.1, null)).toList();
        rejects(() -> new ModelRecord("m1", null, null, uri, Map.of(), tooLong), "501 points", "at most 500", "thin");
        // Equal steps are allowed (a step and an evaluation logged apart), and the bound itself.
        assertEquals(ModelRecord.MAX_CURVE_POINTS, new ModelRecord("m1", null, null, uri, Map.of(),
                tooLong.subList(1, tooLong.size())).curve().size());
        assertEquals(2, new ModelRecord("m1", null, null, uri, Map.of(), List.of(CurvePoint.step(2, 0.2, null),
                new CurvePoint(2, null, null, 0.9))).curve().size());
    }

    @Test
    void theCurveIsPartOfTheModelsIdentity() {
        ModelRecord m = Samples.modelWithCurve();
        assertEquals(m, m.withCurve(new java.util.ArrayList<>(m.curve())));
        assertEquals(m.hashCode(), m.withCurve(m.curve()).hashCode());
        assertFalse(m.equals(m.withCurve(m.curve().subList(0, 3))), "a different curve is a different record");
        assertEquals(List.of(), m.withCurve(null).curve(), "null is no curve");
        assertThrows(UnsupportedOperationException.class, () -> m.curve().clear());
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
