package io.facestream.app.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.app.SampleMedia;
import io.facestream.core.event.MatchEvent;
import io.facestream.core.topic.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A real cluster, each part its own process: 3 Kafka nodes, a Flink JobManager and 2 TaskManagers, the recognize job
 * submitted from the job jar with the Flink CLI, the gallery service and one ingestor playing the sample video once.
 * Every frame's face must arrive on {@code matches} exactly once, named, for a read_committed reader; and nothing
 * may be left running afterwards, whatever happened.
 */
@Tag("cluster")
class ClusterTest {

    /** The sample video: 20 frames, one face each, all of the enrolled dancer (see {@link SampleMedia}). */
    private static final int FRAMES = 20;

    private static final Duration EVENTS_TIMEOUT = Duration.ofSeconds(120);

    @Test
    void theJobJarOnARealClusterNamesEveryFaceOnceForAReadCommittedReader() throws Exception {
        Path dir = Path.of("target", "cluster-test").toAbsolutePath();
        Path gallery = dancerOnly(dir.resolveSibling("cluster-test-gallery"));
        ClusterSpec spec = new ClusterSpec(dir, 3, 2, 2, 1, freeBase(), null, false, 0, gallery,
                Duration.ofMillis(500), null, null);
        PrintStream log = System.out;
        long start = System.nanoTime();
        Cluster cluster = null;
        try {
            cluster = Cluster.up(spec, log);
            Map<String, List<MatchEvent>> byId = readMatches(cluster.bootstrap(), FRAMES);
            Set<String> expected = IntStream.range(0, FRAMES).mapToObj(i -> MatchEvent.eventId("cam-1", i, 0))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(expected, new TreeSet<>(byId.keySet()), "one event per frame of the clip");
            byId.forEach((id, events) -> {
                assertEquals(1, events.size(), id + " arrived " + events.size() + " times under exactly-once");
                assertEquals(SampleMedia.DANCER, events.get(0).identityId(), id + " names the enrolled dancer");
            });
            assertEquals(0, ClusterStatus.print(cluster, Duration.ofMinutes(5), log), "every process is alive");
        } finally {
            Cluster toStop = cluster != null ? cluster : Files.exists(dir.resolve("cluster.properties"))
                    ? Cluster.open(dir) : null;
            if (toStop != null) {
                toStop.down(log);
            }
            List<String> strays = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                    .filter(h -> h.info().commandLine().orElse("").contains("-Dfacestream.cluster=" + dir))
                    .map(h -> h.pid() + " " + h.info().commandLine().orElse("")).toList();
            ProcessHandle.current().descendants().filter(h -> strays.stream().anyMatch(s -> s.startsWith(h.pid() + " ")))
                    .forEach(ProcessHandle::destroyForcibly);
            assertTrue(strays.isEmpty(), "processes left running: " + strays);
            log.printf("cluster test: %.1f s from up to down%n", (System.nanoTime() - start) / 1e9);
        }
    }

    /** Reads {@code matches} (read_committed) until {@code distinct} event ids have arrived, or the timeout. */
    static Map<String, List<MatchEvent>> readMatches(String bootstrap, int distinct) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, List<MatchEvent>> byId = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            consumer.partitionsFor(Topics.MATCHES.name()).forEach(p -> parts.add(new TopicPartition(p.topic(),
                    p.partition())));
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            long deadline = System.nanoTime() + EVENTS_TIMEOUT.toNanos();
            // A few more seconds after the last expected id, so that a duplicate would be seen too.
            long settle = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settle)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    MatchEvent e = Topics.MATCHES.valueSerde().deserializer().deserialize(r.topic(), r.value());
                    byId.computeIfAbsent(e.eventId(), k -> new ArrayList<>()).add(e);
                }
                if (byId.size() >= distinct && settle == Long.MAX_VALUE) {
                    settle = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                }
            }
        }
        return byId;
    }

    /** A gallery of the dancer alone: one enrolment instead of eleven keeps the test short. */
    private static Path dancerOnly(Path dir) throws IOException {
        Path person = dir.resolve(SampleMedia.DANCER);
        Files.createDirectories(person);
        try (var photos = Files.list(SampleMedia.defaults().gallery().resolve(SampleMedia.DANCER))) {
            for (Path p : photos.toList()) {
                Files.copy(p, person.resolve(p.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return dir;
    }

    /**
     * A base port whose 100 ports are free now and lie below the kernel's ephemeral range, so that no client
     * connection opened while the cluster starts (a broker's, a test's) can take one of them before its process binds
     * it. A range chosen inside the ephemeral ports once lost the gallery's HTTP port that way.
     */
    static int freeBase() {
        int top = ephemeralLow() - 100;
        if (top <= FIRST_BASE) {
            throw new IllegalStateException("the ephemeral ports start at " + ephemeralLow() + "; no room for a cluster"
                    + " between " + FIRST_BASE + " and them");
        }
        for (int i = 0; i < 50; i++) {
            int base = FIRST_BASE + 100 * ThreadLocalRandom.current().nextInt((top - FIRST_BASE) / 100 + 1);
            try {
                new ClusterPorts(base, 3).requireFree();
                return base;
            } catch (IllegalStateException busy) {
                // try another range
            }
        }
        throw new IllegalStateException("no free range of 100 ports between " + FIRST_BASE + " and " + (top + 100)
                + " on 127.0.0.1");
    }

    private static final int FIRST_BASE = 20_000;

    /** The first port of Linux's ephemeral range ({@code ip_local_port_range}), or 32768 where it cannot be read. */
    static int ephemeralLow() {
        try {
            // By lines: Files.readString gave only the first character of this sysctl file (it reports a size of 0).
            String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException unreadable) {
            return 32_768;
        }
    }
}
