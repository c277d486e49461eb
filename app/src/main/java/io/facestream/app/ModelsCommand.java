package io.facestream.app;

import io.facestream.core.event.ModelRecord;
import io.facestream.core.topic.Topics;
import io.facestream.recognize.embed.SavedModel;
import io.facestream.recognize.job.ModelFolders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code models} topic from the command line: publish a saved model, list the published ones. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "Publish a saved model (a folder from `train`) on the models topic, where the recognize job takes"
            + " it up live, or list what is published.",
        subcommands = {ModelsCommand.Publish.class, ModelsCommand.ListModels.class})
final class ModelsCommand implements Runnable {

    /** Inline weights of MobileFaceNet are ~4 MB, ~5.5 MB as base64 in JSON: more than a producer's default request. */
    static final int MAX_REQUEST_BYTES = 32 * 1024 * 1024;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "publish", mixinStandardHelpOptions = true,
            description = "Publish the model saved in DIR (model.json + weights.params) on the models topic.")
    static final class Publish implements Callable<Integer> {

        @Parameters(paramLabel = "DIR", description = "A saved model folder, e.g. OUT/best of `facestream train`.")
        Path dir;

        @Option(names = "--bootstrap", required = true, paramLabel = "HOST:PORT", description = "The Kafka cluster.")
        String bootstrap;

        @Override
        public Integer call() throws Exception {
            if (!SavedModel.isSavedModel(dir)) {
                throw new IllegalArgumentException(dir + " is not a saved model folder (no " + SavedModel.RECORD
                        + "); give the best/ folder that `facestream train` wrote");
            }
            ModelRecord record = ModelFolders.publishable(dir, Map.of());
            publish(bootstrap, record);
            System.out.printf(Locale.ROOT, "models: published %s (parent %s, %.1f MB of weights%s) to %s%n",
                    record.modelId(), record.parentId(), record.weights().length / 1e6,
                    record.metrics().containsKey(ModelFolders.THRESHOLD)
                            ? ", threshold " + record.metrics().get(ModelFolders.THRESHOLD) : "", bootstrap);
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the models published on the topic.")
    static final class ListModels implements Callable<Integer> {

        @Option(names = "--bootstrap", required = true, paramLabel = "HOST:PORT", description = "The Kafka cluster.")
        String bootstrap;

        @Override
        public Integer call() {
            Map<String, ModelRecord> models = published(bootstrap);
            if (models.isEmpty()) {
                System.out.println("models: none published on " + Topics.MODELS.name());
            }
            models.values().forEach(m -> System.out.printf(Locale.ROOT, "%s  parent %s  %.1f MB  %s%n", m.modelId(),
                    m.parentId(), m.weights() == null ? 0 : m.weights().length / 1e6, m.metrics()));
            return 0;
        }
    }

    /** Writes {@code record} to {@code models}, keyed by its id, and waits for the broker's acknowledgement. */
    static void publish(String bootstrap, ModelRecord record) throws Exception {
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

    /** Every model on the topic, latest record per id, in the order they were first published. */
    static Map<String, ModelRecord> published(String bootstrap) {
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
