package io.facestream.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.app.local.EmbeddedKafka;
import io.facestream.core.BoundingBox;
import io.facestream.core.Landmarks;
import io.facestream.core.event.MatchEvent;
import io.facestream.core.topic.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The matches reader on a real broker: its lines, its JSON file and the stream figures it gathers. */
class MatchFeedTest {

    @TempDir Path dir;

    @Test
    void eventsReadFromMatchesArePrintedWrittenAndMeasured() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
            kafka.createTopics(Topics.newTopics(2, (short) 1));
            Instant captured = Instant.now().minusMillis(500);
            List<MatchEvent> events = List.of(
                    event(0, 0, captured, "ada", 0.4),
                    event(0, 1, captured, null, 1.7),
                    event(1, 0, captured.plusMillis(40), "ada", 0.35));
            try (KafkaProducer<String, MatchEvent> producer = new KafkaProducer<>(
                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                    Topics.MATCHES.keySerde().serializer(), Topics.MATCHES.valueSerde().serializer())) {
                for (MatchEvent e : events) {
                    producer.send(new ProducerRecord<>(Topics.MATCHES.name(), e.cameraId(), e));
                }
            }
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            Path jsonl = dir.resolve("matches.jsonl");
            Instant started = Instant.now();
            try (MatchFeed feed = new MatchFeed(kafka.bootstrapServers(), 2, new PrintStream(printed, true,
                    StandardCharsets.UTF_8), jsonl)) {
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (feed.events() < 3 && System.nanoTime() < deadline) {
                    feed.poll(Duration.ofMillis(200));
                }
                assertEquals(3, feed.events());
                assertEquals(2, feed.known());
                assertEquals(2, feed.framesWithFaces());
                StreamStats stats = feed.stats();
                assertEquals(Map.of("ada", 2L), stats.eventsPerIdentity());
                assertEquals(1, stats.unknown());
                StreamStats.Latency latency = stats.captureToReceived();
                assertEquals(3, latency.count());
                // Captured half a second before they were even produced; received after this reader started.
                assertTrue(latency.p50().toMillis() >= 460, latency.describe());
                assertTrue(latency.max().compareTo(Duration.between(captured, Instant.now())) <= 0, latency.describe());
                assertTrue(!stats.firstReceived().isBefore(started), stats.firstReceived() + " before " + started);
                assertEquals(Duration.ofMillis(100), stats.captureToProcessed().p50());
            }
            // a benchmark that counts from frame 1 on reads frame 0's events but leaves them out of its figures
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            try (MatchFeed feed = new MatchFeed(kafka.bootstrapServers(), 2, new PrintStream(all, true,
                    StandardCharsets.UTF_8), null).countFrom(1)) {
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (all.toString(StandardCharsets.UTF_8).lines().count() < 3 && System.nanoTime() < deadline) {
                    feed.poll(Duration.ofMillis(200));
                }
                assertEquals(3, all.toString(StandardCharsets.UTF_8).lines().count(), "every event is read");
                assertEquals(1, feed.events(), "only frame 1's event is counted");
                assertEquals(1, feed.stats().captureToReceived().count());
            }
            String out = printed.toString(StandardCharsets.UTF_8);
            assertTrue(out.contains("cam front  frame 0  face 0  track 0 → ada (0.400)"), out);
            assertTrue(out.contains("cam front  frame 0  face 1  track 0 → unknown"), out);
            assertEquals(3, Files.readAllLines(jsonl).size());
        }
    }

    private static MatchEvent event(long frame, int face, Instant captured, String identity, double distance) {
        return new MatchEvent(MatchEvent.eventId("front", frame, face), "front", frame, captured,
                captured.plusMillis(100), 0, new BoundingBox(10, 10, 50, 60),
                Landmarks.of(20, 30, 40, 30, 30, 40, 22, 50, 38, 50), identity, distance, 1.196, "mobilefacenet-192");
    }
}
