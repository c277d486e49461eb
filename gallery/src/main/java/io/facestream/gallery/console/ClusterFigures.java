package io.facestream.gallery.console;

import io.facestream.core.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What the health page asks the cluster: how far each consumer group is behind the end of each topic it reads
 * (the recognize job's groups commit at checkpoints, Kafka Streams' at its commits), and how many records are
 * on {@code frames.dlq}. Answers are kept for a couple of seconds, so a page refreshing often costs the cluster
 * little.
 */
public final class ClusterFigures implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Duration KEEP = Duration.ofSeconds(2);

    /** A consumer group's lag on one topic: records written but not yet committed as read, summed over partitions. */
    public record Lag(String group, String topic, long lag) {
    }

    /** One look at the cluster. */
    public record Figures(List<Lag> lag, long deadLetters, String error) {
    }

    private final Admin admin;
    private Figures last;
    private long lastNanos;

    public ClusterFigures(String bootstrap) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis()));
    }

    /** The figures, at most a couple of seconds old; a cluster that does not answer gives an error sentence. */
    public synchronized Figures now() {
        if (last != null && System.nanoTime() - lastNanos < KEEP.toNanos()) {
            return last;
        }
        try {
            last = ask();
        } catch (ExecutionException e) {
            last = new Figures(List.of(), -1, "the cluster did not answer: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            last = new Figures(List.of(), -1, "the cluster did not answer within " + TIMEOUT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Figures(List.of(), -1, "interrupted");
        }
        lastNanos = System.nanoTime();
        return last;
    }

    private Figures ask() throws ExecutionException, TimeoutException, InterruptedException {
        List<Map.Entry<String, Map<TopicPartition, OffsetAndMetadata>>> byGroup = new ArrayList<>();
        for (GroupListing g : admin.listGroups().all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(g.groupId())
                    .partitionsToOffsetAndMetadata().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            byGroup.add(Map.entry(g.groupId(), offsets));
        }
        Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
        byGroup.forEach(e -> e.getValue().keySet().forEach(tp -> ends.put(tp, OffsetSpec.latest())));
        Map<String, TopicDescription> dlq = admin.describeTopics(List.of(Topics.FRAMES_DLQ.name())).allTopicNames()
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Map<TopicPartition, OffsetSpec> dlqEarliest = new HashMap<>();
        dlq.values().forEach(d -> d.partitions().forEach(p -> {
            TopicPartition tp = new TopicPartition(d.name(), p.partition());
            ends.put(tp, OffsetSpec.latest());
            dlqEarliest.put(tp, OffsetSpec.earliest());
        }));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> latest = admin.listOffsets(ends).all()
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> earliest = admin.listOffsets(dlqEarliest).all()
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Map<String, Long> lag = new TreeMap<>();
        for (var e : byGroup) {
            e.getValue().forEach((tp, o) -> {
                var end = latest.get(tp);
                if (o != null && end != null) {
                    lag.merge(e.getKey() + "\u0000" + tp.topic(), Math.max(0, end.offset() - o.offset()), Long::sum);
                }
            });
        }
        long deadLetters = 0;
        for (var e : earliest.entrySet()) {
            deadLetters += latest.get(e.getKey()).offset() - e.getValue().offset();
        }
        List<Lag> lags = new ArrayList<>();
        lag.forEach((k, v) -> {
            String[] parts = k.split("\u0000", 2);
            lags.add(new Lag(parts[0], parts[1], v));
        });
        return new Figures(lags, deadLetters, null);
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
