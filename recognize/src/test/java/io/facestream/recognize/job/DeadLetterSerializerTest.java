package io.facestream.recognize.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.facestream.core.event.DeadLetter;
import io.facestream.core.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.UserCodeClassLoader;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class DeadLetterSerializerTest {

    /** A metric group that keeps its counters by their path of groups ("facestream.source_topic.frames.deadLetters"). */
    private static final class Recording extends UnregisteredMetricsGroup {
        private final String path;
        private final Map<String, Counter> counters;

        Recording(String path, Map<String, Counter> counters) {
            this.path = path;
            this.counters = counters;
        }

        @Override
        public MetricGroup addGroup(String name) {
            return new Recording(path.isEmpty() ? name : path + "." + name, counters);
        }

        @Override
        public MetricGroup addGroup(String key, String value) {
            return addGroup(key).addGroup(value);
        }

        @Override
        public Counter counter(String name) {
            return counters.computeIfAbsent(path + "." + name, k -> new SimpleCounter());
        }
    }

    @Test
    void eachDeadLetterGoesToItsSourcesDeadLetterTopicAndIsCountedUnderItsSource() throws Exception {
        Map<String, Counter> counters = new TreeMap<>();
        DeadLetterSerializer s = new DeadLetterSerializer();
        s.open(new SerializationSchema.InitializationContext() {
            @Override
            public MetricGroup getMetricGroup() {
                return new Recording("", counters);
            }

            @Override
            public UserCodeClassLoader getUserCodeClassLoader() {
                throw new UnsupportedOperationException();
            }
        }, null);
        Instant t = Instant.parse("2026-11-26T10:00:00Z");
        byte[] garbage = "garbage".getBytes(StandardCharsets.UTF_8);
        ProducerRecord<byte[], byte[]> r = s.serialize(new DeadLetter("frames", "door", garbage, "not a frame", t), null, 7L);
        s.serialize(new DeadLetter("frames", "door", garbage, "not a frame", t), null, 8L);
        s.serialize(new DeadLetter("gallery", "ada", garbage, "not an entry", t), null, 9L);
        assertEquals(Topics.FRAMES_DLQ.name(), r.topic());
        assertEquals("door", new String(r.key(), StandardCharsets.UTF_8));
        assertEquals(7L, r.timestamp());
        assertEquals("not a frame", Topics.FRAMES_DLQ.valueSerde().deserializer().deserialize(r.topic(), r.value()).error());
        assertEquals(Map.of(JobMetrics.GROUP + ".source_topic.frames.deadLetters", 2L,
                        JobMetrics.GROUP + ".source_topic.gallery.deadLetters", 1L),
                counters.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                        e -> e.getValue().getCount())));
    }
}
