package io.facestream.app;

import ai.djl.Device;
import io.facestream.recognize.embed.SavedModel;
import io.facestream.recognize.embed.TrainableNetwork;
import io.facestream.recognize.weights.WeightStore;
import java.io.IOException;
import java.nio.file.Path;

/** Saved models for tests. */
final class TestModels {

    private TestModels() {
    }

    /**
     * A saved model folder {@code dir/id} with the public MobileFaceNet weights under model id {@code id} and its own
     * threshold: it embeds exactly as the public model does, so a test can tell a model's work by its id alone.
     */
    static Path publicWeightsAs(String id, double threshold, Path dir) throws IOException {
        Path folder = dir.resolve(id);
        try (TrainableNetwork net = TrainableNetwork.fromPublicWeights(WeightStore.defaultStore(), Device.cpu())) {
            net.saveWeights(folder);
        }
        SavedModel.writeHeader(folder, new SavedModel.Header(id, "mobilefacenet-192", "mobilefacenet-192", threshold));
        return folder;
    }
}
