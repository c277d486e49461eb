package io.facestream.recognize.job;

import io.facestream.core.event.DeadLetter;
import io.facestream.core.topic.Topic;
import io.facestream.core.topic.Topics;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes each dead letter to the dead-letter topic of the topic it came from ({@link Topics#deadLettersOf}), keyed
 * by the rejected record's key, with that topic's serdes.
 */
public final class DeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetter> {

    private static final long serialVersionUID = 1L;

    @Override
    public ProducerRecord<byte[], byte[]> serialize(DeadLetter letter, KafkaSinkContext context, Long timestamp) {
        Topic<String, DeadLetter> topic = Topics.deadLettersOf(letter.topic());
        return new ProducerRecord<>(topic.name(), null, timestamp,
                topic.keySerde().serializer().serialize(topic.name(), letter.key()),
                topic.valueSerde().serializer().serialize(topic.name(), letter));
    }
}
