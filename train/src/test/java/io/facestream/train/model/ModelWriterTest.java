package io.facestream.train.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.facestream.core.Embedding;
import io.facestream.core.event.HardExample.LabelSource;
import io.facestream.recognize.align.FaceCrop;
import io.facestream.recognize.embed.TrainableNetwork;
import io.facestream.recognize.engine.EngineOptions;
import io.facestream.recognize.engine.FaceEngine;
import io.facestream.recognize.engine.FaceModel;
import io.facestream.recognize.weights.WeightStore;
import io.facestream.train.buffer.BufferedFace;
import io.facestream.train.gate.SetFigures;
import io.facestream.train.sample.Batch;
import io.facestream.train.testing.YaleFaces;
import io.facestream.train.trainer.TrainerOptions;
import io.facestream.train.trainer.TripletTrainer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trained network saved with its record opens for inference as {@code --model DIR} does: same
 * embeddings as the trainer's own, the record's id on every embedding, the record's threshold.
 */
class ModelWriterTest {

    @TempDir
    Path tmp;

    @Test
    void aSavedModelOpensForInferenceWithItsIdAndWeights() throws Exception {
        Map<String, List<FaceCrop>> faces = YaleFaces.crops(List.of("yaleB01", "yaleB02", "yaleB03", "yaleB04"), 4, 14, 12);
        List<BufferedFace> list = new ArrayList<>();
        List<FaceCrop> crops = new ArrayList<>();
        int[] labels = new int[16];
        int i = 0;
        int person = 0;
        for (List<FaceCrop> ofPerson : faces.values()) {
            for (FaceCrop c : ofPerson) {
                list.add(new BufferedFace(i, "p" + person, LabelSource.CONFIRMED, c.size(), BufferedFace.toBytes(c)));
                crops.add(c);
                labels[i++] = person;
            }
            person++;
        }
        Path dir = tmp.resolve("best");
        float[][] trained;
        ModelRecord saved;
        try (TrainableNetwork net = TrainableNetwork.fromPublicWeights(WeightStore.defaultStore(), Device.cpu());
                TripletTrainer trainer = new TripletTrainer(net,
                        TrainerOptions.defaults().withBatch(4, 4).withLearningRate(1e-3).withAugmentation(false, 0))) {
            trainer.step(new Batch(list, labels, new boolean[16], 4));
            trained = trainer.embed(crops);
            SetFigures t = new SetFigures("held-out", 600, 0.9, 0.01, 0.5, 0.05, 1.05);
            ModelRecord record = new ModelRecord(null, net.loadedId(), net.architecture(), t.threshold(), 1, 16, t, null,
                    t, null, "passed", Map.of("p", 4), "2026-11-26T00:00:00Z");
            saved = ModelWriter.save(net, record, dir);
            // the same weights give the same id
            ModelRecord again = ModelWriter.save(net, record, tmp.resolve("again"));
            assertEquals(saved.id(), again.id());
        }
        assertTrue(saved.id().matches("mobilefacenet-192-ft-[0-9a-f]{12}"), saved.id());
        assertEquals("mobilefacenet-192", saved.parent());
        assertEquals(saved, ModelWriter.read(dir));
        assertTrue(Files.isRegularFile(dir.resolve("weights.params")));

        FaceModel model = FaceModel.parse(dir.toString());
        assertTrue(model.isTrained());
        assertEquals(saved.id(), model.modelId());
        assertEquals(1.05, model.threshold(), 0);
        assertEquals(FaceModel.MOBILEFACENET, model.base());
        try (FaceEngine engine = FaceEngine.open(EngineOptions.defaults())) {
            List<Embedding> fromDir = engine.embedCrops(model, crops);
            List<Embedding> pub = engine.embedCrops(FaceModel.MOBILEFACENET, crops);
            for (int k = 0; k < crops.size(); k++) {
                assertEquals(saved.id(), fromDir.get(k).modelId());
                assertArrayEquals(trained[k], fromDir.get(k).values(), 1e-5f, "face " + k);
                assertNotEquals(pub.get(k).values()[0], fromDir.get(k).values()[0], "face " + k + " should have moved");
            }
        }
        // a trained model travels in Java serialization (the job's settings) and the public ones stay singletons
        assertEquals(model, roundTrip(model));
        assertTrue(roundTrip(FaceModel.DLIB) == FaceModel.DLIB);
        Files.createDirectories(tmp.resolve("empty"));
        assertThrows(IllegalArgumentException.class, () -> FaceModel.parse(tmp.resolve("empty").toString()));
    }

    private static Object roundTrip(Object o) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return in.readObject();
        }
    }
}
