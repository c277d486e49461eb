package io.facestream.recognize.job;

import io.facestream.core.topic.Topics;
import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the {@code gallery} topic ended when the job was started: per partition, the offset of its last readable
 * record. The match operator holds each camera's frames back until it has applied the gallery that far, so that no
 * frame is matched against a gallery still being loaded (a person enrolled long ago would come out unknown), but
 * waits at most {@link #maxWait()} from the first frame it holds: a frame is better matched late against part of the
 * gallery than never.
 *
 * @param lastOffsets partition → offset of its last readable record; partitions without one are left out
 * @param maxWait the longest a subtask holds frames back; zero holds none
 */
public record GalleryEnd(Map<Integer, Long> lastOffsets, Duration maxWait) implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(GalleryEnd.class);

    /**
     * Default longest wait. The job reads the gallery from its start at every fresh start; a gallery of 10^4 people
     * with a few crops each is a few hundred MB, read in seconds, and a frame held longer than this is late anyway.
     */
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(30);

    /** No wait: frames are matched against whatever gallery has arrived (collections in tests, no broker). */
    public static final GalleryEnd NONE = new GalleryEnd(Map.of(), Duration.ZERO);

    /** Offsets the tail scan starts behind the end of a partition, growing eightfold while it finds nothing. */
    private static final int FIRST_STEP = 16;

    public GalleryEnd {
        if (lastOffsets == null || maxWait == null || maxWait.isNegative()) {
            throw new IllegalArgumentException("the gallery's end needs its offsets and a wait of 0 or more, was "
                    + lastOffsets + " and " + maxWait);
        }
        lastOffsets = Map.copyOf(lastOffsets);
    }

    /** True when this end asks to hold frames at all. */
    public boolean waits() {
        return !lastOffsets.isEmpty() && !maxWait.isZero();
    }

    /** The partitions whose last record at start has not been read yet, given the highest offset read of each. */
    public List<Integer> behind(Map<Integer, Long> read) {
        List<Integer> out = new ArrayList<>();
        for (Map.Entry<Integer, Long> e : new TreeMap<>(lastOffsets).entrySet()) {
            Long r = read.get(e.getKey());
            if (r == null || r < e.getValue()) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    /**
     * Reads where the gallery ends now on the broker at {@code bootstrap} (committed records only, as the job reads
     * them). Where the broker or the topic cannot be reached within {@code timeout}, it says so in the log and returns
     * {@link #NONE}: the job then starts without holding frames, as it would with an empty gallery.
     */
    public static GalleryEnd read(String bootstrap, Duration maxWait, Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 32 * 1024 * 1024);
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
        String topic = Topics.GALLERY.name();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic, timeout)) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, timeout);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            Map<Integer, Long> last = new HashMap<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            for (TopicPartition tp : partitions) {
                long l = lastReadable(consumer, tp, begin.get(tp), end.get(tp), deadline);
                if (l >= 0) {
                    last.put(tp.partition(), l);
                }
            }
            return new GalleryEnd(last, maxWait);
        } catch (RuntimeException e) {
            LOG.warn("Could not read where {} ends on {} ({}); frames will be matched without waiting for the gallery "
                    + "to load", topic, bootstrap, e.toString());
            return NONE;
        }
    }

    /** The offset of the last record in [begin, end) that the job would apply, -1 when there is none. */
    private static long lastReadable(KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp, long begin, long end,
            long deadline) {
        consumer.assign(List.of(tp));
        long to = end;
        for (long step = FIRST_STEP; to > begin; step *= 8) {
            long from = Math.max(begin, to - step);
            consumer.seek(tp, from);
            long last = -1;
            while (consumer.position(tp) < to) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("reading the end of " + tp + " took too long");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.offset() < to && GalleryRecordDeserializer.read(r, Clock.systemUTC()).isValue()) {
                        last = Math.max(last, r.offset());
                    }
                }
            }
            if (last >= 0) {
                return last;
            }
            to = from;
        }
        return -1;
    }
}
