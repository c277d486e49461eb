package io.facestream.recognize.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.facestream.core.BoundingBox;
import io.facestream.core.Embedding;
import io.facestream.core.Landmarks;
import io.facestream.core.event.GalleryEntry;
import io.facestream.core.event.HardExample;
import io.facestream.core.event.MatchEvent;
import io.facestream.recognize.engine.FaceModel;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** Tracking and matching against the broadcast gallery, on synthetic 192-D faces (no engine needed). */
class TrackMatchFunctionTest {

    private static final FaceModel MODEL = FaceModel.MOBILEFACENET;
    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    private final Random random = new Random(7);
    private final float[] ada = unit(random, 192);
    private final float[] bob = unit(random, 192);
    private final float[] carl = unit(random, 192);

    @Test
    void aFaceTakesTheNearestIdentityUnderTheThresholdAndOthersAreUnknown() throws Exception {
        try (var h = harness(List.of())) {
            h.processElement(frame("cam-1", 0, face(10, ada)), 0);
            MatchEvent lonely = h.extractOutputValues().get(0);
            assertNull(lonely.identityId());
            assertNull(lonely.distance(), "an empty gallery has no nearest face");

            h.processBroadcastElement(entry("ada", ada, bob), 0);
            float[] nearAda = near(ada, 0.3);
            float[] stranger = unit(random, 192);
            h.processElement(frame("cam-1", 1, face(10, nearAda), face(300, stranger)), 0);
            List<MatchEvent> out = h.extractOutputValues();
            MatchEvent known = out.get(1);
            MatchEvent unknown = out.get(2);
            assertEquals("ada", known.identityId());
            // The gallery holds Bob's face under Ada too; the nearest of her faces counts.
            assertEquals(squared(nearAda, ada), known.distance(), 1e-5, "squared L2 to the nearest enrolled face");
            assertEquals(MODEL.threshold(), known.threshold());
            assertEquals("cam-1:1:0", known.eventId());
            assertEquals("cam-1:1:1", unknown.eventId());
            assertNull(unknown.identityId());
            assertEquals(Math.min(squared(stranger, ada), squared(stranger, bob)), unknown.distance(), 1e-5);
            assertEquals(MODEL.modelId(), unknown.modelId());
            assertEquals(T0.plusSeconds(1), known.captureTime());
            assertEquals(1, known.trackId(), "Ada's face continues the track of frame 0");
            assertEquals(2, unknown.trackId());
        }
    }

    @Test
    void aTombstoneRemovesAPersonFromMatching() throws Exception {
        try (var h = harness(List.of())) {
            h.processBroadcastElement(entry("ada", ada), 0);
            h.processBroadcastElement(entry("bob", bob), 0);
            h.processElement(frame("cam-1", 0, face(10, near(ada, 0.2))), 0);
            h.processBroadcastElement(GalleryRecord.tombstone("ada"), 0);
            h.processElement(frame("cam-1", 1, face(10, near(ada, 0.2))), 0);
            List<MatchEvent> out = h.extractOutputValues();
            assertEquals("ada", out.get(0).identityId());
            assertNull(out.get(1).identityId(), "Ada was deleted");
            assertEquals(out.get(0).trackId(), out.get(1).trackId(), "she is still the same face on camera");
        }
    }

    @Test
    void aPersonEnrolledWhileTheStreamRunsIsMatchedFromTheNextFrame() throws Exception {
        try (var h = harness(List.of(new EnrolledFace("bob", bob)))) {
            h.processElement(frame("cam-1", 0, face(10, near(ada, 0.2)), face(300, near(bob, 0.2))), 0);
            // The index was built at that frame; Ada's enrolment and a second face of Bob change it in place.
            h.processBroadcastElement(entry("ada", ada), 0);
            h.processBroadcastElement(entry("bob", carl), 0);
            h.processElement(frame("cam-1", 1, face(10, near(ada, 0.2)), face(300, near(bob, 0.2)),
                    face(600, near(carl, 0.2))), 0);
            List<MatchEvent> out = h.extractOutputValues();
            assertNull(out.get(0).identityId(), "Ada was not enrolled yet");
            assertEquals("bob", out.get(1).identityId());
            assertEquals("ada", out.get(2).identityId(), "enrolled between the frames");
            assertNull(out.get(3).identityId(), "Bob's entry on the topic replaced his initial face");
            assertEquals("bob", out.get(4).identityId(), "his face now is the one the topic gave");
        }
    }

    @Test
    void theTopicOverridesTheInitialGallery() throws Exception {
        try (var h = harness(List.of(new EnrolledFace("carl", carl), new EnrolledFace("bob", bob)))) {
            h.processElement(frame("cam-1", 0, face(10, near(carl, 0.2))), 0);
            // A new photo of Carl on the topic replaces the initial one; a tombstone of Bob deletes his.
            h.processBroadcastElement(entry("carl", ada), 0);
            h.processBroadcastElement(GalleryRecord.tombstone("bob"), 0);
            h.processElement(frame("cam-1", 1, face(10, near(carl, 0.2)), face(300, near(ada, 0.2)),
                    face(600, near(bob, 0.2))), 0);
            List<MatchEvent> out = h.extractOutputValues();
            assertEquals("carl", out.get(0).identityId());
            assertNull(out.get(1).identityId(), "Carl's initial face was replaced");
            assertEquals("carl", out.get(2).identityId());
            assertNull(out.get(3).identityId(), "Bob was deleted although the initial gallery had him");
        }
    }

    @Test
    void camerasNumberTheirTracksApartAndARestartOpensNewTracks() throws Exception {
        try (var h = harness(List.of())) {
            h.processElement(frame("cam-1", 0, face(10, ada), face(300, bob)), 0);
            h.processElement(frame("cam-2", 0, face(10, bob)), 0);
            h.processElement(frame("cam-1", 1, face(12, ada)), 0);
            h.processElement(new SequencedFrame(new AnalyzedFrame("cam-1", 0, T0.plusSeconds(60), T0,
                    List.of(face(12, ada)), false), true), 0);
            List<Long> tracks = h.extractOutputValues().stream().map(MatchEvent::trackId).toList();
            assertEquals(List.of(1L, 2L, 1L, 1L, 3L), tracks);
        }
    }

    @Test
    void aHardExampleOfASplitTrackNamesTheTrackItSplitFrom() throws Exception {
        RecognizeSettings settings = RecognizeSettings.defaults(MODEL).withHardExamples(HardExampleOptions.defaults());
        try (var h = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(new TrackMatchFunction(settings),
                s -> s.frame().cameraId(), Types.STRING, TrackMatchFunction.GALLERY)) {
            h.processElement(frame("cam-1", 0, cropped(face(10, ada))), 0);
            // The same place, a face too far from the track's to continue it: track 2, split from track 1.
            h.processElement(frame("cam-1", 1, cropped(face(12, bob))), 0);
            List<HardExample> examples = h.getSideOutput(TrackMatchFunction.HARD_EXAMPLES).stream()
                    .map(StreamRecord::getValue).toList();
            assertEquals(List.of("track:cam-1:1", "track:cam-1:2"), examples.stream().map(HardExample::label).toList());
            assertNull(examples.get(0).lineage());
            assertEquals("track:cam-1:1", examples.get(1).lineage());
        }
    }

    @Test
    void facesLostFromATrackAreSentAsItsFacesOnceItIsFoundAgainAndDroppedIfItIsNot() throws Exception {
        RecognizeSettings settings = RecognizeSettings.defaults(MODEL)
                .withHardExamples(HardExampleOptions.defaults().withLostFrames(5));
        try (var h = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(new TrackMatchFunction(settings),
                s -> s.frame().cameraId(), Types.STRING, TrackMatchFunction.GALLERY)) {
            h.processElement(frame("cam-1", 0, cropped(face(10, ada)), cropped(face(300, bob))), 0);
            assertEquals(2, examples(h).size(), "the first face of each new track");
            // Bob is lost for two frames; a lost face somewhere no track was is nobody's
            float[] darkBob = near(bob, 0.6);
            h.processElement(lostIn(frame("cam-1", 1, cropped(face(11, ada))), cropped(face(300, darkBob)),
                    cropped(face(600, darkBob))), 0);
            // a face found beside Bob's place, overlapping it (a part of his face) is no sure negative of it
            h.processElement(lostIn(frame("cam-1", 2, cropped(face(12, ada)), cropped(face(360, near(bob, 0.9)))),
                    cropped(face(300, bob))), 0);
            assertEquals(3, examples(h).size(), "held until Bob is found again (the third: the part's new track)");
            h.processElement(frame("cam-1", 3, cropped(face(13, ada)), cropped(face(301, near(bob, 0.2)))), 0);
            List<HardExample> sent = examples(h).subList(3, examples(h).size());
            assertEquals(2, sent.size(), "the two frames Bob was lost in, at his track's place");
            assertEquals(List.of("track:cam-1:2", "track:cam-1:2"), sent.stream().map(HardExample::label).toList());
            assertEquals(List.of("track:cam-1:1"), sent.get(0).negatives(), "Ada was in the same frame");
            assertEquals(List.of("track:cam-1:1"), sent.get(1).negatives(), "not the face overlapping Bob's place");
            assertArrayEquals(darkBob, sent.get(0).embedding().values());
            assertEquals(0, h.extractOutputValues().stream()
                    .filter(e -> e.frameSequence() >= 1 && e.frameSequence() <= 2 && e.box().x1() == 300).count(),
                    "a lost face is no match event");

            // lost again, and never found: the track closes and its lost faces go with it
            h.processElement(lostIn(frame("cam-1", 4, cropped(face(14, ada))), cropped(face(301, darkBob))), 0);
            for (long seq = 5; seq <= 40; seq++) {
                h.processElement(frame("cam-1", seq, cropped(face(10 + seq, ada))), 0);
            }
            h.processElement(frame("cam-1", 41, cropped(face(51, ada)), cropped(face(301, bob))), 0);
            assertEquals(1, examples(h).stream().filter(e -> Arrays.equals(e.embedding().values(), darkBob)).count(),
                    "frame 1's lost face at Bob's place only: not the one where no track was, not frame 4's (dropped"
                            + " with its track)");
        }
    }

    private static List<HardExample> examples(
            KeyedBroadcastOperatorTestHarness<String, SequencedFrame, GalleryRecord, MatchEvent> h) {
        return h.getSideOutput(TrackMatchFunction.HARD_EXAMPLES) == null ? List.of()
                : h.getSideOutput(TrackMatchFunction.HARD_EXAMPLES).stream().map(StreamRecord::getValue).toList();
    }

    private static SequencedFrame lostIn(SequencedFrame s, FaceFeatures... lost) {
        AnalyzedFrame f = s.frame();
        return new SequencedFrame(new AnalyzedFrame(f.cameraId(), f.sequence(), f.captureTime(), f.processingTime(),
                f.faces(), false, null, null, List.of(lost)), false);
    }

    @Test
    void aGalleryFaceOfTheWrongLengthIsLeftOutInsteadOfFailingTheStream() throws Exception {
        try (var h = harness(List.of())) {
            h.processBroadcastElement(entry("tiny", unit(random, 8)), 0);
            h.processBroadcastElement(entry("ada", ada), 0);
            h.processElement(frame("cam-1", 0, face(10, near(ada, 0.2))), 0);
            assertEquals("ada", h.extractOutputValues().get(0).identityId());
        }
    }

    @Test
    void framesWaitUntilTheGalleryIsReadUpToItsEndAtStartThenGoOnInOrder() throws Exception {
        GalleryEnd end = new GalleryEnd(Map.of(0, 4L, 1, 2L), Duration.ofSeconds(30));
        try (var h = harness(end)) {
            h.setProcessingTime(1_000);
            h.processElement(frame("cam-1", 0, face(10, near(ada, 0.2))), 1_000);
            h.processElement(frame("cam-2", 0, face(10, near(bob, 0.2))), 1_000);
            h.processBroadcastElement(entry("ada", ada).readAt(0, 4), 1_010);
            h.setProcessingTime(1_200);
            h.processElement(frame("cam-1", 1, face(12, near(ada, 0.2))), 1_200);
            assertEquals(List.of(), h.extractOutputValues(), "partition 1 is not read up to offset 2 yet");

            h.processBroadcastElement(entry("bob", bob).readAt(1, 2), 1_300);
            h.setProcessingTime(1_300 + TrackMatchFunction.WAIT_CHECK_MS);
            List<MatchEvent> out = h.extractOutputValues();
            assertEquals(List.of("cam-1:0:0", "cam-1:1:0", "cam-2:0:0"),
                    out.stream().map(MatchEvent::eventId).sorted().toList());
            for (MatchEvent e : out) {
                assertEquals(e.cameraId().equals("cam-1") ? "ada" : "bob", e.identityId(), e::toString);
            }
            assertEquals(1, out.stream().filter(e -> e.eventId().equals("cam-1:1:0")).findFirst().orElseThrow().trackId());

            h.processElement(frame("cam-1", 2, face(14, near(ada, 0.2))), 1_400);
            assertEquals("cam-1:2:0", h.extractOutputValues().get(3).eventId(), "no waiting once the gallery is in");
        }
    }

    @Test
    void framesWaitAtMostTheLongestWaitThenAreMatchedAgainstWhatHasBeenRead() throws Exception {
        GalleryEnd end = new GalleryEnd(Map.of(0, 9L), Duration.ofSeconds(5));
        try (var h = harness(end)) {
            h.setProcessingTime(1_000);
            h.processBroadcastElement(entry("ada", ada).readAt(0, 3), 1_000);
            h.processElement(frame("cam-1", 0, face(10, near(ada, 0.2)), face(300, near(bob, 0.2))), 1_000);
            h.setProcessingTime(5_900);
            assertEquals(List.of(), h.extractOutputValues());
            h.setProcessingTime(6_000 + TrackMatchFunction.WAIT_CHECK_MS);
            List<MatchEvent> out = h.extractOutputValues();
            assertEquals(2, out.size(), "released after 5 s although offset 9 was never read");
            assertEquals("ada", out.get(0).identityId());
            assertNull(out.get(1).identityId(), "Bob's entry had not been read");
        }
    }

    private static KeyedBroadcastOperatorTestHarness<String, SequencedFrame, GalleryRecord, MatchEvent> harness(
            GalleryEnd end) throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new TrackMatchFunction(RecognizeSettings.defaults(MODEL), end),
                s -> s.frame().cameraId(), Types.STRING, TrackMatchFunction.GALLERY, TrackMatchFunction.GALLERY_READ);
    }

    private static KeyedBroadcastOperatorTestHarness<String, SequencedFrame, GalleryRecord, MatchEvent> harness(
            List<EnrolledFace> initial) throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new TrackMatchFunction(RecognizeSettings.defaults(MODEL).withGallery(initial)),
                s -> s.frame().cameraId(), Types.STRING, TrackMatchFunction.GALLERY);
    }

    private static SequencedFrame frame(String camera, long sequence, FaceFeatures... faces) {
        return new SequencedFrame(new AnalyzedFrame(camera, sequence, T0.plusSeconds(sequence), T0.plusSeconds(sequence),
                List.of(faces), false), false);
    }

    private static FaceFeatures face(double x, float[] embedding) {
        return new FaceFeatures(new BoundingBox(x, 20, x + 80, 120),
                Landmarks.of(x + 20, 50, x + 60, 50, x + 40, 70, x + 25, 95, x + 55, 95), embedding);
    }

    private static FaceFeatures cropped(FaceFeatures f) {
        return new FaceFeatures(f.box(), f.landmarks(), f.embedding(), new byte[] {1});
    }

    private static GalleryRecord entry(String identity, float[]... faces) {
        String model = MODEL.modelId();
        List<Embedding> list = java.util.Arrays.stream(faces).map(f -> new Embedding(model, f)).toList();
        return GalleryRecord.of(new GalleryEntry(identity, identity.toUpperCase(), List.of(new byte[] {1}),
                Map.of(model, list), T0));
    }

    /** A unit vector at squared distance about {@code d} from {@code v}. */
    private float[] near(float[] v, double d) {
        float[] noise = unit(random, v.length);
        float[] out = new float[v.length];
        double scale = Math.sqrt(d);
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] + scale * noise[i]);
        }
        return normalise(out);
    }

    private static float[] unit(Random random, int dim) {
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return normalise(v);
    }

    private static float[] normalise(float[] v) {
        double n = 0;
        for (float x : v) {
            n += x * x;
        }
        n = Math.sqrt(n);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (v[i] / n);
        }
        return v;
    }

    private static double squared(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (double) (a[i] - b[i]);
        }
        return s;
    }
}
