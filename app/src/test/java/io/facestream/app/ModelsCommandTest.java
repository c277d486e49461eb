package io.facestream.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.app.local.EmbeddedKafka;
import io.facestream.core.event.ModelRecord;
import io.facestream.core.topic.Topics;
import io.facestream.recognize.embed.SavedModel;
import io.facestream.recognize.engine.FaceModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A saved model goes onto the models topic whole, the list reads it back, and fetch makes it a --model by id. */
class ModelsCommandTest {

    @TempDir
    Path dir;

    @Test
    void aSavedModelIsPublishedAndListed() throws Exception {
        Path folder = TestModels.publicWeightsAs("mfn-test", 1.05, dir);
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
            kafka.createTopics(Topics.newTopics(1, (short) 1));
            CliTest.Run run = CliTest.run("models", "publish", folder.toString(), "--bootstrap", kafka.bootstrapServers());
            assertEquals(0, run.exit(), run.err());
            assertTrue(run.out().contains("published mfn-test (parent mobilefacenet-192"), run.out());
            Map<String, ModelRecord> models = io.facestream.train.stream.ModelsTopic.published(kafka.bootstrapServers());
            ModelRecord m = models.get("mfn-test");
            assertArrayEquals(Files.readAllBytes(folder.resolve(SavedModel.WEIGHTS)), m.weights(),
                    "the weights travel whole (MBs, over the producer's default request size)");
            assertEquals(1.05, m.metrics().get("threshold"));
            CliTest.Run list = CliTest.run("models", "list", "--bootstrap", kafka.bootstrapServers());
            assertTrue(list.out().startsWith("mfn-test  parent mobilefacenet-192"), list.out());
            System.setProperty("facestream.models", dir.resolve("published").toString());
            try {
                assertThrows(IllegalArgumentException.class, () -> FaceModel.parse("mfn-test"), "not fetched yet");
                CliTest.Run fetch = CliTest.run("models", "fetch", "mfn-test", "--bootstrap", kafka.bootstrapServers());
                assertEquals(0, fetch.exit(), fetch.err());
                FaceModel byId = FaceModel.parse("mfn-test");
                assertEquals(dir.resolve("published").resolve("mfn-test"), byId.directory(), "--model ID opens the copy");
                assertEquals(1.05, byId.threshold());
                CliTest.Run missing = CliTest.run("models", "fetch", "nope", "--bootstrap", kafka.bootstrapServers());
                assertEquals(2, missing.exit());
                assertTrue(missing.err().contains("no model nope on models"), missing.err());
            } finally {
                System.clearProperty("facestream.models");
            }
            CliTest.Run bad = CliTest.run("models", "publish", dir.toString(), "--bootstrap", kafka.bootstrapServers());
            assertEquals(2, bad.exit());
            assertTrue(bad.err().contains("is not a saved model folder"), bad.err());
        }
    }
}
