package io.facestream.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.app.local.EmbeddedKafka;
import io.facestream.core.event.DeadLetter;
import io.facestream.core.event.Frame;
import io.facestream.core.topic.Topic;
import io.facestream.core.topic.Topics;
import io.facestream.ingest.Backoff;
import io.facestream.ingest.DecodedFrame;
import io.facestream.ingest.FrameSource;
import io.facestream.ingest.FrameSourceException;
import io.facestream.ingest.GrabberFrameSource;
import io.facestream.ingest.IngestOptions;
import io.facestream.ingest.IngestStats;
import io.facestream.ingest.Ingestor;
import io.facestream.ingest.JpegEncoder;
import io.facestream.ingest.SourceSpec;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the ingest loop does when things go wrong, on a real in-process broker: frames too large for {@code frames}
 * become dead letters in {@code frames.dlq} while the frames after them still arrive, and a camera that cannot be
 * reached is tried again with growing delays.
 */
class IngestorFailureTest {

    /** The broker's {@code frames} takes no record larger than this (the catalogue says 10 MiB). */
    private static final int BROKER_LIMIT = 12_000;
    /** The ingestor's own limit in the test of its check before sending. */
    private static final int INGEST_LIMIT = 9_000;
    /** Frames of an empty canvas, then of faces from LFW photos: the faces' JPEGs are too large for both limits. */
    private static final List<Long> FACE_FRAMES = List.of(3L, 4L, 8L, 9L);
    private static final List<Long> EMPTY_FRAMES = List.of(0L, 1L, 2L, 5L, 6L, 7L, 10L, 11L);

    @TempDir static Path dir;
    private static EmbeddedKafka kafka;
    private static Path video;

    @BeforeAll
    static void startBrokerAndRenderTheVideo() throws Exception {
        List<Path> photos = LfwImages.get("George_W_Bush_0001", "Colin_Powell_0001");
        video = PhotoVideo.render(dir.resolve("faces-between-empty-frames.mp4"), List.of(
                PhotoVideo.shot(3), PhotoVideo.shot(2, photos.get(0)), PhotoVideo.shot(3),
                PhotoVideo.shot(2, photos.get(0), photos.get(1)), PhotoVideo.shot(2)));
        List<Integer> sizes = jpegSizes(video);
        System.out.println("JPEG bytes of each frame of the test video: " + sizes);
        for (long i : FACE_FRAMES) {
            assertTrue(sizes.get((int) i) > BROKER_LIMIT, "frame " + i + " must be too large to test anything: " + sizes);
        }
        for (long i : EMPTY_FRAMES) {
            assertTrue(sizes.get((int) i) < INGEST_LIMIT, "frame " + i + " must be small enough to pass: " + sizes);
        }

        kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        NewTopic frames = Topics.FRAMES.newTopic(1, (short) 1);
        frames.configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(BROKER_LIMIT)));
        kafka.createTopics(List.of(frames, Topics.FRAMES_DLQ.newTopic(1, (short) 1)));
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void framesOverTheIngestLimitBecomeDeadLettersBeforeTheyAreSentAndLaterFramesStillArrive() throws Exception {
        IngestOptions options = IngestOptions.of("cam-limit", video.toString()).withMaxRecordBytes(INGEST_LIMIT);
        IngestStats stats = ingest(options);

        assertEquals(new IngestStats(12, 8, 0, 0, 0, 4), stats);
        assertEquals(EMPTY_FRAMES, sequences(read(Topics.FRAMES, "cam-limit")));
        List<DeadLetter> letters = read(Topics.FRAMES_DLQ, "cam-limit");
        assertDeadLettersOfTheFaceFrames(letters, "cam-limit");
        for (DeadLetter d : letters) {
            assertTrue(d.error().contains("-byte value and is over the 9000-byte limit for frames; lower the JPEG "
                    + "quality or the resolution of the camera"), d.error());
        }
    }

    @Test
    void framesTheBrokerRefusesAsTooLargeFollowToTheDeadLetterTopicAndLaterFramesStillArrive() throws Exception {
        // The ingestor's own limit is the catalogue's 10 MiB: only the broker's answer can catch these frames.
        IngestOptions options = IngestOptions.of("cam-broker", video.toString());
        IngestStats stats = ingest(options);

        assertEquals(new IngestStats(12, 8, 0, 0, 0, 4), stats);
        assertEquals(EMPTY_FRAMES, sequences(read(Topics.FRAMES, "cam-broker")));
        List<DeadLetter> letters = read(Topics.FRAMES_DLQ, "cam-broker");
        assertDeadLettersOfTheFaceFrames(letters, "cam-broker");
        for (DeadLetter d : letters) {
            // The broker's own words for MESSAGE_TOO_LARGE, then ours.
            assertTrue(d.error().contains("was refused as too large (The request included a message larger than the "
                    + "max message size the server will accept.)"), d.error());
            assertTrue(d.error().endsWith("check its max.message.bytes"), d.error());
        }
    }

    @Test
    void aCameraThatStaysDownIsTriedAgainWithDoublingDelaysUpToTheCap() {
        Backoff backoff = new Backoff(Duration.ofMillis(50), Duration.ofMillis(100));
        IngestOptions options = IngestOptions.of("cam-down", "rtsp://camera.invalid/stream").withBackoff(backoff);
        List<Long> opens = new ArrayList<>();
        AtomicReference<Ingestor> self = new AtomicReference<>();
        Ingestor ingestor;
        try (Producer<String, Frame> producer = Ingestor.createProducer(kafka.bootstrapServers())) {
            ingestor = new Ingestor(options, producer, () -> {
                opens.add(System.nanoTime());
                if (opens.size() <= 5) {
                    throw new FrameSourceException("connection to camera.invalid refused", false, null);
                }
                self.get().stop();
                return new EmptySource();
            });
            self.set(ingestor);
            ingestor.run();
        }
        assertEquals(6, opens.size(), "opened once and tried again five times");
        assertEquals(new IngestStats(0, 0, 0, 0, 5, 0), ingestor.stats());
        long[] expected = {50, 100, 100, 100, 100};
        for (int i = 0; i < expected.length; i++) {
            long gapMs = (opens.get(i + 1) - opens.get(i)) / 1_000_000;
            assertTrue(gapMs >= expected[i], "attempt " + (i + 2) + " came " + gapMs + " ms after the one before, "
                    + "before its backoff of " + expected[i] + " ms");
            if (i >= 3) {
                // Without the cap these would be 400 and 800 ms.
                assertTrue(gapMs < 300, "attempt " + (i + 2) + " waited " + gapMs + " ms: the 100 ms cap did not hold");
            }
        }
    }

    private static void assertDeadLettersOfTheFaceFrames(List<DeadLetter> letters, String camera) throws Exception {
        assertEquals(FACE_FRAMES.size(), letters.size(), "dead letters of " + camera);
        for (int i = 0; i < letters.size(); i++) {
            DeadLetter d = letters.get(i);
            assertEquals("frames", d.topic());
            assertEquals(camera, d.key());
            // The raw record is kept: it decodes to the frame, whose JPEG is the whole picture.
            Frame frame = Topics.FRAMES.valueSerde().deserializer().deserialize(Topics.FRAMES.name(), d.value());
            assertEquals(FACE_FRAMES.get(i), frame.sequence());
            assertEquals(camera, frame.cameraId());
            BufferedImage picture = ImageIO.read(new ByteArrayInputStream(frame.jpeg()));
            assertEquals(PhotoVideo.WIDTH, picture.getWidth());
            assertEquals(PhotoVideo.HEIGHT, picture.getHeight());
            assertTrue(d.error().startsWith("frame " + frame.sequence() + " of camera " + camera + " (640x360, captured "
                    + frame.captureTime() + ") is a "), d.error());
            assertTrue(d.error().contains("-byte record with a " + d.value().length + "-byte value and "), d.error());
        }
    }

    private static IngestStats ingest(IngestOptions options) {
        try (Producer<String, Frame> producer = Ingestor.createProducer(kafka.bootstrapServers())) {
            Ingestor ingestor = new Ingestor(options, producer);
            ingestor.run();
            return ingestor.stats();
        }
    }

    private static List<Long> sequences(List<Frame> frames) {
        return frames.stream().map(Frame::sequence).toList();
    }

    /** The values under {@code key} in partition 0 of the topic, read to its end. */
    private static <V> List<V> read(Topic<String, V> topic, String key) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<V> values = new ArrayList<>();
        TopicPartition tp = new TopicPartition(topic.name(), 0);
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(config, topic.keySerde().deserializer(),
                topic.valueSerde().deserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key().equals(key)) {
                        values.add(r.value());
                    }
                }
            }
        }
        return values;
    }

    /** The size of each frame of the video as the ingestor encodes it. */
    private static List<Integer> jpegSizes(Path file) {
        List<Integer> sizes = new ArrayList<>();
        try (GrabberFrameSource source = GrabberFrameSource.open(new SourceSpec.VideoFile(file), false, false,
                Duration.ofSeconds(5));
             JpegEncoder encoder = new JpegEncoder(JpegEncoder.DEFAULT_QUALITY)) {
            for (Optional<DecodedFrame> f = source.next(); f.isPresent(); f = source.next()) {
                sizes.add(encoder.encode(f.get().image()).length);
            }
        }
        return sizes;
    }

    /** A camera that connects and has nothing to say. */
    private static final class EmptySource implements FrameSource {
        @Override
        public Optional<DecodedFrame> next() {
            return Optional.empty();
        }

        @Override
        public String description() {
            return "empty camera";
        }

        @Override
        public void close() {
        }
    }
}
