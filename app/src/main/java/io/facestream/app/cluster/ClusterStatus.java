package io.facestream.app.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.facestream.core.event.MatchEvent;
import io.facestream.core.topic.Topic;
import io.facestream.core.topic.Topics;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** What {@code cluster status} prints: the processes, the Flink job, the topics' replicas, the recent matches. */
final class ClusterStatus {

    private ClusterStatus() {
    }

    /** Prints everything; returns the number of processes that should run and do not. */
    static int print(Cluster cluster, Duration window, PrintStream out) {
        out.println("cluster in " + cluster.dir());
        out.printf("  %-16s %-8s %-6s %s%n", "process", "pid", "state", "port");
        int dead = 0;
        for (ManagedProcess p : cluster.processes()) {
            boolean alive = p.alive();
            // The CLI that submitted the job is meant to have exited, and so is an ingestor whose video has ended.
            boolean expected = !p.name().equals(Cluster.SUBMIT) && !(p.name().startsWith("ingest-")
                    && p.logTail(3).contains(" done: "));
            String state = alive ? "alive" : expected ? "DEAD" : "done";
            if (!alive && expected) {
                dead++;
            }
            out.printf("  %-16s %-8d %-6s %s%s%n", p.name(), p.recordedPid(), state, p.port(),
                    !alive && expected ? "   log: " + cluster.layout().log(p.name()) : "");
        }
        printJobs(cluster, out);
        printTopics(cluster, out);
        printMatches(cluster, window, out);
        return dead;
    }

    private static void printJobs(Cluster cluster, PrintStream out) {
        Optional<JsonNode> jobs = cluster.flink().jobs();
        if (jobs.isEmpty()) {
            out.println("flink: no answer from " + cluster.restUrl() + "/jobs/overview");
            return;
        }
        out.println("flink jobs (" + cluster.restUrl() + "):");
        for (JsonNode j : jobs.get().path("jobs")) {
            out.printf("  %s  %-10s %s%s%n", j.path("jid").asText(), j.path("state").asText(), j.path("name").asText(),
                    j.path("jid").asText().equals(cluster.jobId()) ? "  (submitted by up)" : "");
        }
    }

    private static void printTopics(Cluster cluster, PrintStream out) {
        try (Admin admin = KafkaNodes.admin(cluster.bootstrap())) {
            Map<String, TopicDescription> topics = admin.describeTopics(Topics.ALL.stream().map(Topic::name).toList())
                    .allTopicNames().get(15, TimeUnit.SECONDS);
            out.println("topics (" + cluster.bootstrap() + "): partition leader [in-sync replicas]");
            for (Topic<?, ?> t : Topics.ALL) {
                TopicDescription d = topics.get(t.name());
                StringBuilder line = new StringBuilder();
                int under = 0;
                for (TopicPartitionInfo p : d.partitions()) {
                    line.append(String.format("  p%d %s %s", p.partition(), p.leader() == null ? "-" : p.leader().id(),
                            p.isr().stream().map(Node::id).toList()).replace(" ", " "));
                    if (p.isr().size() < p.replicas().size()) {
                        under++;
                    }
                }
                out.printf("  %-18s%s%s%n", t.name(), line, under > 0 ? "   " + under + " under-replicated" : "");
            }
        } catch (Exception e) {
            out.println("kafka: could not describe the topics at " + cluster.bootstrap() + ": " + e.getMessage());
        }
    }

    /** Committed events of {@code matches} whose records are at most {@code window} old. */
    private static void printMatches(Cluster cluster, Duration window, PrintStream out) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            consumer.partitionsFor(Topics.MATCHES.name(), Duration.ofSeconds(10))
                    .forEach(p -> parts.add(new TopicPartition(p.topic(), p.partition())));
            consumer.assign(parts);
            long since = Instant.now().minus(window).toEpochMilli();
            Map<TopicPartition, Long> query = new HashMap<>();
            parts.forEach(p -> query.put(p, since));
            Map<TopicPartition, OffsetAndTimestamp> from = consumer.offsetsForTimes(query, Duration.ofSeconds(10));
            Map<TopicPartition, Long> end = consumer.endOffsets(parts, Duration.ofSeconds(10));
            for (TopicPartition p : parts) {
                OffsetAndTimestamp o = from.get(p);
                consumer.seek(p, o == null ? end.get(p) : o.offset());
            }
            Map<String, Integer> cameras = new TreeMap<>();
            Map<String, Integer> people = new TreeMap<>();
            int events = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (parts.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    MatchEvent e = Topics.MATCHES.valueSerde().deserializer().deserialize(r.topic(), r.value());
                    events++;
                    cameras.merge(e.cameraId(), 1, Integer::sum);
                    people.merge(e.identityId() == null ? "unknown" : e.identityId(), 1, Integer::sum);
                }
            }
            out.printf("matches in the last %d s (read_committed): %d event(s); by camera %s; by identity %s%n",
                    window.toSeconds(), events, cameras, people);
        } catch (Exception e) {
            out.println("matches: could not read at " + cluster.bootstrap() + ": " + e.getMessage());
        }
    }
}
