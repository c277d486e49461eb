package io.facestream.ingest;

import io.facestream.core.event.DeadLetter;
import io.facestream.core.event.Frame;
import io.facestream.core.topic.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;

/**
 * A producer of {@code frames} that owns a second producer for {@code frames.dlq}, flushed and closed with it: a frame
 * too large for its topic can never be sent through the producer that refused it, so its dead letter needs its own.
 * {@link Ingestor#createProducer(String)} makes one; an {@link Ingestor} given it finds the dead-letter producer here.
 */
public final class FramesProducer extends KafkaProducer<String, Frame> {

    private final Producer<String, DeadLetter> deadLetters;

    /** Both producers, connected to {@code bootstrapServers}, with {@link Ingestor#producerConfig(String)} for frames. */
    public FramesProducer(String bootstrapServers) {
        super(Ingestor.producerConfig(bootstrapServers), Topics.FRAMES.keySerde().serializer(),
                Topics.FRAMES.valueSerde().serializer());
        Producer<String, DeadLetter> dlq;
        try {
            dlq = new KafkaProducer<>(deadLetterConfig(bootstrapServers), Topics.FRAMES_DLQ.keySerde().serializer(),
                    Topics.FRAMES_DLQ.valueSerde().serializer());
        } catch (RuntimeException e) {
            super.close(Duration.ZERO);
            throw e;
        }
        this.deadLetters = dlq;
    }

    /**
     * Settings for {@code frames.dlq}: requests as large as the topic takes (a whole frame and its reason), sent at
     * once since dead letters are rare.
     */
    public static Map<String, Object> deadLetterConfig(String bootstrapServers) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.parseInt(Topics.FRAMES_DLQ
                .config(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).orElseThrow()));
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return config;
    }

    /** The producer of {@code frames.dlq}; closed by {@link #close(Duration)}, not by its users. */
    public Producer<String, DeadLetter> deadLetters() {
        return deadLetters;
    }

    @Override
    public void flush() {
        super.flush();
        deadLetters.flush();
    }

    @Override
    public void close(Duration timeout) {
        try {
            super.close(timeout);
        } finally {
            deadLetters.close(timeout);
        }
    }
}
