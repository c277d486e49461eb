package io.facestream.ingest;

import io.facestream.core.event.Frame;
import io.facestream.core.topic.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Where a camera's numbering stands in {@code frames}: the sequence of its last frame there. An ingestor that takes
 * over a camera (a restart after a crash, a rescheduled pod) continues after it, since match event ids are made of
 * camera and frame sequence: starting again from 0 would give new frames the ids of old events.
 *
 * <p>The camera's frames are in one partition (they are keyed by camera id), so only that partition's tail is read,
 * backwards in steps, until a frame of the camera turns up; other cameras' frames on the way are skipped without
 * decoding them. A camera whose frames have all aged out of the topic starts again from 0.
 */
public final class CameraSequence {

    /** Records read per step back from the end of the partition. */
    private static final int STEP = 64;

    private CameraSequence() {
    }

    /**
     * The sequence of {@code cameraId}'s last frame in {@code frames}, empty when the topic holds none of its frames.
     *
     * @param timeout for each call to the cluster
     */
    public static OptionalLong last(String bootstrapServers, String cameraId, Duration timeout) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, STEP);
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<PartitionInfo> partitions = consumer.partitionsFor(Topics.FRAMES.name(), timeout);
            if (partitions == null || partitions.isEmpty()) {
                return OptionalLong.empty();
            }
            byte[] key = Topics.FRAMES.keySerde().serializer().serialize(Topics.FRAMES.name(), cameraId);
            // The producer's own choice of partition for a keyed record.
            TopicPartition tp = new TopicPartition(Topics.FRAMES.name(),
                    BuiltInPartitioner.partitionForKey(key, partitions.size()));
            consumer.assign(List.of(tp));
            long begin = consumer.beginningOffsets(List.of(tp), timeout).get(tp);
            long end = consumer.endOffsets(List.of(tp), timeout).get(tp);
            String topic = tp.topic();
            for (long to = end; to > begin; to -= STEP) {
                long from = Math.max(begin, to - STEP);
                consumer.seek(tp, from);
                long best = -1;
                long deadline = System.nanoTime() + timeout.toNanos();
                long position = from;
                while (position < to && System.nanoTime() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        position = r.offset() + 1;
                        if (r.offset() < to && java.util.Arrays.equals(key, r.key())) {
                            Frame f = Topics.FRAMES.valueSerde().deserializer().deserialize(topic, r.value());
                            best = Math.max(best, f.sequence());
                        }
                    }
                    // Transaction markers and compacted gaps have offsets but no records.
                    position = Math.max(position, consumer.position(tp, timeout));
                }
                if (best >= 0) {
                    return OptionalLong.of(best);
                }
            }
            return OptionalLong.empty();
        }
    }
}
