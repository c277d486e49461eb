package io.facestream.recognize.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.facestream.recognize.weights.WeightFile;
import io.facestream.recognize.weights.WeightStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The converted-weights cache is filled on first open, used afterwards, and replaced when unreadable. */
class ConvertedWeightsCacheTest {

    @Test
    void aDamagedCacheIsReplacedAndThenGivesTheSameEmbeddingsAsAConversion(@TempDir Path root) throws Exception {
        WeightStore original = WeightStore.defaultStore();
        WeightStore store = new WeightStore(root);
        Path source = store.location(WeightFile.MOBILEFACENET_TFLITE);
        Files.createDirectories(source.getParent());
        Files.copy(original.require(WeightFile.MOBILEFACENET_TFLITE), source);

        Path dir = ConvertedWeights.cacheFolder(store, EmbedderModel.MOBILEFACENET);
        Path params = dir.resolve("mobilefacenet-192-0000.params");
        Files.createDirectories(dir);
        Files.write(params, new byte[] {1, 2, 3});

        EmbedderOptions options = EmbedderOptions.defaults().withWeights(store).withDevice(Device.cpu());
        List<io.facestream.recognize.align.FaceCrop> crops = EmbedderBenchmark.randomCrops(112, 2, 3);
        float[][] fromDamaged;
        try (FaceEmbedder e = EmbedderModel.MOBILEFACENET.open(options)) {
            fromDamaged = e.embedRaw(crops);
        }
        assertTrue(Files.size(params) > 1_000_000, "the damaged cache file was not replaced");
        try (FaceEmbedder fromCache = EmbedderModel.MOBILEFACENET.open(options)) {
            float[][] cached = fromCache.embedRaw(crops);
            for (int i = 0; i < crops.size(); i++) {
                assertEquals(0.0, Golden.relativeMaxDiff(cached[i], fromDamaged[i]), 0.0);
            }
        }
    }
}
