package io.facestream.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.facestream.app.local.EmbeddedKafka;
import io.facestream.core.Embedding;
import io.facestream.core.event.HardExample;
import io.facestream.core.event.HardExample.LabelSource;
import io.facestream.core.event.ModelRecord;
import io.facestream.core.topic.Topics;
import io.facestream.recognize.align.FaceCrop;
import io.facestream.recognize.embed.EmbedderModel;
import io.facestream.recognize.embed.SavedModel;
import io.facestream.recognize.embed.TrainableNetwork;
import io.facestream.recognize.job.CropPng;
import io.facestream.recognize.weights.WeightStore;
import io.facestream.train.buffer.BufferOptions;
import io.facestream.train.buffer.ReplayBuffer;
import io.facestream.train.gate.ValidationGate;
import io.facestream.train.stream.ContinuousTrainer;
import io.facestream.train.stream.ModelsTopic;
import io.facestream.train.stream.TrainerServer;
import io.facestream.train.stream.TrainerService;
import io.facestream.train.testing.YaleFaces;
import io.facestream.train.trainer.TrainerOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The continuous trainer on a real broker: hard examples from the topic fill the replay buffer, a round runs, the kept
 * model goes to {@code models} with its gate figures; restarted, the service resumes from that model with the same
 * buffer and reads none of the consumed records again.
 */
class TrainerServiceTest {


    @TempDir
    Path tmp;

    @Test
    void hardExamplesFromTheTopicTrainAModelThatIsPublishedAndARestartResumesFromIt() throws Exception {
        Map<String, List<FaceCrop>> crops = YaleFaces.trainingCrops();
        ValidationGate gate = YaleFaces.gate(tmp);
        // A rate so small that the held-out accuracy cannot move: the gate keeps the round's model, so it is published.
        TrainerOptions round = TrainerOptions.defaults().withBatch(4, 4).withSteps(2, 2).withLearningRate(1e-7)
                .withAugmentation(false, 0);
        Path out = tmp.resolve("trainer");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(tmp.resolve("kafka"))) {
            kafka.createTopics(Topics.newTopics(1, (short) 1));
            String bootstrap = kafka.bootstrapServers();
            send(bootstrap, crops);

            ContinuousTrainer first = trainer(bootstrap, gate, round, out);
            try (TrainerService service = TrainerService.start(bootstrap, first, out.resolve("models"),
                    new TrainerService.Listener() { })) {
                assertEquals(null, first.published(), "nothing on models yet: the first round starts from the public model");
                assertEquals(1, service.finish(Duration.ofSeconds(3), () -> false), "one round");
                assertEquals(16, service.added(), "every face of the topic is in the buffer");
                assertEquals(1, service.skipped(), "the unreadable record is passed over, not fatal");
                ContinuousTrainer.Round r = service.lastPublished();
                assertNotNull(r, "the gate kept the model of the round");

                Map<String, ModelRecord> models = ModelsTopic.published(bootstrap);
                ModelRecord m = models.get(r.published());
                assertNotNull(m, "the kept model is on " + Topics.MODELS.name() + ": " + models.keySet());
                assertEquals(EmbedderModel.MOBILEFACENET.modelId(), m.parentId());
                assertEquals(SavedModel.readHeader(r.model()).threshold(), m.metrics().get("threshold"));
                assertEquals(2.0, m.metrics().get("steps"), "the gate's figures travel with the model: " + m.metrics());
                assertEquals(32.0, m.metrics().get("images_seen"));
                assertEquals(r.outcome().best().target().accuracy(), m.metrics().get("target_accuracy"));
                assertEquals(r.outcome().start().target().accuracy(), m.metrics().get("parent_target_accuracy"));
                assertTrue(m.metrics().containsKey("target_val"), m.metrics().toString());
                assertTrue(SavedModel.isSavedModel(out.resolve("published").resolve(r.published())),
                        "a copy in this machine's published models, where --model ID finds it");
            }

            ContinuousTrainer second = trainer(bootstrap, gate, round, out);
            try (TrainerService service = TrainerService.start(bootstrap, second, out.resolve("models"),
                    new TrainerService.Listener() { })) {
                String id = ModelsTopic.published(bootstrap).keySet().iterator().next();
                assertEquals(out.resolve("models").resolve(id), second.published(),
                        "a restarted trainer continues from the newest published model");
                assertEquals(1, second.rounds(), "and numbers its rounds on");
                assertEquals(0, service.finish(Duration.ofSeconds(2), () -> false), "no new face, no round");
                assertEquals(0, service.added(), "the committed records are not read again");
                assertEquals(16, second.bufferSize(), "the buffer came back from disk");

                // The person the gallery names "ada" is deleted: a tombstone on gallery takes her faces out.
                try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new ByteArraySerializer(),
                        new ByteArraySerializer())) {
                    producer.send(new ProducerRecord<>(Topics.GALLERY.name(), "ada".getBytes(StandardCharsets.UTF_8),
                            null)).get();
                }
                service.finish(Duration.ofSeconds(3), () -> false);
                assertEquals(4, service.erased());
                assertEquals(12, second.bufferSize());
                try (var files = java.nio.file.Files.list(out.resolve("buffer"))) {
                    assertEquals(12, files.count(), "her crops are gone from disk too");
                }

                // What Prometheus and the probes see of it.
                try (TrainerServer http = TrainerServer.start("127.0.0.1", 0, service)) {
                    java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
                    String base = "http://127.0.0.1:" + http.port();
                    var metrics = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/metrics"))
                            .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, metrics.statusCode());
                    String text = metrics.body();
                    assertTrue(text.contains("facestream_trainer_faces_erased_total 4.0"), text);
                    assertTrue(text.contains("facestream_trainer_buffer_faces 12.0"), text);
                    assertTrue(text.contains("facestream_trainer_rounds_total 1.0"), "its rounds go on from the first's");
                    assertTrue(text.contains("jvm_memory_used_bytes"), "and the JVM's");
                    var ready = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/health/ready"))
                            .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, ready.statusCode(), ready.body());
                    assertEquals(404, client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/faces"))
                            .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode());
                }
            }
        }
    }

    private static ContinuousTrainer trainer(String bootstrap, ValidationGate gate, TrainerOptions round, Path out)
            throws Exception {
        ReplayBuffer buffer = ReplayBuffer.open(out.resolve("buffer"), new BufferOptions(200, 50));
        return new ContinuousTrainer(dir -> TrainableNetwork.open(dir, WeightStore.defaultStore(), Device.cpu()), buffer, gate, round, 12, out,
                TrainerService.publisher(bootstrap, out.resolve("published")));
    }

    /**
     * 4 faces of each person, as the recognize job mines them (track labels; the first person's as a gallery match
     * of "ada"), and one record that is not one.
     */
    private static void send(String bootstrap, Map<String, List<FaceCrop>> crops) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            String topic = Topics.HARD_EXAMPLES.name();
            producer.send(new ProducerRecord<>(topic, "garbage".getBytes(StandardCharsets.UTF_8),
                    "not a hard example".getBytes(StandardCharsets.UTF_8))).get();
            boolean first = true;
            for (Map.Entry<String, List<FaceCrop>> e : crops.entrySet()) {
                String label = first ? "ada" : "track:cam-1:" + e.getKey();
                LabelSource source = first ? LabelSource.GALLERY : LabelSource.TRACK;
                first = false;
                for (FaceCrop c : e.getValue()) {
                    HardExample h = new HardExample(label, CropPng.encode(c),
                            new Embedding("mobilefacenet-192", new float[] {1, 0}), source, null, List.of());
                    producer.send(new ProducerRecord<>(topic, label.getBytes(StandardCharsets.UTF_8),
                            Topics.HARD_EXAMPLES.valueSerde().serializer().serialize(topic, h))).get();
                }
            }
        }
    }
}
