package io.facestream.recognize.job;

import io.facestream.core.event.DeadLetter;
import io.facestream.core.topic.Topic;
import io.facestream.core.topic.Topics;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes each dead letter to the dead-letter topic of the topic it came from ({@link Topics#deadLettersOf}), keyed
 * by the rejected record's key, with that topic's serdes.
 */
public final class DeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetter> {

    private static final long serialVersionUID = 1L;

    /** Dead letters written, per source topic ({@code facestream.deadLetters} with a {@code source_topic} label). */
    private transient Map<String, Counter> written;
    private transient MetricGroup metrics;

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) throws Exception {
        KafkaRecordSerializationSchema.super.open(context, sinkContext);
        metrics = context.getMetricGroup().addGroup(JobMetrics.GROUP);
        written = new HashMap<>();
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(DeadLetter letter, KafkaSinkContext context, Long timestamp) {
        Topic<String, DeadLetter> topic = Topics.deadLettersOf(letter.topic());
        if (metrics != null) {
            written.computeIfAbsent(letter.topic(), t -> metrics.addGroup("source_topic", t).counter("deadLetters")).inc();
        }
        return new ProducerRecord<>(topic.name(), null, timestamp,
                topic.keySerde().serializer().serialize(topic.name(), letter.key()),
                topic.valueSerde().serializer().serialize(topic.name(), letter));
    }
}
