package io.facestream.app.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.facestream.app.SampleMedia;
import io.facestream.core.event.Frame;
import io.facestream.core.topic.Topics;
import io.facestream.ingest.DecodedFrame;
import io.facestream.ingest.GrabberFrameSource;
import io.facestream.ingest.JpegEncoder;
import io.facestream.ingest.SourceSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The fault run: a whole cluster ({@code cluster up}: 3 Kafka nodes, a JobManager and 2 TaskManagers, the job, the
 * gallery service) with two cameras streaming, one a looped video file and one an HTTP MJPEG camera, while the
 * faults of a bad night happen one after the other: a TaskManager killed, a Kafka node killed and later restarted, the
 * gallery service killed and restarted with its local state gone, the file camera's ingestor killed and restarted, and
 * the network camera cut off. Each fault waits for the stream to recover before the next; then the cameras stop, the
 * job drains, and {@link FaultReport} counts what a {@code read_committed} reader received against what was sent.
 */
public final class FaultRun {

    /** Camera playing the sample video from a file; its ingestor is the one killed. */
    static final String FILE_CAMERA = "cam-1";
    /** Camera streaming the sample video over HTTP MJPEG; its connection is the one cut. */
    static final String NETWORK_CAMERA = "cam-2";
    static final String TASK_MANAGER = FlinkSession.taskManagerName(1);
    static final String BROKER = KafkaNodes.processName(2);

    private static final Duration FIRST_EVENTS = Duration.ofSeconds(180);
    private static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(120);
    /** How long the reader keeps reading after the last expected event, so that a late duplicate is seen too. */
    private static final Duration SETTLE = Duration.ofSeconds(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What to run.
     *
     * @param dir the cluster folder (emptied first)
     * @param basePort see {@link ClusterPorts}
     * @param fps frames a second of each camera
     * @param gallery the people to enrol; null for the sample gallery
     * @param steady how long the stream runs untouched before the first fault and between faults
     * @param brokerDown how long the killed Kafka node stays down
     * @param outage how long the network camera refuses connections once cut
     */
    public record Options(Path dir, int basePort, double fps, Path gallery, Duration steady, Duration brokerDown,
            Duration outage) {
    }

    /** One fault as it happened: its name, when it began, and how long until what it broke worked again. */
    record Fault(String name, String recovered, Instant at, Duration recovery) {
    }

    private final Options options;
    private final PrintStream log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private FaultRun(Options options, PrintStream log) {
        this.options = options;
        this.log = log;
    }

    /** Runs it all and stops every process it started, whatever happens; the report says what was lost. */
    public static FaultReport run(Options options, PrintStream log) throws Exception {
        return new FaultRun(options, log).run();
    }

    private FaultReport run() throws Exception {
        List<byte[]> clip = sampleFrames();
        ClusterSpec spec = new ClusterSpec(options.dir(), 3, 2, 2, 1, options.basePort(), null, true, options.fps(),
                options.gallery(), Duration.ofMillis(500), null, null);
        Cluster cluster = null;
        long started = System.nanoTime();
        try (MjpegCamera network = MjpegCamera.start(clip, options.fps())) {
            cluster = Cluster.up(spec, log);
            double upSeconds = (System.nanoTime() - started) / 1e9;
            cluster.addCamera(NETWORK_CAMERA, network.url(), false, 0);
            List<Fault> faults = new ArrayList<>();
            try (MatchWatch watch = new MatchWatch(cluster.bootstrap())) {
                Instant t0 = Instant.now();
                for (String camera : List.of(FILE_CAMERA, NETWORK_CAMERA)) {
                    if (watch.await(s -> s.event().cameraId().equals(camera) && s.receivedAt().isAfter(t0),
                            FIRST_EVENTS).isEmpty()) {
                        throw new IllegalStateException("no events of " + camera + " arrived within "
                                + FIRST_EVENTS.toSeconds() + " s of the cluster being up; see the logs in "
                                + cluster.dir().resolve("logs"));
                    }
                }
                Instant streaming = Instant.now();
                // Once both cameras' frames have gone through every part, each process holds what it needs.
                Map<String, Long> rss = cluster.residentBytes();
                log.printf(Locale.ROOT, "faults: both cameras stream (%.1f s after up)%n",
                        Duration.between(t0, streaming).toMillis() / 1e3);
                Thread.sleep(options.steady().toMillis());

                faults.add(killTaskManager(cluster, watch));
                Thread.sleep(options.steady().toMillis());
                faults.addAll(killBroker(cluster, watch));
                Thread.sleep(options.steady().toMillis());
                faults.add(killGallery(cluster));
                Thread.sleep(options.steady().toMillis());
                faults.add(killIngestor(cluster, watch));
                Thread.sleep(options.steady().toMillis());
                faults.add(cutCamera(network, watch));
                Thread.sleep(options.steady().toMillis());

                // The cameras stop (SIGTERM: each flushes what it read), then the job gets what they sent.
                for (String camera : List.of(FILE_CAMERA, NETWORK_CAMERA)) {
                    cluster.stop("ingest-" + camera);
                }
                List<FaultReport.SentFrame> sent = readFrames(cluster.bootstrap());
                awaitDrain(watch, sent);
                Thread.sleep(SETTLE.toMillis());
                List<String> listed = galleryIdentities(cluster);
                return FaultReport.of(upSeconds, rss, faults, sent, watch.seen(), cluster.enrolled(), listed);
            }
        } finally {
            Cluster toStop = cluster != null ? cluster
                    : java.nio.file.Files.exists(options.dir().resolve("cluster.properties"))
                            ? Cluster.open(options.dir()) : null;
            if (toStop != null) {
                toStop.down(log);
            }
        }
    }

    private Fault killTaskManager(Cluster cluster, MatchWatch watch) throws Exception {
        Instant at = Instant.now();
        kill(cluster, TASK_MANAGER);
        Duration recovery = recovered(watch, at, null);
        log.printf(Locale.ROOT, "faults: %s SIGKILL; events again after %s%n", TASK_MANAGER, seconds(recovery));
        return new Fault(TASK_MANAGER + " SIGKILL", "events of frames captured after the kill", at, recovery);
    }

    private List<Fault> killBroker(Cluster cluster, MatchWatch watch) throws Exception {
        Instant at = Instant.now();
        kill(cluster, BROKER);
        Duration recovery = recovered(watch, at, null);
        log.printf(Locale.ROOT, "faults: %s SIGKILL; events again after %s%n", BROKER, seconds(recovery));
        Fault kill = new Fault(BROKER + " SIGKILL", "events of frames captured after the kill", at, recovery);
        Thread.sleep(Math.max(0, options.brokerDown().toMillis() - Duration.between(at, Instant.now()).toMillis()));
        Instant back = Instant.now();
        cluster.restart(BROKER);
        Duration insync = awaitInSync(cluster.bootstrap(), 2, back);
        log.printf(Locale.ROOT, "faults: %s restarted after %d s down; in sync on every partition after %s%n", BROKER,
                Duration.between(at, back).toSeconds(), seconds(insync));
        return List.of(kill, new Fault(BROKER + " restart (down " + Duration.between(at, back).toSeconds() + " s)",
                "the node in sync on every partition", back, insync));
    }

    private Fault killGallery(Cluster cluster) throws Exception {
        Instant at = Instant.now();
        kill(cluster, Cluster.GALLERY);
        // Its local stores go with it: everything it knows must come back from Kafka.
        io.facestream.recognize.weights.FileTrees.deleteTree(cluster.layout().galleryState());
        cluster.restart(Cluster.GALLERY);
        Duration recovery = null;
        long deadline = System.nanoTime() + RECOVERY_TIMEOUT.toNanos();
        TreeSet<String> want = new TreeSet<>(cluster.enrolled());
        while (System.nanoTime() < deadline) {
            if (new TreeSet<>(galleryIdentitiesOrEmpty(cluster)).containsAll(want)) {
                recovery = Duration.between(at, Instant.now());
                break;
            }
            Thread.sleep(250);
        }
        log.printf(Locale.ROOT, "faults: %s SIGKILL, restarted without its local state; all %d people listed again"
                + " after %s%n", Cluster.GALLERY, want.size(), seconds(recovery));
        return new Fault(Cluster.GALLERY + " SIGKILL + restart, local state deleted",
                "every enrolled person listed by its API", at, recovery);
    }

    private Fault killIngestor(Cluster cluster, MatchWatch watch) throws Exception {
        Instant at = Instant.now();
        String name = "ingest-" + FILE_CAMERA;
        kill(cluster, name);
        cluster.restart(name);
        Duration recovery = recovered(watch, at, FILE_CAMERA);
        log.printf(Locale.ROOT, "faults: %s SIGKILL + restart; its events again after %s%n", name, seconds(recovery));
        return new Fault(name + " SIGKILL + restart", "events of " + FILE_CAMERA + " captured after the kill", at,
                recovery);
    }

    private Fault cutCamera(MjpegCamera camera, MatchWatch watch) throws Exception {
        Instant at = Instant.now();
        camera.cut(options.outage());
        // Frames captured once the camera answers again; any earlier ones were read before the cut.
        Instant back = Instant.now();
        Duration recovery = recovered(watch, back, NETWORK_CAMERA);
        recovery = recovery == null ? null : recovery.plus(Duration.between(at, back));
        log.printf(Locale.ROOT, "faults: %s cut off for %d s; its events again after %s%n", NETWORK_CAMERA,
                options.outage().toSeconds(), seconds(recovery));
        return new Fault(NETWORK_CAMERA + " source cut (" + options.outage().toSeconds() + " s unreachable)",
                "events of " + NETWORK_CAMERA + " captured after it came back", at, recovery);
    }

    private static void kill(Cluster cluster, String name) {
        if (!cluster.process(name).kill()) {
            throw new IllegalStateException(name + " was not running when its fault was due; see "
                    + cluster.dir().resolve("logs").resolve(name + ".log"));
        }
    }

    /** From {@code at} to the first event of a frame captured after it (of {@code camera}, or any); null: none. */
    private static Duration recovered(MatchWatch watch, Instant at, String camera) throws InterruptedException {
        return watch.await(s -> s.event().captureTime().isAfter(at)
                && (camera == null || s.event().cameraId().equals(camera)), RECOVERY_TIMEOUT)
                .map(s -> Duration.between(at, s.receivedAt())).orElse(null);
    }

    /** Waits until node {@code node} is in the in-sync replicas of every partition; the time from {@code since}. */
    private static Duration awaitInSync(String bootstrap, int node, Instant since) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            long deadline = System.nanoTime() + RECOVERY_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    Map<String, TopicDescription> topics = admin.describeTopics(Topics.ALL.stream().map(t -> t.name())
                            .toList()).allTopicNames().get(10, TimeUnit.SECONDS);
                    boolean all = true;
                    for (TopicDescription d : topics.values()) {
                        for (TopicPartitionInfo p : d.partitions()) {
                            all &= p.isr().stream().anyMatch(n -> n.id() == node);
                        }
                    }
                    if (all) {
                        return Duration.between(since, Instant.now());
                    }
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    // the cluster is busy electing; ask again
                }
                Thread.sleep(250);
            }
            return null;
        }
    }

    /** Every frame in {@code frames}: camera, sequence and when it was sent (the record's timestamp). */
    static List<FaultReport.SentFrame> readFrames(String bootstrap) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<FaultReport.SentFrame> frames = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            consumer.partitionsFor(Topics.FRAMES.name()).forEach(p -> parts.add(new TopicPartition(p.topic(),
                    p.partition())));
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (parts.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + Topics.FRAMES.name() + " to its end in 120 s");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    Frame f = Topics.FRAMES.valueSerde().deserializer().deserialize(r.topic(), r.value());
                    frames.add(new FaultReport.SentFrame(f.cameraId(), f.sequence(),
                            Instant.ofEpochMilli(r.timestamp())));
                }
            }
        }
        return frames;
    }

    /** Waits until an event of every frame sent has arrived, or the drain timeout. */
    private void awaitDrain(MatchWatch watch, List<FaultReport.SentFrame> sent) throws InterruptedException {
        TreeSet<String> missing = new TreeSet<>();
        sent.forEach(f -> missing.add(f.eventId()));
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        Instant t0 = Instant.now();
        while (!missing.isEmpty() && System.nanoTime() < deadline) {
            watch.seen().forEach(s -> missing.remove(s.event().eventId()));
            Thread.sleep(250);
        }
        log.printf(Locale.ROOT, "faults: %d frames sent; the job drained in %.1f s%s%n", sent.size(),
                Duration.between(t0, Instant.now()).toMillis() / 1e3, missing.isEmpty() ? ""
                        : " (gave up with " + missing.size() + " events missing)");
    }

    private List<String> galleryIdentitiesOrEmpty(Cluster cluster) {
        try {
            return galleryIdentities(cluster);
        } catch (IOException | RuntimeException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /** Every identity id the gallery service lists, page by page. */
    private List<String> galleryIdentities(Cluster cluster) throws IOException, InterruptedException {
        String url = cluster.galleryUrl();
        String token = cluster.galleryAdminToken();
        List<String> ids = new ArrayList<>();
        String after = null;
        do {
            String q = url + "/identities?limit=500" + (after == null ? ""
                    : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8));
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(q)).timeout(Duration.ofSeconds(5))
                    .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IOException("GET " + q + " answered " + r.statusCode() + ": " + r.body());
            }
            JsonNode page = JSON.readTree(r.body());
            page.path("identities").forEach(i -> ids.add(i.path("identity_id").asText()));
            after = page.path("next_after").isTextual() ? page.path("next_after").asText() : null;
        } while (after != null);
        return ids;
    }

    /** The sample video's frames as JPEGs, what the network camera serves. */
    private static List<byte[]> sampleFrames() {
        List<byte[]> jpegs = new ArrayList<>();
        try (GrabberFrameSource source = GrabberFrameSource.open(SourceSpec.parse(SampleMedia.defaults().video()
                .toString()), false, false, Duration.ofSeconds(10));
                JpegEncoder jpeg = new JpegEncoder(JpegEncoder.DEFAULT_QUALITY)) {
            for (Optional<DecodedFrame> f = source.next(); f.isPresent(); f = source.next()) {
                jpegs.add(jpeg.encode(f.get().image()));
            }
        }
        return jpegs;
    }

    private static String seconds(Duration d) {
        return d == null ? "(no recovery within " + RECOVERY_TIMEOUT.toSeconds() + " s)"
                : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1e3);
    }
}
