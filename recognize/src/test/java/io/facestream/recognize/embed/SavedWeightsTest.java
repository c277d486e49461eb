package io.facestream.recognize.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.facestream.recognize.weights.WeightStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A converted network saved in DJL's format loads back into a fresh Java-defined block unchanged. */
class SavedWeightsTest {

    @ParameterizedTest
    @EnumSource(EmbedderModel.class)
    void saveThenLoadGivesIdenticalOutputs(EmbedderModel kind, @TempDir Path dir) throws Exception {
        Path saved = dir.resolve("params");
        float[] before;
        float[] after;
        float[] input = randomInput(kind, 2);
        try (Model converted = ConvertedWeights.convert(kind, Device.cpu(), WeightStore.defaultStore())) {
            ConvertedWeights.save(converted, saved);
            before = run(converted, kind, input);
        }
        assertTrue(Files.isRegularFile(saved.resolve(kind.modelId() + "-0000.params")));
        try (Model loaded = Model.newInstance(kind.modelId(), Device.cpu(), "PyTorch")) {
            loaded.setBlock(kind.newBlock());
            loaded.load(saved, kind.modelId());
            after = run(loaded, kind, input);
        }
        assertArrayEquals(before, after, 0f);
    }

    static float[] randomInput(EmbedderModel kind, int n) {
        Random r = new Random(7);
        float[] x = new float[n * 3 * kind.inputSize() * kind.inputSize()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * 0.5);
        }
        return x;
    }

    static float[] run(Model model, EmbedderModel kind, float[] input) {
        Engines.inferenceModeOnThisThread();
        int s = kind.inputSize();
        try (NDManager m = model.getNDManager().newSubManager()) {
            NDArray x = m.create(input, new Shape(input.length / (3 * s * s), 3, s, s));
            NDList y = model.getBlock().forward(new ParameterStore(m, false), new NDList(x), false);
            return y.head().toFloatArray();
        }
    }
}
