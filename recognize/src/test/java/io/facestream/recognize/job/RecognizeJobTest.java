package io.facestream.recognize.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.event.DeadLetter;
import io.facestream.core.event.EnrolmentRequest;
import io.facestream.core.event.EnrolmentResult;
import io.facestream.core.event.Frame;
import io.facestream.core.event.HardExample;
import io.facestream.core.event.GalleryEntry;
import io.facestream.core.event.MatchEvent;
import io.facestream.core.event.ModelRecord;
import io.facestream.core.topic.Topics;
import io.facestream.recognize.engine.FaceModel;
import io.facestream.recognize.testing.SharedData;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The recognize job on a two-slot MiniCluster with real LFW faces: people enrolled through the enrolment
 * stream are named in later frames, strangers are unknown, a face keeps its track, bad records reach the
 * dead-letter output while the stream goes on, bad enrolment photos get error results, and a tombstone
 * deletes a person from matching.
 *
 * <p>Enrolment and recognition are wired as in the job, except that the gallery records the enrolment
 * writes are fed straight back into matching (in production they go round through the {@code gallery}
 * topic). Gates order the inputs: frames wait for the enrolment results, the tombstone for the first
 * frames' events, the last frames for the tombstone.
 */
class RecognizeJobTest {

    private static final int PARALLELISM = 2;
    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    private static final int REQUESTS = 7;
    /** Frames with faces before the tombstone, as camera:sequence. */
    private static final Set<String> FIRST_FRAMES = Set.of("cam-1:0", "cam-1:1", "cam-1:2", "cam-1:3", "cam-1:5",
            "cam-1:6", "cam-2:0", "cam-2:1", "cam-2:3");
    /** cam-1 frames from this sequence on are shown after the tombstone. */
    private static final long AFTER_TOMBSTONE = 7;

    private static final AtomicBoolean TOMBSTONE_SENT = new AtomicBoolean();

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(PARALLELISM).setConfiguration(reporting()).build());

    /** The cluster's metrics go to {@link CapturedMetrics} as they would to the Prometheus reporter. */
    private static Configuration reporting() {
        Configuration conf = new Configuration();
        conf.set(ConfigOptions.key("metrics.reporter.captured.factory.class").stringType().noDefaultValue(),
                CapturedMetrics.class.getName());
        return conf;
    }

    @Test
    void enrolledPeopleAreNamedTrackedAndDeletedWhileBadInputGoesToTheDeadLetters() throws Exception {
        Path tgz = SharedData.require("data/lfw-deepfunneled.tgz");
        Map<String, Path> img = LfwSample.extract(tgz, "George_W_Bush_0001", "George_W_Bush_0002",
                "George_W_Bush_0003", "George_W_Bush_0004", "George_W_Bush_0005", "George_W_Bush_0006",
                "Tony_Blair_0001", "Tony_Blair_0004", "Tony_Blair_0003", "Tony_Blair_0006", "Donald_Rumsfeld_0001");
        byte[] bushBlair = sideBySide(img.get("George_W_Bush_0004"), img.get("Tony_Blair_0004"));
        byte[] blairBush = sideBySide(img.get("Tony_Blair_0004"), img.get("George_W_Bush_0004"));
        byte[] noFace = gradient();

        List<EnrolmentRequest> requests = List.of(
                request("r-bush-1", "bush", "George W. Bush", Files.readAllBytes(img.get("George_W_Bush_0001"))),
                request("r-bush-2", "bush", "George W. Bush", Files.readAllBytes(img.get("George_W_Bush_0002"))),
                // A replay of the first request, as after a restart under at-least-once delivery.
                request("r-bush-1", "bush", "George W. Bush", Files.readAllBytes(img.get("George_W_Bush_0001"))),
                request("r-blair-1", "blair", "Tony Blair", Files.readAllBytes(img.get("Tony_Blair_0001"))),
                request("r-blank", "nobody", "Nobody", noFace),
                request("r-duo", "duo", "Two People", bushBlair),
                request("r-text", "text", "Not A Photo", "this is not an image".getBytes(StandardCharsets.UTF_8)));
        assertEquals(REQUESTS, requests.size());

        byte[] garbage = "not a CBOR frame at all".getBytes(StandardCharsets.UTF_8);
        List<FrameInput> frames = List.of(
                frame("cam-1", 0, img.get("George_W_Bush_0003")),
                frame("cam-2", 0, bushBlair),
                frame("cam-1", 1, img.get("George_W_Bush_0005")),
                frame("cam-2", 1, blairBush),
                frame("cam-1", 2, img.get("George_W_Bush_0006")),
                frame("cam-2", 2, noFace),
                frame("cam-1", 3, img.get("Donald_Rumsfeld_0001")),
                // The same decoding as the Kafka source: a record that is not a frame becomes a dead letter.
                FrameInput.decode("frames", "cam-1".getBytes(StandardCharsets.UTF_8), garbage, "frames-0@42", T0),
                FrameInput.of(new Frame("cam-1", 4, T0.plusSeconds(4), 250, 250,
                        "this is not a JPEG".getBytes(StandardCharsets.UTF_8))),
                frame("cam-2", 3, bushBlair),
                frame("cam-1", 5, img.get("Tony_Blair_0003")),
                frame("cam-1", 6, img.get("George_W_Bush_0003")),
                frame("cam-1", AFTER_TOMBSTONE, img.get("Tony_Blair_0006")),
                frame("cam-1", AFTER_TOMBSTONE + 1, img.get("George_W_Bush_0005")));

        CollectingSink<MatchEvent> matches = new CollectingSink<>("job-matches");
        CollectingSink<DeadLetter> dlq = new CollectingSink<>("job-dlq");
        CollectingSink<GalleryRecord> gallery = new CollectingSink<>("job-gallery");
        CollectingSink<EnrolmentResult> results = new CollectingSink<>("job-results");
        CollectingSink<HardExample> hard = new CollectingSink<>("job-hard-examples");
        TOMBSTONE_SENT.set(false);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(PARALLELISM);
        // A gap must never be what releases a frame here: every frame and marker has to fill its own place.
        RecognizeSettings settings = RecognizeSettings.defaults(FaceModel.MOBILEFACENET)
                .withReorderTimeout(Duration.ofMinutes(10)).withHardExamples(HardExampleOptions.defaults());
        DataStream<GalleryRecord> topic = env.fromData(List.of(GalleryRecord.tombstone("blair")),
                        TypeInformation.of(GalleryRecord.class))
                .map(new TombstoneGate(matches)).setParallelism(1).name("tombstone gate");
        // No model is published here (RecognizeOperatorTest and the Kafka swap test cover that).
        // (Flink's collection source refuses an empty collection: one record, filtered out.)
        DataStream<ModelRecord> models = env.fromData(List.of(new ModelRecord("none", null, new byte[] {0}, null,
                Map.of())), TypeInformation.of(ModelRecord.class)).filter(m -> false);
        RecognizeJob.Enrolment enrolment = RecognizeJob.enrol(
                env.fromData(requests, TypeInformation.of(EnrolmentRequest.class)), topic, models, settings);
        DataStream<FrameInput> input = env.fromData(frames, TypeInformation.of(FrameInput.class))
                .map(new FrameGate(results)).setParallelism(1).name("frame gate");
        RecognizeJob.Recognition recognition = RecognizeJob.recognize(input, topic.union(enrolment.gallery()), models,
                settings);
        recognition.matches().sinkTo(matches);
        recognition.deadLetters().sinkTo(dlq);
        recognition.hardExamples().sinkTo(hard);
        enrolment.gallery().sinkTo(gallery);
        enrolment.results().sinkTo(results);
        long start = System.nanoTime();
        env.execute("recognize test");
        System.out.printf("recognize job: %d frames, %d enrolments in %.1f s%n", frames.size(), requests.size(),
                (System.nanoTime() - start) / 1e9);

        checkEnrolment(results.results(), gallery.results());
        checkMatches(matches.results());
        checkDeadLetters(dlq.results(), garbage);
        checkHardExamples(hard.results(), matches.results());
        checkMetrics(matches.results());
    }

    /** The job's own metrics, as a reporter sees them, agree with what it emitted. */
    private static void checkMetrics(List<MatchEvent> events) {
        String g = JobMetrics.GROUP;
        long known = events.stream().filter(e -> e.identityId() != null).count();
        double faces = CapturedMetrics.sum(g, "facesDetected", Map.of(), m -> ((Counter) m).getCount());
        assertEquals(events.size(), faces, "one match event per face detected");
        assertEquals(faces, CapturedMetrics.sum(g, "embeddings", Map.of(), m -> ((Counter) m).getCount()));
        assertEquals(PARALLELISM, CapturedMetrics.find(g, "embeddingsPerSecond", Map.of()).size(), "a meter per subtask");
        assertEquals(known, CapturedMetrics.sum(g, "matchEvents", Map.of("outcome", "known"),
                m -> ((Counter) m).getCount()));
        assertEquals(events.size() - known, CapturedMetrics.sum(g, "matchEvents", Map.of("outcome", "unknown"),
                m -> ((Counter) m).getCount()));
        assertEquals(events.size(), CapturedMetrics.sum(g, "frameToEventLatencyMs", Map.of(),
                m -> ((Histogram) m).getCount()));
        assertEquals(1, CapturedMetrics.sum(g, "framesUndecodable", Map.of(), m -> ((Counter) m).getCount()),
                "the frame whose bytes are not a JPEG");
        assertEquals(PARALLELISM, CapturedMetrics.sum(g, "modelLive",
                Map.of("model_id", FaceModel.MOBILEFACENET.modelId()), m -> ((Gauge<?>) m).getValue() instanceof Number n
                        ? n.doubleValue() : Double.NaN), "the live model, once per subtask");
        System.out.printf("recognize job metrics: %.0f faces detected, %d known and %d unknown match events%n", faces,
                known, events.size() - known);
        // The names docker/grafana/facestream.json queries, as the Prometheus reporter writes them.
        Set<String> names = new java.util.TreeSet<>();
        for (String name : List.of("facesDetected", "embeddingsPerSecond", "matchEvents", "frameToEventLatencyMs",
                "framesUndecodable", "modelLive")) {
            CapturedMetrics.find(g, name, Map.of()).forEach(e -> names.add(e.prometheusName()));
        }
        System.out.println("recognize job metrics for Prometheus: " + names);
        String op = "flink_taskmanager_job_task_operator_facestream_";
        assertEquals(Set.of(op + "facesDetected", op + "embeddingsPerSecond", op + "outcome_matchEvents",
                op + "frameToEventLatencyMs", op + "framesUndecodable", op + "model_id_modelLive"), names);
    }

    /**
     * Every new track sends its first face; a face matched at or under half the threshold labels its track with the
     * identity; the other faces of a frame are its negatives.
     */
    private static void checkHardExamples(List<HardExample> hard, List<MatchEvent> events) throws IOException {
        Map<String, MatchEvent> firstOfTrack = new TreeMap<>();
        for (MatchEvent e : events.stream().sorted(Comparator.comparingLong(MatchEvent::frameSequence)).toList()) {
            firstOfTrack.putIfAbsent(e.cameraId() + ":" + e.trackId(), e);
        }
        double threshold = FaceModel.MOBILEFACENET.threshold();
        List<String> expected = new ArrayList<>();
        for (MatchEvent e : firstOfTrack.values()) {
            boolean named = e.identityId() != null && e.distance() <= 0.5 * threshold;
            expected.add(named ? e.identityId() : "track:" + e.cameraId() + ":" + e.trackId());
        }
        List<String> labels = hard.stream().map(HardExample::label).sorted().toList();
        for (String label : expected) {
            assertTrue(labels.contains(label), () -> "the first face of a new track is sent as " + label + "; sent " + labels);
        }
        System.out.println("hard examples: " + labels);
        for (HardExample h : hard) {
            assertEquals(FaceModel.MOBILEFACENET.modelId(), h.embedding().modelId());
            BufferedImage crop = ImageIO.read(new ByteArrayInputStream(h.crop()));
            assertEquals(112, crop.getWidth(), "the trainer gets MobileFaceNet's aligned crop");
            assertEquals(h.label().startsWith("track:") ? HardExample.LabelSource.TRACK : HardExample.LabelSource.GALLERY,
                    h.labelSource());
        }
        // cam-2 frame 0: Bush and Blair side by side, each the other's sure negative.
        List<HardExample> pair = hard.stream().filter(h -> !h.negatives().isEmpty()).toList();
        assertTrue(pair.size() >= 2, () -> "the two faces of cam-2's first frame: " + hard);
        for (HardExample h : pair) {
            assertEquals(1, h.negatives().size(), h::toString);
            assertNotEquals(h.label(), h.negatives().get(0));
            assertTrue(hard.stream().anyMatch(o -> o.label().equals(h.negatives().get(0))), "a negative names a face sent too");
        }
        // Rumsfeld, never enrolled, is labelled by his track.
        MatchEvent stranger = events.stream().filter(e -> e.cameraId().equals("cam-1") && e.frameSequence() == 3)
                .findFirst().orElseThrow();
        assertTrue(labels.contains("track:cam-1:" + stranger.trackId()), labels::toString);
    }

    private static void checkEnrolment(List<EnrolmentResult> results, List<GalleryRecord> records) throws IOException {
        Map<String, List<EnrolmentResult>> byRequest = results.stream()
                .collect(Collectors.groupingBy(EnrolmentResult::requestId));
        assertEquals(REQUESTS, results.size(), () -> "one result per request: " + results);
        assertEquals(List.of(EnrolmentResult.Status.OK, EnrolmentResult.Status.OK),
                byRequest.get("r-bush-1").stream().map(EnrolmentResult::status).toList());
        assertTrue(byRequest.get("r-bush-2").get(0).succeeded());
        assertTrue(byRequest.get("r-blair-1").get(0).succeeded());
        EnrolmentResult blank = byRequest.get("r-blank").get(0);
        assertEquals(EnrolmentResult.Status.ERROR, blank.status());
        assertTrue(blank.reason().startsWith("no face found in the enrolment image of nobody"), blank.reason());
        EnrolmentResult duo = byRequest.get("r-duo").get(0);
        assertEquals("2 faces found; an enrolment image must show exactly one face", duo.reason());
        EnrolmentResult text = byRequest.get("r-text").get(0);
        assertEquals(EnrolmentResult.Status.ERROR, text.status());
        assertTrue(text.reason().contains("not an image"), text.reason());

        assertEquals(Set.of("bush", "blair"), records.stream().map(GalleryRecord::identityId).collect(Collectors.toSet()),
                "failed enrolments write no gallery entry");
        List<GalleryRecord> bush = records.stream().filter(r -> r.identityId().equals("bush")).toList();
        assertEquals(3, bush.size(), "one whole entry per successful request");
        assertArrayEquals(bush.get(1).entry(), bush.get(2).entry(), "the replayed request writes the same entry again");
        GalleryEntry entry = bush.get(2).decode();
        assertEquals("George W. Bush", entry.displayName());
        assertEquals(2, entry.crops().size(), "two photos, two faces; the replay added none");
        assertEquals(2, entry.embeddingsOf(FaceModel.MOBILEFACENET.modelId()).size());
        BufferedImage crop = ImageIO.read(new ByteArrayInputStream(entry.crops().get(0)));
        assertEquals(112, crop.getWidth(), "the crop is MobileFaceNet's aligned 112x112 face");
        assertEquals(112, crop.getHeight());
    }

    private static void checkMatches(List<MatchEvent> events) {
        Map<String, List<MatchEvent>> byFrame = new TreeMap<>(events.stream()
                .collect(Collectors.groupingBy(e -> e.cameraId() + ":" + e.frameSequence())));
        StringBuilder log = new StringBuilder();
        byFrame.forEach((frame, faces) -> faces.forEach(e -> log.append(String.format("%s face %s track %d %s %.3f%n",
                frame, e.eventId(), e.trackId(), e.identityId(), e.distance()))));
        System.out.print(log);
        assertEquals(Set.of("cam-1:0", "cam-1:1", "cam-1:2", "cam-1:3", "cam-1:5", "cam-1:6", "cam-1:7", "cam-1:8",
                "cam-2:0", "cam-2:1", "cam-2:3"), byFrame.keySet(), "events for every frame with faces, none else");
        assertEquals(events.size(), events.stream().map(MatchEvent::eventId).distinct().count(), "event ids are unique");
        for (List<MatchEvent> faces : byFrame.values()) {
            List<MatchEvent> sorted = new ArrayList<>(faces);
            sorted.sort(Comparator.comparing(MatchEvent::eventId));
            for (int i = 0; i < sorted.size(); i++) {
                MatchEvent e = sorted.get(i);
                assertEquals(MatchEvent.eventId(e.cameraId(), e.frameSequence(), i), e.eventId());
                assertEquals(FaceModel.MOBILEFACENET.modelId(), e.modelId());
                assertEquals(FaceModel.MOBILEFACENET.threshold(), e.threshold());
                assertTrue(e.distance() != null, "the gallery was never empty when frames came");
                assertTrue(e.trackId() >= 1, "track ids start at 1");
            }
        }

        // cam-1: Bush in three different photos, then a stranger, then Blair, then Bush again.
        MatchEvent bush0 = only(byFrame, "cam-1:0");
        long bushTrack = bush0.trackId();
        assertEquals(1, bushTrack, "the camera's first track");
        for (String f : List.of("cam-1:0", "cam-1:1", "cam-1:2", "cam-1:6", "cam-1:8")) {
            MatchEvent e = only(byFrame, f);
            assertEquals("bush", e.identityId(), () -> f + " distance " + e.distance());
            assertTrue(e.distance() <= e.threshold());
        }
        for (String f : List.of("cam-1:1", "cam-1:2")) {
            assertEquals(bushTrack, only(byFrame, f).trackId(), "the same face over consecutive frames keeps its track");
        }
        MatchEvent stranger = only(byFrame, "cam-1:3");
        assertNull(stranger.identityId(), () -> "Rumsfeld was never enrolled; distance " + stranger.distance());
        assertTrue(stranger.distance() > stranger.threshold());
        assertNotEquals(bushTrack, stranger.trackId(), "another face in the same place opens a new track");
        MatchEvent blair = only(byFrame, "cam-1:5");
        assertEquals("blair", blair.identityId(), () -> "distance " + blair.distance());
        assertTrue(Set.of(bushTrack, stranger.trackId()).stream().noneMatch(t -> t == blair.trackId()));
        assertEquals(bushTrack, only(byFrame, "cam-1:6").trackId(), "Bush is back within the track's age");
        MatchEvent deleted = only(byFrame, "cam-1:" + AFTER_TOMBSTONE);
        assertNull(deleted.identityId(), () -> "Blair was deleted by a tombstone; distance " + deleted.distance());
        assertEquals(blair.trackId(), deleted.trackId(), "deleted from the gallery, still the same face on camera");
        assertEquals(T0.plusSeconds(5), blair.captureTime());

        // cam-2: Bush and Blair side by side, then swapped, then nobody, then as at first.
        Map<String, Long> first = tracksByIdentity(byFrame.get("cam-2:0"));
        assertEquals(Set.of("bush", "blair"), first.keySet());
        assertEquals(Set.of(1L, 2L), Set.copyOf(first.values()), "each camera numbers its tracks from 1");
        assertEquals(first, tracksByIdentity(byFrame.get("cam-2:1")), "tracks follow the faces when they swap places");
        assertEquals(first, tracksByIdentity(byFrame.get("cam-2:3")), "and survive a frame without faces");
    }

    private static void checkDeadLetters(List<DeadLetter> dead, byte[] garbage) {
        assertEquals(2, dead.size(), () -> "dead letters: " + dead);
        DeadLetter raw = dead.stream().filter(d -> d.error().contains("is not a frame")).findFirst().orElseThrow();
        assertEquals("frames", raw.topic());
        assertEquals("cam-1", raw.key());
        assertArrayEquals(garbage, raw.value(), "the rejected record's own bytes");
        assertTrue(raw.error().startsWith("record frames-0@42 is not a frame"), raw.error());
        DeadLetter corrupt = dead.stream().filter(d -> d != raw).findFirst().orElseThrow();
        assertEquals("cam-1", corrupt.key());
        assertTrue(corrupt.error().startsWith("frame cam-1 #4 could not be decoded as an image"), corrupt.error());
        Frame back = Topics.FRAMES.valueSerde().deserializer().deserialize("frames", corrupt.value());
        assertEquals(4, back.sequence(), "the dead letter carries the frame record");
    }

    private static MatchEvent only(Map<String, List<MatchEvent>> byFrame, String frame) {
        List<MatchEvent> faces = byFrame.get(frame);
        assertEquals(1, faces == null ? 0 : faces.size(), () -> "faces in " + frame + ": " + faces);
        return faces.get(0);
    }

    private static Map<String, Long> tracksByIdentity(List<MatchEvent> faces) {
        assertEquals(2, faces.size(), () -> "two faces: " + faces);
        return faces.stream().collect(Collectors.toMap(MatchEvent::identityId, MatchEvent::trackId));
    }

    /** Lets frames through once every enrolment has its result, the last ones once the tombstone is out. */
    private static final class FrameGate implements MapFunction<FrameInput, FrameInput> {
        private static final long serialVersionUID = 1L;
        private final CollectingSink<EnrolmentResult> results;

        FrameGate(CollectingSink<EnrolmentResult> results) {
            this.results = results;
        }

        @Override
        public FrameInput map(FrameInput in) {
            // The gallery records left the enrol operator with the results; give them a moment to be broadcast.
            Gate.await("the results of all " + REQUESTS + " enrolments", () -> results.results().size() >= REQUESTS,
                    Duration.ofMillis(500));
            if (in.isFrame() && in.frame().cameraId().equals("cam-1") && in.frame().sequence() >= AFTER_TOMBSTONE) {
                Gate.await("the tombstone", TOMBSTONE_SENT::get, Duration.ofSeconds(1));
            }
            return in;
        }
    }

    /** Holds the tombstone back until every frame before it has been matched. */
    private static final class TombstoneGate implements MapFunction<GalleryRecord, GalleryRecord> {
        private static final long serialVersionUID = 1L;
        private final CollectingSink<MatchEvent> matches;

        TombstoneGate(CollectingSink<MatchEvent> matches) {
            this.matches = matches;
        }

        @Override
        public GalleryRecord map(GalleryRecord tombstone) {
            Gate.await("the events of the frames before the tombstone", () -> matches.results().stream()
                    .map(e -> e.cameraId() + ":" + e.frameSequence()).collect(Collectors.toSet())
                    .containsAll(FIRST_FRAMES), Duration.ZERO);
            TOMBSTONE_SENT.set(true);
            return tombstone;
        }
    }

    private static EnrolmentRequest request(String requestId, String identity, String name, byte[] image) {
        return new EnrolmentRequest(requestId, identity, name, image);
    }

    private static FrameInput frame(String camera, long sequence, Path jpeg) throws IOException {
        return frame(camera, sequence, Files.readAllBytes(jpeg));
    }

    private static FrameInput frame(String camera, long sequence, byte[] jpeg) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg));
        return FrameInput.of(new Frame(camera, sequence, T0.plusSeconds(sequence), image.getWidth(), image.getHeight(),
                jpeg));
    }

    /** Two 250×250 LFW photos side by side: two faces in one picture. */
    private static byte[] sideBySide(Path left, Path right) throws IOException {
        BufferedImage l = ImageIO.read(left.toFile());
        BufferedImage r = ImageIO.read(right.toFile());
        BufferedImage both = new BufferedImage(l.getWidth() + r.getWidth(), Math.max(l.getHeight(), r.getHeight()),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = both.createGraphics();
        g.drawImage(l, 0, 0, null);
        g.drawImage(r, l.getWidth(), 0, null);
        g.dispose();
        return jpeg(both);
    }

    /** A smooth grey-blue gradient: a valid photo with no face in it. */
    private static byte[] gradient() throws IOException {
        BufferedImage img = new BufferedImage(240, 240, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(40, 60, 90), 240, 240, new Color(200, 210, 220)));
        g.fillRect(0, 0, 240, 240);
        g.dispose();
        return jpeg(img);
    }

    private static byte[] jpeg(BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpg", out);
        return out.toByteArray();
    }
}
