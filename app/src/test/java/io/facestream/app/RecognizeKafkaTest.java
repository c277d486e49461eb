package io.facestream.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.app.local.EmbeddedKafka;
import io.facestream.core.event.DeadLetter;
import io.facestream.core.event.EnrolmentRequest;
import io.facestream.core.event.EnrolmentResult;
import io.facestream.core.event.Frame;
import io.facestream.core.event.GalleryEntry;
import io.facestream.core.event.HardExample;
import io.facestream.core.event.HardExample.LabelSource;
import io.facestream.core.event.MatchEvent;
import io.facestream.core.event.ModelRecord;
import io.facestream.core.event.UnknownGroup;
import io.facestream.core.topic.Topic;
import io.facestream.core.topic.Topics;
import io.facestream.recognize.engine.FaceModel;
import io.facestream.recognize.group.GroupingOptions;
import io.facestream.recognize.job.GalleryRecord;
import io.facestream.recognize.job.HardExampleOptions;
import io.facestream.recognize.job.ModelFolders;
import io.facestream.recognize.job.RecognizeJob;
import io.facestream.recognize.job.RecognizeSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recognize job wired to every topic of a real in-process broker, exactly-once: an enrolment goes
 * round through the {@code gallery} topic into matching, garbage on {@code frames} reaches
 * {@code frames.dlq}, a tombstone on {@code gallery} deletes the person from matching and from the
 * enrolment state, frames wait at start until the gallery has been read, and garbage on {@code enrolments} and
 * {@code gallery} reaches their dead-letter topics.
 */
class RecognizeKafkaTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    /** Time for a record the job reads from a topic to reach its operator before the next input is sent. */
    private static final Duration SETTLE = Duration.ofSeconds(1);
    private static final String CAMERA = "door";
    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    @TempDir Path dir;

    @Test
    void anEnrolmentGoesRoundTheGalleryTopicIntoMatchingAndATombstoneTakesItOut() throws Exception {
        List<Path> img = LfwImages.get("George_W_Bush_0001", "George_W_Bush_0002", "George_W_Bush_0003",
                "George_W_Bush_0005", "Donald_Rumsfeld_0001");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
            kafka.createTopics(Topics.newTopics(2, (short) 1));
            String bootstrap = kafka.bootstrapServers();
            Configuration conf = new Configuration();
            // A job that fails should fail the test, not restart forever.
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
            JobClient job = startJob(bootstrap, conf, RecognizeSettings.defaults(FaceModel.MOBILEFACENET),
                    "recognize kafka test");
            try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap);
                 Reader out = new Reader(bootstrap, job)) {
                send(producer, Topics.ENROLMENTS, "bush",
                        new EnrolmentRequest("r-1", "bush", "George W. Bush", Files.readAllBytes(img.get(0))));
                assertTrue(out.await(Topics.ENROLMENT_RESULTS, r -> r.requestId().equals("r-1")).succeeded());
                GalleryEntry first = out.await(Topics.GALLERY, e -> e != null && e.identityId().equals("bush"));
                assertEquals(1, first.crops().size());
                Thread.sleep(SETTLE.toMillis());

                send(producer, Topics.FRAMES, CAMERA, frame(0, img.get(2)));
                producer.send(new ProducerRecord<>(Topics.FRAMES.name(), CAMERA.getBytes(StandardCharsets.UTF_8),
                        "garbage".getBytes(StandardCharsets.UTF_8))).get();
                send(producer, Topics.FRAMES, CAMERA, frame(1, img.get(4)));
                MatchEvent bush = out.await(Topics.MATCHES, e -> e.frameSequence() == 0);
                MatchEvent stranger = out.await(Topics.MATCHES, e -> e.frameSequence() == 1);
                assertEquals("bush", bush.identityId(), () -> "distance " + bush.distance());
                assertEquals(1, bush.trackId());
                assertNull(stranger.identityId());
                assertNotEquals(bush.trackId(), stranger.trackId());
                DeadLetter garbage = out.await(Topics.FRAMES_DLQ, d -> true);
                assertEquals(CAMERA, garbage.key());
                assertArrayEquals("garbage".getBytes(StandardCharsets.UTF_8), garbage.value());
                assertTrue(garbage.error().contains("is not a frame"), garbage.error());

                producer.send(new ProducerRecord<>(Topics.GALLERY.name(), "bush".getBytes(StandardCharsets.UTF_8), null))
                        .get();
                Thread.sleep(SETTLE.toMillis());
                send(producer, Topics.FRAMES, CAMERA, frame(2, img.get(3)));
                MatchEvent deleted = out.await(Topics.MATCHES, e -> e.frameSequence() == 2);
                assertNull(deleted.identityId(), () -> "the tombstone deleted bush; distance " + deleted.distance());
                assertNull(deleted.distance(), "the gallery is empty again");

                // Enrolling again starts a new entry: the tombstone also cleared the enrolment state.
                send(producer, Topics.ENROLMENTS, "bush",
                        new EnrolmentRequest("r-2", "bush", "George W. Bush", Files.readAllBytes(img.get(1))));
                assertTrue(out.await(Topics.ENROLMENT_RESULTS, r -> r.requestId().equals("r-2")).succeeded());
                GalleryEntry again = out.await(Topics.GALLERY, e -> e != null && e != first && e.identityId().equals("bush"));
                assertEquals(1, again.crops().size(), "one face, not the deleted one plus the new one");
                assertEquals(3, out.count(Topics.MATCHES), "one event per face, exactly once");
            } finally {
                job.cancel().get();
            }
        }
    }

    @Test
    void aModelPublishedMidStreamIsSwappedInWithNoEventLostOrDuplicated() throws Exception {
        List<Path> img = LfwImages.get("George_W_Bush_0001", "George_W_Bush_0003", "George_W_Bush_0005",
                "Donald_Rumsfeld_0001");
        String copyId = "mobilefacenet-192-copy";
        ModelRecord copy = ModelFolders.publishable(TestModels.publicWeightsAs(copyId, 1.1, dir.resolve("models")),
                Map.of());
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
            kafka.createTopics(Topics.newTopics(2, (short) 1));
            String bootstrap = kafka.bootstrapServers();
            Configuration conf = new Configuration();
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
            JobClient job = startJob(bootstrap, conf, RecognizeSettings.defaults(FaceModel.MOBILEFACENET).withDetectEvery(1),
                    "model swap test");
            try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap);
                 Reader out = new Reader(bootstrap, job)) {
                send(producer, Topics.ENROLMENTS, "bush",
                        new EnrolmentRequest("r-1", "bush", "George W. Bush", Files.readAllBytes(img.get(0))));
                assertTrue(out.await(Topics.ENROLMENT_RESULTS, r -> r.requestId().equals("r-1")).succeeded());
                Thread.sleep(SETTLE.toMillis());
                int frames = 12;
                for (int i = 0; i < frames / 2; i++) {
                    send(producer, Topics.FRAMES, CAMERA, frame(i, img.get(1 + i % 3)));
                }
                out.await(Topics.MATCHES, e -> e.frameSequence() == frames / 2 - 1);

                send(producer, Topics.MODELS, copyId, copy);
                GalleryEntry reembedded = out.await(Topics.GALLERY,
                        e -> e != null && e.embeddingsOf(copyId).size() == e.crops().size());
                assertEquals("bush", reembedded.identityId());
                assertEquals(1, reembedded.embeddingsOf(FaceModel.MOBILEFACENET.modelId()).size(),
                        "the public model's embeddings are kept beside the new one's");
                Thread.sleep(SETTLE.toMillis());
                for (int i = frames / 2; i < frames; i++) {
                    send(producer, Topics.FRAMES, CAMERA, frame(i, img.get(1 + i % 3)));
                }
                out.await(Topics.MATCHES, e -> e.frameSequence() == frames - 1);
                out.drain(Duration.ofSeconds(3)); // a duplicate would come with a later checkpoint

                List<MatchEvent> events = out.values(Topics.MATCHES);
                Map<String, Long> perId = events.stream()
                        .collect(Collectors.groupingBy(MatchEvent::eventId, Collectors.counting()));
                for (int i = 0; i < frames; i++) {
                    String id = MatchEvent.eventId(CAMERA, i, 0);
                    assertEquals(1L, perId.getOrDefault(id, 0L), "event " + id + " exactly once; all: " + perId);
                }
                assertEquals(frames, events.size());
                for (MatchEvent e : events) {
                    boolean after = e.frameSequence() >= frames / 2;
                    assertEquals(after ? copyId : FaceModel.MOBILEFACENET.modelId(), e.modelId(), e.toString());
                    assertEquals(after ? 1.1 : FaceModel.MOBILEFACENET.threshold(), e.threshold(), e.toString());
                    boolean rumsfeld = e.frameSequence() % 3 == 2;
                    assertEquals(rumsfeld ? null : "bush", e.identityId(), () -> "distance " + e.distance() + ": " + e);
                }
            } finally {
                job.cancel().get();
            }
        }
    }

    @Test
    void aBrokerRestartMidStreamLosesAndDuplicatesNoEvent() throws Exception {
        List<Path> img = LfwImages.get("George_W_Bush_0001", "George_W_Bush_0003", "George_W_Bush_0005",
                "Donald_Rumsfeld_0001");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
            kafka.createTopics(Topics.newTopics(2, (short) 1));
            String bootstrap = kafka.bootstrapServers();
            Configuration conf = new Configuration();
            // The transactional sink fails while the broker is away: the job restarts from its last checkpoint.
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 30);
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));
            JobClient job = startJob(bootstrap, conf, RecognizeSettings.defaults(FaceModel.MOBILEFACENET).withDetectEvery(1),
                    "broker restart test");
            try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap);
                 Reader out = new Reader(bootstrap, job)) {
                send(producer, Topics.ENROLMENTS, "bush",
                        new EnrolmentRequest("r-1", "bush", "George W. Bush", Files.readAllBytes(img.get(0))));
                assertTrue(out.await(Topics.ENROLMENT_RESULTS, r -> r.requestId().equals("r-1")).succeeded());
                Thread.sleep(SETTLE.toMillis());
                int frames = 12;
                for (int i = 0; i < frames / 2; i++) {
                    send(producer, Topics.FRAMES, CAMERA, frame(i, img.get(1 + i % 3)));
                }
                out.await(Topics.MATCHES, e -> e.frameSequence() == 1);
                // Frames 2..5 may be in flight, in an open transaction, or committed: none may be lost or doubled.
                long down = System.nanoTime();
                kafka.restart();
                System.out.printf("broker restarted in %.1f s%n", (System.nanoTime() - down) / 1e9);
                for (int i = frames / 2; i < frames; i++) {
                    send(producer, Topics.FRAMES, CAMERA, frame(i, img.get(1 + i % 3)));
                }
                out.await(Topics.MATCHES, e -> e.frameSequence() == frames - 1);
                for (int i = 0; i < frames; i++) {
                    long seq = i;
                    out.await(Topics.MATCHES, e -> e.frameSequence() == seq);
                }
                out.drain(Duration.ofSeconds(3));
                List<MatchEvent> events = out.values(Topics.MATCHES);
                Map<String, Long> perId = events.stream()
                        .collect(Collectors.groupingBy(MatchEvent::eventId, Collectors.counting()));
                for (int i = 0; i < frames; i++) {
                    String id = MatchEvent.eventId(CAMERA, i, 0);
                    assertEquals(1L, perId.getOrDefault(id, 0L), "event " + id + " exactly once; all: " + perId);
                }
                assertEquals(frames, events.size());
                for (MatchEvent e : events) {
                    assertEquals(e.frameSequence() % 3 == 2 ? null : "bush", e.identityId(), e::toString);
                }
            } finally {
                job.cancel().get();
            }
        }
    }

    @Test
    void framesWaitForTheGalleryAtStartAndGarbageOnEnrolmentsAndGalleryIsDeadLettered() throws Exception {
        List<Path> img = LfwImages.get("George_W_Bush_0001", "George_W_Bush_0003", "George_W_Bush_0005");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
            kafka.createTopics(Topics.newTopics(2, (short) 1));
            String bootstrap = kafka.bootstrapServers();
            Configuration conf = new Configuration();
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
            RecognizeSettings settings = RecognizeSettings.defaults(FaceModel.MOBILEFACENET).withDetectEvery(1);
            try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
                // A first job enrols Bush, so that the gallery topic holds him before the second job starts.
                JobClient first = startJob(bootstrap, conf, settings, "enrol first");
                try (Reader out = new Reader(bootstrap, first)) {
                    send(producer, Topics.ENROLMENTS, "bush",
                            new EnrolmentRequest("r-1", "bush", "George W. Bush", Files.readAllBytes(img.get(0))));
                    out.await(Topics.GALLERY, e -> e != null && e.identityId().equals("bush"));
                } finally {
                    first.cancel().get();
                }
                byte[] garbage = "garbage".getBytes(StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>(Topics.ENROLMENTS.name(), "ghost".getBytes(StandardCharsets.UTF_8),
                        garbage)).get();
                producer.send(new ProducerRecord<>(Topics.GALLERY.name(), "ghost".getBytes(StandardCharsets.UTF_8),
                        garbage)).get();
                for (int i = 0; i < 2; i++) {
                    send(producer, Topics.FRAMES, CAMERA, frame(i, img.get(1 + i)));
                }

                // The second job finds its frames waiting and a gallery it reads slowly (a large gallery, say):
                // without waiting for the gallery, Bush would come out unknown.
                StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
                env.setParallelism(2);
                env.enableCheckpointing(500, CheckpointingMode.EXACTLY_ONCE);
                RecognizeJob.Inputs in = RecognizeJob.kafkaInputs(env, bootstrap);
                assertEquals(1, in.galleryEnd().lastOffsets().size(), "Bush's entry is the one readable record: "
                        + in.galleryEnd());
                DataStream<GalleryRecord> slow = in.gallery().map(new SlowStart(Duration.ofSeconds(6)))
                        .returns(TypeInformation.of(GalleryRecord.class)).name("slow gallery");
                RecognizeJob.build(new RecognizeJob.Inputs(in.frames(), slow, in.enrolments(), in.models(),
                        in.rejected(), in.galleryEnd()), settings, RecognizeJob.kafkaOutputs(bootstrap,
                        DeliveryGuarantee.EXACTLY_ONCE));
                JobClient job = env.executeAsync("gallery first test");
                try (Reader out = new Reader(bootstrap, job)) {
                    for (int i = 0; i < 2; i++) {
                        long seq = i;
                        MatchEvent e = out.await(Topics.MATCHES, m -> m.frameSequence() == seq);
                        assertEquals("bush", e.identityId(), () -> "frame " + seq + " was matched before the gallery "
                                + "was read: " + e);
                    }
                    DeadLetter enrolment = out.await(Topics.ENROLMENTS_DLQ, d -> true);
                    assertEquals("ghost", enrolment.key());
                    assertArrayEquals(garbage, enrolment.value());
                    assertTrue(enrolment.error().contains("not an enrolment request"), enrolment.error());
                    DeadLetter entry = out.await(Topics.GALLERY_DLQ, d -> "ghost".equals(d.key()));
                    assertTrue(entry.error().contains("not a gallery entry of ghost"), entry.error());
                    assertEquals(0, out.count(Topics.FRAMES_DLQ));
                } finally {
                    job.cancel().get();
                }
            }
        }
    }

    /** Holds back the first record of each subtask, as a gallery too large to read at once would. */
    private static final class SlowStart implements MapFunction<GalleryRecord, GalleryRecord> {
        private static final long serialVersionUID = 1L;
        private final Duration delay;
        private transient boolean started;

        SlowStart(Duration delay) {
            this.delay = delay;
        }

        @Override
        public GalleryRecord map(GalleryRecord r) throws Exception {
            if (!started) {
                started = true;
                Thread.sleep(delay.toMillis());
            }
            return r;
        }
    }

    @Test
    void unknownTracksOfOnePersonAtThreeCamerasBecomeOneStableUnknownGroup() throws Exception {
        // Each photo at a camera of its own, so that each is a track of its own: only the grouping can join them.
        List<Path> img = LfwImages.get("George_W_Bush_0001", "Donald_Rumsfeld_0001", "George_W_Bush_0002",
                "George_W_Bush_0003", "Donald_Rumsfeld_0002", "Donald_Rumsfeld_0003");
        String[] cameras = {"door", "hall", "gate", "yard", "roof", "lift"};
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
            kafka.createTopics(Topics.newTopics(2, (short) 1));
            String bootstrap = kafka.bootstrapServers();
            Configuration conf = new Configuration();
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
            RecognizeSettings settings = RecognizeSettings.defaults(FaceModel.MOBILEFACENET)
                    .withGrouping(GroupingOptions.defaults()).withHardExamples(HardExampleOptions.defaults());
            JobClient job = startJob(bootstrap, conf, settings, "unknown grouping test");
            try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap);
                 Reader out = new Reader(bootstrap, job)) {
                List<MatchEvent> events = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    // one at a time, so that the groups are numbered in this order
                    send(producer, Topics.FRAMES, cameras[i], new Frame(cameras[i], 0, T0.plusSeconds(i), 250, 250,
                            Files.readAllBytes(img.get(i))));
                    String camera = cameras[i];
                    events.add(out.await(Topics.MATCHES, e -> e.cameraId().equals(camera)));
                }
                for (MatchEvent e : events) {
                    assertNull(e.identityId(), "the gallery is empty");
                }
                List<String> groups = events.stream().map(MatchEvent::unknownId).toList();
                assertEquals(List.of("unknown-1", "unknown-2", "unknown-1", "unknown-1", "unknown-2"), groups,
                        "Bush's three tracks are one person, Rumsfeld's two another");

                UnknownGroup bush = out.await(Topics.UNKNOWNS, g -> g.unknownId().equals("unknown-1") && g.tracks() == 3);
                assertEquals(List.of("door", "gate", "yard"), bush.cameras());
                assertEquals(3, bush.faces().size(), "one face cut per track");
                assertEquals(T0, bush.firstSeen());
                assertEquals(T0.plusSeconds(3), bush.lastSeen());
                // Each face cut is a picture a detector finds one face in again: what naming the group enrols.
                for (byte[] face : bush.faces()) {
                    java.awt.image.BufferedImage picture = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(face));
                    assertTrue(picture.getWidth() > 60 && picture.getWidth() <= 320, "cut width " + picture.getWidth());
                }
                UnknownGroup rumsfeld = out.await(Topics.UNKNOWNS, g -> g.unknownId().equals("unknown-2") && g.tracks() == 2);
                assertEquals(List.of("hall", "roof"), rumsfeld.cameras());

                // The trainer gets the faces under their group: one pseudo-identity across cameras.
                List<HardExample> examples = new ArrayList<>();
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (examples.size() < 5 && System.nanoTime() < deadline) {
                    out.drain(Duration.ofMillis(500));
                    examples = out.values(Topics.HARD_EXAMPLES);
                }
                assertEquals(List.of("unknown-1", "unknown-2", "unknown-1", "unknown-1", "unknown-2"),
                        examples.stream().map(HardExample::label).toList());
                assertEquals(List.of(LabelSource.TRACK, LabelSource.TRACK, LabelSource.CONSENSUS, LabelSource.CONSENSUS,
                        LabelSource.CONSENSUS), examples.stream().map(HardExample::labelSource).toList());
                assertEquals(5, out.count(Topics.MATCHES), "one event per face, exactly once");

                // An operator erases Rumsfeld's group: the job forgets it, and his next track is a stranger again.
                producer.send(new ProducerRecord<>(Topics.UNKNOWNS.name(), "unknown-2".getBytes(StandardCharsets.UTF_8),
                        null)).get();
                Thread.sleep(SETTLE.toMillis());
                send(producer, Topics.FRAMES, cameras[5], new Frame(cameras[5], 0, T0.plusSeconds(5), 250, 250,
                        Files.readAllBytes(img.get(5))));
                MatchEvent again = out.await(Topics.MATCHES, e -> e.cameraId().equals("lift"));
                assertEquals("unknown-3", again.unknownId(), "a deleted group's faces are gone from the job");
                out.drain(Duration.ofSeconds(2));
                assertTrue(out.values(Topics.UNKNOWNS).stream().filter(g -> g != null && g.unknownId().equals("unknown-2"))
                        .allMatch(g -> g.tracks() <= 2), "unknown-2 is not written again");
            } finally {
                job.cancel().get();
            }
        }
    }

    /** The job on a MiniCluster with {@code conf}, 2 subtasks, exactly-once with a checkpoint every 500 ms. */
    private static JobClient startJob(String bootstrap, Configuration conf, RecognizeSettings settings, String name)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(500, CheckpointingMode.EXACTLY_ONCE);
        RecognizeJob.wireKafka(env, bootstrap, DeliveryGuarantee.EXACTLY_ONCE, settings);
        return env.executeAsync(name);
    }

    private static Frame frame(long sequence, Path jpeg) throws Exception {
        return new Frame(CAMERA, sequence, T0.plusSeconds(sequence), 250, 250, Files.readAllBytes(jpeg));
    }

    private static <V> void send(KafkaProducer<byte[], byte[]> producer, Topic<String, V> topic, String key, V value)
            throws Exception {
        producer.send(new ProducerRecord<>(topic.name(), key.getBytes(StandardCharsets.UTF_8),
                topic.valueSerde().serializer().serialize(topic.name(), value))).get();
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_FRAME_BYTES);
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Reads the job's output topics (committed records only) and waits for the values a test expects. */
    private static final class Reader implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final JobClient job;
        private final Map<String, List<Object>> seen = new HashMap<>();
        /**
         * Where each record was read: after a broker restart the consumer may start again from its last committed
         * offset, and a record it reads twice is still one record on the topic.
         */
        private final Set<String> read = new HashSet<>();

        Reader(String bootstrap, JobClient job) {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ConsumerConfig.GROUP_ID_CONFIG, "recognize-kafka-test");
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            consumer.subscribe(List.of(Topics.ENROLMENT_RESULTS.name(), Topics.GALLERY.name(), Topics.MATCHES.name(),
                    Topics.FRAMES_DLQ.name(), Topics.ENROLMENTS_DLQ.name(), Topics.GALLERY_DLQ.name(),
                    Topics.UNKNOWNS.name(), Topics.HARD_EXAMPLES.name()));
            this.job = job;
        }

        /** The first value of {@code topic} that passes {@code which}, polling until it has come. */
        @SuppressWarnings("unchecked")
        <V> V await(Topic<String, V> topic, Predicate<V> which) throws Exception {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                for (Object v : seen.getOrDefault(topic.name(), List.of())) {
                    if (which.test((V) v)) {
                        return (V) v;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no matching record on " + topic.name() + " within " + WAIT.toSeconds()
                            + " s; seen " + seen);
                }
                if (job.getJobExecutionResult().isDone()) {
                    job.getJobExecutionResult().get();
                    throw new AssertionError("the job ended");
                }
                poll();
            }
        }

        private void poll() {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (!read.add(r.topic() + "-" + r.partition() + "@" + r.offset())) {
                    continue;
                }
                Topic<?, ?> t = Topics.byName(r.topic());
                Object value;
                try {
                    value = r.value() == null ? null : t.valueSerde().deserializer().deserialize(r.topic(), r.value());
                } catch (RuntimeException e) {
                    continue; // garbage a test wrote on purpose
                }
                seen.computeIfAbsent(r.topic(), k -> new ArrayList<>()).add(value);
            }
        }

        /** Reads on for {@code time}, so that late records (duplicates) are seen too. */
        void drain(Duration time) {
            long end = System.nanoTime() + time.toNanos();
            while (System.nanoTime() < end) {
                poll();
            }
        }

        /** Every value of {@code topic} read so far (null for a tombstone). */
        @SuppressWarnings("unchecked")
        <V> List<V> values(Topic<String, V> topic) {
            return (List<V>) new ArrayList<>(seen.getOrDefault(topic.name(), List.of()));
        }

        int count(Topic<?, ?> topic) {
            return seen.getOrDefault(topic.name(), List.of()).size();
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
