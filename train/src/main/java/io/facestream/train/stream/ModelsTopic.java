package io.facestream.train.stream;

import io.facestream.core.event.ModelRecord;
import io.facestream.core.topic.Topics;
import io.facestream.recognize.job.ModelFolders;
import io.facestream.train.gate.SetFigures;
import io.facestream.train.model.ModelWriter;
import io.facestream.train.report.ModelCurve;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Writing and reading the compacted {@code models} topic, where the recognize job takes a model up live. */
public final class ModelsTopic {

    /** Inline weights of MobileFaceNet are ~4 MB, ~5.5 MB as base64 in JSON: more than a producer's default request. */
    public static final int MAX_REQUEST_BYTES = 32 * 1024 * 1024;

    private ModelsTopic() {
    }

    /**
     * The {@code models} record of a saved model folder, with the gate's figures from its {@code model.json} among the
     * metrics (target and general accuracy and VAL@FAR 1e-3 of the model and of its parent, steps, images seen), and
     * its training curve from the run's log ({@link ModelCurve}), so they travel with the model.
     */
    public static ModelRecord record(Path dir) throws IOException {
        io.facestream.train.model.ModelRecord r = ModelWriter.read(dir);
        Map<String, Double> m = new LinkedHashMap<>();
        figures(m, "target", r.target());
        figures(m, "general", r.general());
        figures(m, "parent_target", r.parentTarget());
        figures(m, "parent_general", r.parentGeneral());
        if (r.steps() > 0) {
            m.put("steps", (double) r.steps());
            m.put("images_seen", (double) r.imagesSeen());
        }
        ModelRecord record = ModelFolders.publishable(dir, m);
        return record.withCurve(ModelCurve.of(dir, record.modelId()));
    }

    private static void figures(Map<String, Double> m, String set, SetFigures f) {
        if (f != null) {
            m.put(set + "_accuracy", f.accuracy());
            m.put(set + "_val", f.val());
        }
    }

    /** Publishes the model saved in {@code dir} with its gate figures; returns the record written. */
    public static ModelRecord publish(String bootstrap, Path dir) throws Exception {
        ModelRecord record = record(dir);
        publish(bootstrap, record);
        return record;
    }

    /** Writes {@code record} to {@code models}, keyed by its id, and waits for the broker's acknowledgement. */
    public static void publish(String bootstrap, ModelRecord record) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_REQUEST_BYTES);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.MODELS.name(), record.modelId().getBytes(StandardCharsets.UTF_8),
                    Topics.MODELS.valueSerde().serializer().serialize(Topics.MODELS.name(), record))).get();
        }
    }

    /**
     * Every model on the topic, latest record per id, in the order they were first published (the last entry is the
     * newest model, the one the recognize job activates).
     */
    public static Map<String, ModelRecord> published(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, MAX_REQUEST_BYTES);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX_REQUEST_BYTES);
        Map<String, ModelRecord> out = new LinkedHashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(Topics.MODELS.name(), Duration.ofSeconds(10)).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() != null) {
                        ModelRecord m = Topics.MODELS.valueSerde().deserializer().deserialize(r.topic(), r.value());
                        out.put(m.modelId(), m);
                    }
                }
            }
        }
        return out;
    }
}
