package io.facestream.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.app.local.EmbeddedKafka;
import io.facestream.core.event.Frame;
import io.facestream.core.topic.Topics;
import io.facestream.ingest.Backoff;
import io.facestream.ingest.CameraSequence;
import io.facestream.ingest.DecodedFrame;
import io.facestream.ingest.FrameSource;
import io.facestream.ingest.FrameSourceException;
import io.facestream.ingest.IngestOptions;
import io.facestream.ingest.IngestStats;
import io.facestream.ingest.Ingestor;
import io.facestream.ingest.http.IngestServer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingest loop against made-up camera sources (a real RTSP camera is out of reach) and a real in-process
 * broker: what the loop sends is read back from {@code frames} as a read_committed consumer sees it.
 */
class IngestorBrokerTest {

    private static final Backoff FAST = new Backoff(Duration.ofMillis(10), Duration.ofMillis(40));

    @TempDir static Path dataDir;
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start(dataDir);
        // One partition: the test reads frames back in the order they were sent, whatever their key.
        kafka.createTopics(List.of(Topics.FRAMES.newTopic(1, (short) 1)));
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    /** A live-like source that yields {@code frames} frames 40 ms apart, then ends or fails. */
    private static final class ScriptedSource implements FrameSource {
        private final int frames;
        private final boolean failAtEnd;
        private final long startMicros;
        private final BufferedImage image = new BufferedImage(32, 24, BufferedImage.TYPE_3BYTE_BGR);
        private int i;

        ScriptedSource(int frames, boolean failAtEnd, long startMicros) {
            this.frames = frames;
            this.failAtEnd = failAtEnd;
            this.startMicros = startMicros;
        }

        @Override
        public Optional<DecodedFrame> next() {
            if (i == frames) {
                if (failAtEnd) {
                    throw new FrameSourceException("connection to the made-up camera reset", false, null);
                }
                return Optional.empty();
            }
            long ts = startMicros + 40_000L * i++;
            return Optional.of(new DecodedFrame(image, ts, Instant.EPOCH.plusNanos(ts * 1000)));
        }

        @Override
        public String description() {
            return "made-up camera";
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aLiveSourceThatFailsIsReopenedWithBackoffAndSequencesRunOn() throws Exception {
        AtomicInteger opens = new AtomicInteger();
        IngestOptions options = IngestOptions.of("cam-7", "rtsp://camera/stream").withBackoff(FAST);
        List<Ingestor> self = new ArrayList<>();
        long started = System.nanoTime();
        Ingestor ingestor = run(options, producer -> new Ingestor(options, producer, () -> {
            int n = opens.incrementAndGet();
            if (n == 2) {
                throw new FrameSourceException("camera refused the connection", false, null);
            }
            if (n == 4) {
                self.get(0).stop();
            }
            return new ScriptedSource(5, true, n * 1_000_000L);
        }), self);
        long ms = (System.nanoTime() - started) / 1_000_000;

        // Opens 1 and 3 gave 5 frames each; open 2 failed; open 4 found the stop asked for.
        assertEquals(new IngestStats(10, 10, 0, 0, 3), ingestor.stats());
        List<ConsumerRecord<String, Frame>> sent = committed("cam-7");
        assertEquals(10, sent.size());
        for (int i = 0; i < sent.size(); i++) {
            assertEquals("cam-7", sent.get(i).value().cameraId());
            assertEquals(i, sent.get(i).value().sequence());
        }
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(sent.get(0).value().jpeg()));
        assertEquals(32, decoded.getWidth());
        // Waits of 10 ms, 20 ms (second failure in a row), then 10 ms again: frames reset the backoff.
        assertTrue(ms >= 10 + 20 + 10, "backoff waits were skipped: the run took " + ms + " ms");
    }

    /**
     * The ingestor's HTTP endpoint as Prometheus and Kubernetes see it: not ready before a frame reached Kafka, then
     * ready, and {@code /metrics} counts what was read, sent and dropped by the cap, labelled with the camera.
     */
    @Test
    void metricsAndProbesShowWhatTheIngestorSent() throws Exception {
        IngestOptions options = IngestOptions.of("cam-metrics", "clip.mp4").withMaxFps(12.5).withBackoff(FAST);
        try (Producer<String, Frame> producer = Ingestor.createProducer(kafka.bootstrapServers())) {
            Ingestor ingestor = new Ingestor(options, producer, () -> new ScriptedSource(20, false, 0));
            try (IngestServer http = IngestServer.start("127.0.0.1", 0, ingestor, Duration.ofSeconds(30))) {
                java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
                java.util.function.Function<String, java.net.http.HttpResponse<String>> get = path -> {
                    try {
                        return client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                                + http.port() + path)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                };
                assertEquals(200, get.apply("/health/live").statusCode());
                var before = get.apply("/health/ready");
                assertEquals(503, before.statusCode(), before.body());
                assertTrue(before.body().contains("no frame has reached Kafka yet"), before.body());

                ingestor.run(); // a file: returns at its end, its frames flushed
                IngestStats stats = ingestor.stats();
                assertEquals(20, stats.read(), stats.toString());
                assertTrue(stats.dropped() > 0 && stats.sent() > 0, "the cap at 12.5 fps drops about every other frame "
                        + "of 25 fps: " + stats);

                var ready = get.apply("/health/ready");
                assertEquals(200, ready.statusCode(), ready.body());
                var metrics = get.apply("/metrics");
                assertEquals(200, metrics.statusCode());
                assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
                String text = metrics.body();
                assertEquals(stats.read(), sample(text, "facestream_frames_read_total{camera=\"cam-metrics\"}"));
                assertEquals(stats.sent(), sample(text, "facestream_frames_sent_total{camera=\"cam-metrics\"}"));
                assertEquals(stats.dropped(), sample(text, "facestream_frames_dropped_total{camera=\"cam-metrics\"}"));
                assertEquals(0, sample(text, "facestream_frames_failed_total{camera=\"cam-metrics\"}"));
                assertEquals(0, sample(text, "facestream_frames_dead_letters_total{camera=\"cam-metrics\"}"));
                assertTrue(text.contains("jvm_memory_used_bytes"), "the JVM's metrics too");
                assertEquals(stats.sent(), committed("cam-metrics").size(), "what the counter says reached frames");
            }
        }
    }

    private static long sample(String text, String series) {
        for (String line : text.split("\n")) {
            if (line.startsWith(series + " ")) {
                return (long) Double.parseDouble(line.substring(series.length() + 1).strip());
            }
        }
        throw new AssertionError("no " + series + " in:\n" + text);
    }

    @Test
    void aFileThatEndsIsNotReopenedAndTheCapCountsDrops() {
        AtomicInteger opens = new AtomicInteger();
        IngestOptions options = IngestOptions.of("cam-1", "clip.mp4").withMaxFps(12.5).withBackoff(FAST);
        Ingestor ingestor = run(options, producer -> new Ingestor(options, producer, () -> {
            opens.incrementAndGet();
            return new ScriptedSource(25, false, 0);
        }), new ArrayList<>());
        assertEquals(1, opens.get());
        assertEquals(new IngestStats(25, 13, 12, 0, 0), ingestor.stats());
        // Every other frame of 25 fps passes a 12.5 fps cap; what reaches Kafka is numbered without gaps.
        List<ConsumerRecord<String, Frame>> sent = committed("cam-1");
        assertEquals(13, sent.size());
        for (int i = 0; i < sent.size(); i++) {
            assertEquals(i, sent.get(i).value().sequence());
            assertEquals(Instant.EPOCH.plusMillis(80L * i), sent.get(i).value().captureTime());
        }
    }

    @Test
    void aFileThatCannotBeOpenedStopsTheLoopWithTheSourceError() {
        IngestOptions options = IngestOptions.of("cam-missing", "missing.mp4").withBackoff(FAST);
        FrameSourceException e;
        Ingestor[] ingestor = new Ingestor[1];
        try (Producer<String, Frame> producer = Ingestor.createProducer(kafka.bootstrapServers())) {
            ingestor[0] = new Ingestor(options, producer);
            e = assertThrows(FrameSourceException.class, ingestor[0]::run);
        }
        assertTrue(e.getMessage().contains("missing.mp4 does not exist"), e.getMessage());
        assertEquals(0, ingestor[0].stats().reconnects());
        assertEquals(0, committed("cam-missing").size());
    }

    @Test
    void anIngestorThatTakesOverACameraCarriesOnWithItsNumbering() {
        IngestOptions first = IngestOptions.of("cam-9", "clip.mp4");
        run(first, producer -> new Ingestor(first, producer, () -> new ScriptedSource(5, false, 0)), new ArrayList<>());
        // Another camera's frames after it, more than one step back of the search.
        IngestOptions other = IngestOptions.of("cam-10", "clip.mp4");
        run(other, producer -> new Ingestor(other, producer, () -> new ScriptedSource(150, false, 0)),
                new ArrayList<>());

        OptionalLong last = CameraSequence.last(kafka.bootstrapServers(), "cam-9", Duration.ofSeconds(20));
        assertEquals(OptionalLong.of(4), last);
        assertEquals(OptionalLong.empty(), CameraSequence.last(kafka.bootstrapServers(), "cam-never", Duration.ofSeconds(20)));

        IngestOptions next = IngestOptions.of("cam-9", "clip.mp4").withFirstSequence(last.getAsLong() + 1);
        run(next, producer -> new Ingestor(next, producer, () -> new ScriptedSource(3, false, 0)), new ArrayList<>());
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L), committed("cam-9").stream()
                .map(r -> r.value().sequence()).toList());
    }

    /** Builds the ingestor on a real producer, runs it to its end, closes the producer (which flushes). */
    private static Ingestor run(IngestOptions options,
            java.util.function.Function<Producer<String, Frame>, Ingestor> make, List<Ingestor> self) {
        try (Producer<String, Frame> producer = Ingestor.createProducer(kafka.bootstrapServers())) {
            Ingestor ingestor = make.apply(producer);
            self.add(ingestor);
            ingestor.run();
            return ingestor;
        }
    }

    /** The records of {@code camera} in {@code frames}, read to the end as a read_committed consumer. */
    private static List<ConsumerRecord<String, Frame>> committed(String camera) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, Frame>> records = new ArrayList<>();
        TopicPartition tp = new TopicPartition(Topics.FRAMES.name(), 0);
        try (KafkaConsumer<String, Frame> consumer = new KafkaConsumer<>(config, Topics.FRAMES.keySerde().deserializer(),
                Topics.FRAMES.valueSerde().deserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, Frame> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key().equals(camera)) {
                        records.add(r);
                    }
                }
            }
        }
        return records;
    }
}
