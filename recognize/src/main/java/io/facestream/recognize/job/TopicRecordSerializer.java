package io.facestream.recognize.job;

import io.facestream.core.topic.Topic;
import io.facestream.core.topic.Topics;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes values to a catalogue topic with that topic's serdes (the {@link Topics} catalogue is the only
 * place that chooses them), keyed by a field of the value.
 */
public final class TopicRecordSerializer<V> implements KafkaRecordSerializationSchema<V> {

    private static final long serialVersionUID = 1L;

    // Topic holds Kafka serdes, which are not serializable: look it up by name in each subtask.
    private final String topicName;
    private final KeySelector<V, String> key;
    private transient Serializer<String> keys;
    private transient Serializer<V> values;

    /** A serializer for the named catalogue topic, each record keyed by {@code key}. */
    public TopicRecordSerializer(Topic<String, V> topic, KeySelector<V, String> key) {
        this.topicName = topic.name();
        this.key = key;
    }

    @Override
    @SuppressWarnings("unchecked")
    public ProducerRecord<byte[], byte[]> serialize(V value, KafkaSinkContext context, Long timestamp) {
        if (values == null) {
            Topic<String, V> topic = (Topic<String, V>) Topics.byName(topicName);
            keys = topic.keySerde().serializer();
            values = topic.valueSerde().serializer();
        }
        String k;
        try {
            k = key.getKey(value);
        } catch (Exception e) {
            throw new IllegalStateException("could not take the key of a " + topicName + " record: " + e.getMessage(), e);
        }
        return new ProducerRecord<>(topicName, null, timestamp, keys.serialize(topicName, k),
                values.serialize(topicName, value));
    }
}
