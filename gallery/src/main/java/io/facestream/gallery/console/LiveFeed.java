package io.facestream.gallery.console;

import io.facestream.core.event.Frame;
import io.facestream.core.event.MatchEvent;
import io.facestream.core.event.CurvePoint;
import io.facestream.core.event.ModelRecord;
import io.facestream.core.topic.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's view of the stream, from a plain consumer of its own (no group, nothing committed): the latest
 * frames of each camera from {@code frames}, the faces of {@code matches} ({@code read_committed}) joined to the
 * frame they were found in, and the records of {@code models}. Each frame whose faces arrive becomes a
 * {@link Scene} pushed to every subscriber; a camera without faces for a while gets its newest frame alone, so
 * an empty room is shown too. It reads from the end of {@code frames} and {@code matches}: the console shows
 * what happens now, not history.
 */
public final class LiveFeed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveFeed.class);
    /** Frames kept per camera to meet their faces: the exactly-once path takes 1-2 s, 200 frames is 8 s at 24 fps. */
    static final int FRAMES_KEPT = 200;
    /** A camera whose faces have not moved for this long is shown by its newest frame alone. */
    static final Duration QUIET = Duration.ofSeconds(2);
    /** Frames/s is counted over this window. */
    static final Duration RATE_WINDOW = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration REASSIGN_EVERY = Duration.ofSeconds(5);
    private static final Base64.Encoder BASE64 = Base64.getEncoder();

    /** Told of every frame and face the feed reads (the service's metrics). */
    public interface Observer {
        void frame(String cameraId);

        void face(MatchEvent m, Duration sinceCapture);
    }

    /** A published model without its weights; {@code curve} is its training curve, empty when it has none. */
    public record ModelView(String modelId, String parentId, Map<String, Double> metrics, Integer weightBytes,
            String weightsUri, Instant publishedAt, List<CurvePoint> curve) {
    }

    /** One camera's figures. */
    public record CameraView(String cameraId, double framesPerSecond, long frames, long lastSequence,
            Instant lastCapture) {
    }

    private static final class Camera {
        final LinkedHashMap<Long, Frame> frames = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Frame> eldest) {
                return size() > FRAMES_KEPT;
            }
        };
        final ArrayDeque<Long> arrivals = new ArrayDeque<>();
        long count;
        Frame newest;
        Scene lastScene;
        long lastSceneNanos;
        long shownSequence = -1;
    }

    private final String bootstrap;
    private final Observer observer;
    private final Map<String, Camera> cameras = new ConcurrentHashMap<>();
    private final Map<String, ModelView> models = new ConcurrentHashMap<>();
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final Percentiles latencyMs = new Percentiles(2000);
    private volatile String liveModelId;
    private volatile boolean running = true;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;

    private LiveFeed(String bootstrap, Observer observer) {
        this.bootstrap = bootstrap;
        this.observer = observer;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                ConsumerConfig.CLIENT_ID_CONFIG, "facestream-console-" + ProcessHandle.current().pid()),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "facestream-console-feed");
        thread.setDaemon(true);
    }

    /** Starts reading; the topics that do not exist yet are picked up when they appear. */
    public static LiveFeed start(String bootstrap, Observer observer) {
        LiveFeed f = new LiveFeed(bootstrap, observer);
        f.thread.start();
        return f;
    }

    /** A new subscriber, first given the latest scene of every camera. */
    public Subscriber subscribe() {
        Subscriber s = new Subscriber(this);
        for (Camera c : cameras.values()) {
            Scene last;
            synchronized (c) {
                last = c.lastScene;
            }
            if (last != null) {
                s.offer(last);
            }
        }
        subscribers.add(s);
        return s;
    }

    void unsubscribe(Subscriber s) {
        subscribers.remove(s);
    }

    public int subscribers() {
        return subscribers.size();
    }

    /** The published models, oldest first. */
    public List<ModelView> models() {
        return models.values().stream().sorted((a, b) -> a.publishedAt().compareTo(b.publishedAt())).toList();
    }

    /** The model id of the newest face seen on {@code matches}: the model the job recognises with now. */
    public String liveModelId() {
        return liveModelId;
    }

    /** Every camera seen since the service started, by id. */
    public List<CameraView> cameras() {
        long now = System.nanoTime();
        List<CameraView> out = new ArrayList<>();
        new TreeMap<>(cameras).forEach((id, c) -> {
            synchronized (c) {
                prune(c, now);
                out.add(new CameraView(id, c.arrivals.size() / (double) RATE_WINDOW.toSeconds(), c.count,
                        c.newest == null ? -1 : c.newest.sequence(), c.newest == null ? null : c.newest.captureTime()));
            }
        });
        return out;
    }

    /** Capture → seen by the console, in ms, over the latest 2000 faces: p50, p95, p99 (NaN before any). */
    public double[] latencyPercentiles() {
        return latencyMs.of(50, 95, 99);
    }

    public int latencySamples() {
        return latencyMs.count();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        subscribers.forEach(Subscriber::close);
    }

    private void run() {
        Set<TopicPartition> assigned = new HashSet<>();
        long nextAssign = 0;
        try {
            while (running) {
                if (System.nanoTime() >= nextAssign) {
                    assign(assigned);
                    nextAssign = System.nanoTime() + REASSIGN_EVERY.toNanos();
                }
                if (assigned.isEmpty()) {
                    Thread.sleep(POLL.toMillis());
                    continue;
                }
                Map<String, Map<Long, List<MatchEvent>>> faces = new LinkedHashMap<>();
                for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
                    take(r, faces);
                }
                faces.forEach((camera, byFrame) -> byFrame.forEach((seq, list) -> scene(camera, seq, list)));
                showQuietCameras();
            }
        } catch (WakeupException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("The console's feed from {} stopped; the live view stays still", bootstrap, e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void assign(Set<TopicPartition> assigned) {
        Set<TopicPartition> fresh = new HashSet<>();
        Map<String, List<PartitionInfo>> topics;
        try {
            topics = consumer.listTopics(Duration.ofSeconds(5));
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            LOG.debug("The cluster at {} did not list its topics; asking again in {} s", bootstrap,
                    REASSIGN_EVERY.toSeconds());
            return;
        }
        for (String topic : List.of(Topics.FRAMES.name(), Topics.MATCHES.name(), Topics.MODELS.name())) {
            for (PartitionInfo p : topics.getOrDefault(topic, List.of())) {
                TopicPartition tp = new TopicPartition(topic, p.partition());
                if (!assigned.contains(tp)) {
                    fresh.add(tp);
                }
            }
        }
        if (fresh.isEmpty()) {
            return;
        }
        assigned.addAll(fresh);
        consumer.assign(assigned);
        List<TopicPartition> history = fresh.stream().filter(tp -> tp.topic().equals(Topics.MODELS.name())).toList();
        List<TopicPartition> now = fresh.stream().filter(tp -> !tp.topic().equals(Topics.MODELS.name())).toList();
        consumer.seekToBeginning(history);
        consumer.seekToEnd(now);
    }

    private void take(ConsumerRecord<String, byte[]> r, Map<String, Map<Long, List<MatchEvent>>> faces) {
        try {
            if (r.topic().equals(Topics.FRAMES.name())) {
                if (r.value() != null) {
                    frame(Topics.FRAMES.valueSerde().deserializer().deserialize(r.topic(), r.value()));
                }
            } else if (r.topic().equals(Topics.MATCHES.name())) {
                if (r.value() != null) {
                    MatchEvent m = Topics.MATCHES.valueSerde().deserializer().deserialize(r.topic(), r.value());
                    Duration since = Duration.between(m.captureTime(), Instant.now());
                    latencyMs.add(since.toNanos() / 1e6);
                    observer.face(m, since);
                    liveModelId = m.modelId();
                    faces.computeIfAbsent(m.cameraId(), k -> new TreeMap<>())
                            .computeIfAbsent(m.frameSequence(), k -> new ArrayList<>()).add(m);
                }
            } else if (r.key() != null) {
                if (r.value() == null) {
                    models.remove(r.key());
                } else {
                    ModelRecord m = Topics.MODELS.valueSerde().deserializer().deserialize(r.topic(), r.value());
                    byte[] w = m.weights();
                    models.put(m.modelId(), new ModelView(m.modelId(), m.parentId(), m.metrics(),
                            w == null ? null : w.length, m.weightsUri() == null ? null : m.weightsUri().toString(),
                            Instant.ofEpochMilli(r.timestamp()), m.curve()));
                }
            }
        } catch (RuntimeException e) {
            // The recognize job sends bad frames to frames.dlq; the console only skips what it cannot show.
            LOG.debug("Skipped record {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
        }
    }

    private void frame(Frame f) {
        observer.frame(f.cameraId());
        Camera c = cameras.computeIfAbsent(f.cameraId(), k -> new Camera());
        synchronized (c) {
            c.frames.put(f.sequence(), f);
            c.newest = f;
            c.count++;
            c.arrivals.addLast(System.nanoTime());
            prune(c, System.nanoTime());
        }
    }

    /** The faces of one frame; faces of the frame already shown (a batch split over two polls) are added to it. */
    private void scene(String cameraId, long sequence, List<MatchEvent> faces) {
        Camera c = cameras.computeIfAbsent(cameraId, k -> new Camera());
        Scene s;
        synchronized (c) {
            List<MatchEvent> all = new ArrayList<>();
            if (c.lastScene != null && c.lastScene.frameSequence() == sequence) {
                all.addAll(c.lastScene.faces());
            }
            Set<String> ids = new HashSet<>();
            all.forEach(m -> ids.add(m.eventId()));
            faces.stream().filter(m -> ids.add(m.eventId())).forEach(all::add);
            Frame f = c.frames.get(sequence);
            MatchEvent first = all.get(0);
            s = f != null ? scene(f, all)
                    : new Scene(cameraId, sequence, first.captureTime(), 0, 0, null, all);
            c.lastScene = s;
            c.lastSceneNanos = System.nanoTime();
            c.shownSequence = Math.max(c.shownSequence, sequence);
        }
        publish(s);
    }

    private void showQuietCameras() {
        long now = System.nanoTime();
        for (Map.Entry<String, Camera> e : cameras.entrySet()) {
            Camera c = e.getValue();
            Scene s = null;
            synchronized (c) {
                if (c.newest != null && c.newest.sequence() > c.shownSequence
                        && now - c.lastSceneNanos > QUIET.toNanos()) {
                    s = scene(c.newest, List.of());
                    c.lastScene = s;
                    c.lastSceneNanos = now;
                    c.shownSequence = c.newest.sequence();
                }
            }
            if (s != null) {
                publish(s);
            }
        }
    }

    private static Scene scene(Frame f, List<MatchEvent> faces) {
        return new Scene(f.cameraId(), f.sequence(), f.captureTime(), f.width(), f.height(),
                BASE64.encodeToString(f.jpeg()), faces);
    }

    private void publish(Scene s) {
        for (Subscriber sub : subscribers) {
            sub.offer(s);
        }
    }

    private static void prune(Camera c, long now) {
        while (!c.arrivals.isEmpty() && now - c.arrivals.peekFirst() > RATE_WINDOW.toNanos()) {
            c.arrivals.removeFirst();
        }
    }

    /** The ids of the cameras seen. */
    public Collection<String> cameraIds() {
        return List.copyOf(cameras.keySet());
    }
}
