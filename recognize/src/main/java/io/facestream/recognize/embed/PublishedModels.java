package io.facestream.recognize.embed;

import io.facestream.recognize.weights.WeightStore;
import java.nio.file.Path;

/**
 * This machine's folder of published models, one saved-model folder per model id, so that a face command opens a
 * published model by its id ({@code --model mobilefacenet-192-ft-…}). The trainer puts each model it publishes there,
 * and {@code facestream models fetch ID} any model of a cluster's {@code models} topic.
 *
 * <p>Where: the system property {@code facestream.models}, else {@code $FACESTREAM_MODELS}, else a {@code models}
 * folder beside the weights cache (by default {@code ~/.cache/facestream/models}).
 */
public final class PublishedModels {

    private PublishedModels() {
    }

    /** The folder of published models. */
    public static Path root() {
        String prop = System.getProperty("facestream.models");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        String env = System.getenv("FACESTREAM_MODELS");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return WeightStore.defaultRoot().resolveSibling("models");
    }

    /** The folder a model id has under {@link #root()}, whether or not it is there. */
    public static Path folder(String modelId) {
        return root().resolve(safeName(modelId));
    }

    /** A model id as a folder name: characters other than letters, digits, '.', '_' and '-' become '_'. */
    public static String safeName(String modelId) {
        return modelId.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
