package io.facestream.recognize.job;

import ai.djl.Device;
import io.facestream.core.event.ModelRecord;
import io.facestream.recognize.embed.SavedModel;
import io.facestream.recognize.embed.TrainableNetwork;
import io.facestream.recognize.weights.WeightStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** Published models for tests: the public MobileFaceNet's own weights under another id. */
final class PublishedModels {

    private PublishedModels() {
    }

    /**
     * A {@code models} record with the public MobileFaceNet weights as model {@code id}: it embeds exactly as the
     * public model does, so a test can tell the model of an event by its id alone.
     */
    static ModelRecord publicWeightsAs(String id, Path dir) throws IOException {
        Path folder = dir.resolve(id);
        try (TrainableNetwork net = TrainableNetwork.fromPublicWeights(WeightStore.defaultStore(), Device.cpu())) {
            net.saveWeights(folder);
        }
        SavedModel.writeHeader(folder, new SavedModel.Header(id, "mobilefacenet-192", "mobilefacenet-192", 1.1));
        return ModelFolders.publishable(folder, Map.of("accuracy", 0.99));
    }
}
