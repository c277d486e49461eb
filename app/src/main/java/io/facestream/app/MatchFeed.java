package io.facestream.app;

import io.facestream.core.event.MatchEvent;
import io.facestream.core.topic.Topics;
import io.facestream.recognize.job.RecognizeJob;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads {@code matches} as a downstream application would (read_committed: only what the job committed), prints
 * each event as a line, optionally appends its JSON to a file, gathers the run's {@link StreamStats}, and tells when
 * the job has caught up.
 */
final class MatchFeed implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Admin admin;
    private final PrintStream out;
    private final boolean json;
    private String camera;
    private long countFrom;
    private final BufferedWriter jsonl;
    private final StreamStats stats = new StreamStats();
    private long lastEventNanos;

    private final String bootstrapServers;

    MatchFeed(String bootstrap, int partitions, PrintStream out, Path jsonlFile) throws IOException {
        this(bootstrap, partitions, out, jsonlFile, false);
    }

    /** As above; with {@code json} each event is printed as its JSON line instead of a line for people. */
    MatchFeed(String bootstrap, int partitions, PrintStream out, Path jsonlFile, boolean json) throws IOException {
        this.json = json;
        this.out = out;
        this.jsonl = jsonlFile == null ? null : Files.newBufferedWriter(jsonlFile, StandardCharsets.UTF_8);
        this.bootstrapServers = bootstrap;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                // Exactly-once output becomes visible here only when the job's checkpoint commits it.
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        // Assigned, not subscribed: a fresh broker, one reader, and no group rebalance to wait for.
        List<TopicPartition> tps = partitions(Topics.MATCHES.name(), partitions);
        consumer.assign(tps);
        consumer.seekToBeginning(tps);
    }

    /** Counts in the statistics only the events of frames from {@code sequence} on (earlier ones are still read). */
    MatchFeed countFrom(long sequence) {
        this.countFrom = sequence;
        return this;
    }

    /** From now on, reads only the events of {@code cameraId} (null: all). */
    MatchFeed onlyCamera(String cameraId) {
        this.camera = cameraId;
        return this;
    }

    /** Prints what arrived within {@code wait}. */
    void poll(Duration wait) throws IOException {
        var records = consumer.poll(wait);
        // Everything one poll returns arrived together.
        Instant receivedAt = Instant.now();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            MatchEvent e = Topics.MATCHES.valueSerde().deserializer().deserialize(r.topic(), r.value());
            if (camera != null && !camera.equals(e.cameraId())) {
                continue;
            }
            if (e.frameSequence() >= countFrom) {
                stats.record(e, receivedAt);
            }
            lastEventNanos = System.nanoTime();
            out.println(json ? new String(r.value(), StandardCharsets.UTF_8) : line(e));
            if (jsonl != null) {
                jsonl.write(new String(r.value(), StandardCharsets.UTF_8));
                jsonl.newLine();
            }
        }
    }

    /** One human line per face: camera, frame, face index, and the identity with its distance, or unknown. */
    static String line(MatchEvent e) {
        String[] id = e.eventId().split(":");
        String face = id[id.length - 1];
        String who = e.known() ? String.format(Locale.ROOT, "%s (%.3f)", e.identityId(), e.distance())
                : e.unknownId() != null ? "unknown, " + e.unknownId() : "unknown";
        return "cam " + e.cameraId() + "  frame " + e.frameSequence() + "  face " + face + "  track " + e.trackId()
                + " → " + who;
    }

    /**
     * True when the job's source has committed every frame in {@code frames} (it commits at each completed
     * checkpoint), no transaction is open on the outputs, and this reader has read all of {@code matches}: then
     * every frame sent has produced its events.
     */
    boolean caughtUp(int partitions) throws IOException {
        try {
            List<TopicPartition> frameParts = partitions(Topics.FRAMES.name(), partitions);
            Map<TopicPartition, Long> frameEnds = ends(frameParts, IsolationLevel.READ_UNCOMMITTED);
            Map<TopicPartition, OffsetAndMetadata> done = admin.listConsumerGroupOffsets(RecognizeJob.GROUP_ID)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            for (TopicPartition tp : frameParts) {
                OffsetAndMetadata c = done.get(tp);
                if (frameEnds.get(tp) > 0 && (c == null || c.offset() < frameEnds.get(tp))) {
                    return false;
                }
            }
            for (String topic : List.of(Topics.MATCHES.name(), Topics.FRAMES_DLQ.name())) {
                List<TopicPartition> tps = partitions(topic, partitions);
                if (!ends(tps, IsolationLevel.READ_COMMITTED).equals(ends(tps, IsolationLevel.READ_UNCOMMITTED))) {
                    return false; // a transaction is still open
                }
            }
            Map<TopicPartition, Long> matchEnds = ends(partitions(Topics.MATCHES.name(), partitions),
                    IsolationLevel.READ_COMMITTED);
            for (Map.Entry<TopicPartition, Long> end : matchEnds.entrySet()) {
                if (consumer.position(end.getKey()) < end.getValue()) {
                    return false;
                }
            }
            return true;
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("could not read the stream's progress from the broker: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Records in {@code frames.dlq} (committed ones). */
    long deadLetters(int partitions) throws IOException {
        return committed(Topics.FRAMES_DLQ.name(), partitions);
    }

    /**
     * Committed records in {@code topic}, read up to its read_committed end (offsets alone would count the
     * transaction markers of exactly-once writes too).
     */
    long committed(String topic, int partitions) throws IOException {
        List<TopicPartition> tps = partitions(topic, partitions);
        try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            Map<TopicPartition, Long> end = ends(tps, IsolationLevel.READ_COMMITTED);
            reader.assign(tps);
            reader.seekToBeginning(tps);
            long count = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (tps.stream().anyMatch(tp -> reader.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                count += reader.poll(Duration.ofMillis(200)).count();
            }
            return count;
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("could not count the records of " + topic + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Events read so far. */
    long events() {
        return stats.events();
    }

    /** Events read so far that named an identity. */
    long known() {
        return stats.known();
    }

    /** Frames that had at least one face. */
    long framesWithFaces() {
        return stats.framesWithFaces();
    }

    /** Latencies, events per identity and the rest, of what was read so far. */
    StreamStats stats() {
        return stats;
    }

    /** When the last event arrived ({@link System#nanoTime()}), 0 before the first. */
    long lastEventNanos() {
        return lastEventNanos;
    }

    private Map<TopicPartition, Long> ends(List<TopicPartition> tps, IsolationLevel isolation)
            throws ExecutionException, InterruptedException, TimeoutException {
        Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
        tps.forEach(tp -> specs.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(specs, new ListOffsetsOptions(isolation)).all().get(10, TimeUnit.SECONDS)
                .forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }

    private static List<TopicPartition> partitions(String topic, int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(p -> new TopicPartition(topic, p)).toList();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
        admin.close(Duration.ofSeconds(2));
        if (jsonl != null) {
            try {
                jsonl.close();
            } catch (IOException e) {
                throw new UncheckedIOException("could not finish writing the matches file: " + e.getMessage(), e);
            }
        }
    }
}
