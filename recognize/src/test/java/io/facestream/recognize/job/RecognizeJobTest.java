package io.facestream.recognize.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.BoundingBox;
import io.facestream.core.event.DeadLetter;
import io.facestream.core.event.Frame;
import io.facestream.core.event.MatchEvent;
import io.facestream.core.topic.Topics;
import io.facestream.recognize.engine.AnalyzedFace;
import io.facestream.recognize.engine.EngineOptions;
import io.facestream.recognize.engine.FaceEngine;
import io.facestream.recognize.engine.FaceModel;
import io.facestream.recognize.image.RgbImage;
import io.facestream.recognize.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The recognize job on a two-slot MiniCluster with real LFW faces, a one-person gallery and a corrupt frame. */
class RecognizeJobTest {

    private static final int PARALLELISM = 2;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(PARALLELISM).build());

    @Test
    void oneEventPerFaceWithTheEnrolledIdentityAndOneDeadLetterForTheCorruptFrame() throws Exception {
        Path tgz = SharedData.require("data/lfw-deepfunneled.tgz");
        Map<String, Path> img = LfwSample.extract(tgz, "George_W_Bush_0001", "George_W_Bush_0002",
                "George_W_Bush_0003", "Tony_Blair_0001");

        float[] bush;
        try (FaceEngine engine = FaceEngine.open(new EngineOptions(null, 1, "cpu", 20))) {
            bush = mainFace(engine.analyze(RgbImage.read(img.get("George_W_Bush_0001")), FaceModel.MOBILEFACENET, false))
                    .embedding().values();
        }
        List<EnrolledFace> gallery = List.of(new EnrolledFace("george-w-bush", bush));

        Instant t0 = Instant.parse("2026-01-01T10:00:00Z");
        byte[] corrupt = "this is not a JPEG".getBytes();
        List<Frame> frames = List.of(
                frame("cam-a", 1, t0, img.get("George_W_Bush_0002")),
                frame("cam-a", 2, t0.plusSeconds(1), img.get("Tony_Blair_0001")),
                new Frame("cam-b", 7, t0.plusSeconds(2), 250, 250, corrupt),
                frame("cam-b", 8, t0.plusSeconds(3), img.get("George_W_Bush_0003")));

        CollectingSink<MatchEvent> matches = new CollectingSink<>("matches");
        CollectingSink<DeadLetter> dlq = new CollectingSink<>("dlq");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(PARALLELISM);
        RecognizeJob.build(env.fromData(frames).rebalance(),
                RecognizeFunction.withGallery(FaceModel.MOBILEFACENET, gallery), matches, dlq);
        long start = System.nanoTime();
        env.execute("recognize test");
        System.out.printf("recognize job: %d frames in %.1f s%n", frames.size(), (System.nanoTime() - start) / 1e9);

        List<MatchEvent> events = matches.results();
        Map<String, List<MatchEvent>> byFrame = events.stream()
                .collect(Collectors.groupingBy(e -> e.cameraId() + ":" + e.frameSequence()));
        assertEquals(List.of("cam-a:1", "cam-a:2", "cam-b:8"), byFrame.keySet().stream().sorted().toList(),
                "every decodable frame has events, the corrupt one none");
        for (Map.Entry<String, List<MatchEvent>> f : byFrame.entrySet()) {
            List<MatchEvent> faces = new ArrayList<>(f.getValue());
            faces.sort(Comparator.comparing(MatchEvent::eventId));
            for (int i = 0; i < faces.size(); i++) {
                MatchEvent e = faces.get(i);
                assertEquals(MatchEvent.eventId(e.cameraId(), e.frameSequence(), i), e.eventId(),
                        "face indexes run 0..n-1 per frame");
                assertEquals("mobilefacenet-192", e.modelId());
                assertEquals(FaceModel.MOBILEFACENET.threshold(), e.threshold());
                assertEquals(RecognizeFunction.NO_TRACK, e.trackId());
                assertTrue(e.distance() != null, "a one-person gallery always has a nearest face");
            }
        }
        MatchEvent bush2 = main(byFrame.get("cam-a:1"));
        MatchEvent blair = main(byFrame.get("cam-a:2"));
        MatchEvent bush3 = main(byFrame.get("cam-b:8"));
        assertEquals("george-w-bush", bush2.identityId(), () -> "distance " + bush2.distance());
        assertEquals("george-w-bush", bush3.identityId(), () -> "distance " + bush3.distance());
        assertNull(blair.identityId(), () -> "distance " + blair.distance());
        assertTrue(blair.distance() > blair.threshold());
        assertEquals(t0, bush2.captureTime());
        assertEquals(t0.plusSeconds(3), bush3.captureTime());
        assertTrue(!bush2.processingTime().isBefore(Instant.now().minusSeconds(120)), "processing time is now");
        assertEquals(events.size(), events.stream().map(MatchEvent::eventId).distinct().count(), "event ids are unique");
        System.out.printf("distances: Bush_0002 %.3f, Bush_0003 %.3f, Blair_0001 %.3f (threshold %.2f); %d events%n",
                bush2.distance(), bush3.distance(), blair.distance(), bush2.threshold(), events.size());

        List<DeadLetter> dead = dlq.results();
        assertEquals(1, dead.size(), () -> "dead letters: " + dead);
        DeadLetter d = dead.get(0);
        assertEquals("frames", d.topic());
        assertEquals("cam-b", d.key());
        assertTrue(d.error().startsWith("frame cam-b #7 could not be decoded as an image"), d.error());
        Frame back = Topics.FRAMES.valueSerde().deserializer().deserialize("frames", d.value());
        assertEquals(7, back.sequence(), "the dead letter carries the frame record");
    }

    /** The event of the face nearest the centre of the 250x250 LFW image (the person it is named after). */
    private static MatchEvent main(List<MatchEvent> faces) {
        return faces.stream().min(Comparator.comparingDouble(e -> offCentre(e.box()))).orElseThrow();
    }

    private static AnalyzedFace mainFace(List<AnalyzedFace> faces) {
        return faces.stream().min(Comparator.comparingDouble(f -> offCentre(f.detection().box()))).orElseThrow();
    }

    private static double offCentre(BoundingBox b) {
        return Math.hypot((b.x1() + b.x2()) / 2 - 125, (b.y1() + b.y2()) / 2 - 125);
    }

    private static Frame frame(String camera, long sequence, Instant at, Path jpeg) throws IOException {
        return new Frame(camera, sequence, at, 250, 250, Files.readAllBytes(jpeg));
    }
}
