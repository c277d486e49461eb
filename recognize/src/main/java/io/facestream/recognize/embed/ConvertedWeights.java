package io.facestream.recognize.embed;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.facestream.recognize.nn.TorchLogLevel;
import io.facestream.recognize.weights.FileTrees;
import io.facestream.recognize.weights.WeightStore;
import io.facestream.recognize.weights.WeightsUnavailableException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds an embedder's DJL model: from the converted {@code .params} cache when present, otherwise by
 * converting the original weight files (and then filling the cache).
 *
 * <p>The cache lives at {@code <weight store>/djl/<model id>-v<FORMAT>/<model id>-0000.params}. The
 * source files are pinned by digest, so only a change of this code's conversion can make a cached file
 * stale; {@link #FORMAT} is bumped when it does.
 */
public final class ConvertedWeights {

    /** Version of the conversion (layer order, folding, parameter layout); part of the cache folder name. */
    static final int FORMAT = 1;

    private static final Logger LOG = LoggerFactory.getLogger(ConvertedWeights.class);
    private static final String ENGINE = "PyTorch";

    private ConvertedWeights() {
    }

    /** The folder holding the converted parameters of {@code kind} in {@code store}. */
    public static Path cacheFolder(WeightStore store, EmbedderModel kind) {
        return store.root().resolve("djl").resolve(kind.modelId() + "-v" + FORMAT);
    }

    /** A model of {@code kind} on {@code device} with its weights set, from the cache if allowed and present. */
    static Model load(EmbedderModel kind, Device device, WeightStore store, boolean useCache) {
        TorchLogLevel.apply();
        Path dir = cacheFolder(store, kind);
        if (useCache && Files.isRegularFile(dir.resolve(kind.modelId() + "-0000.params"))) {
            Model model = Model.newInstance(kind.modelId(), device, ENGINE);
            try {
                model.setBlock(kind.newBlock());
                model.load(dir, kind.modelId());
                return model;
            } catch (IOException | MalformedModelException | RuntimeException e) {
                model.close();
                LOG.warn("Ignoring the converted {} weights in {} ({}); converting the original files again",
                        kind.modelId(), dir, e.getMessage() != null ? e.getMessage() : e.toString());
                try {
                    FileTrees.deleteTree(dir);
                } catch (IOException ignored) {
                    // the save below reports why the folder cannot be replaced
                }
            }
        }
        Model model = convert(kind, device, store);
        if (useCache) {
            try {
                save(model, dir);
            } catch (IOException | UncheckedIOException e) {
                LOG.warn("Could not cache the converted {} weights in {} ({}); later starts will convert again",
                        kind.modelId(), dir, e.getMessage());
            }
        }
        return model;
    }

    /** A model of {@code kind} on {@code device} converted from the original packaged files. */
    static Model convert(EmbedderModel kind, Device device, WeightStore store) {
        TorchLogLevel.apply();
        Model model = Model.newInstance(kind.modelId(), device, ENGINE);
        try {
            model.setBlock(kind.newBlock());
            kind.importWeights(model.getBlock(), model.getNDManager(), store);
            // records the input shapes, which DJL needs before it can save the parameters
            model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32,
                    new Shape(1, 3, kind.inputSize(), kind.inputSize()));
            return model;
        } catch (IOException e) {
            model.close();
            throw new WeightsUnavailableException("Could not read the " + kind.modelId() + " weights from "
                    + store.root() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** Saves {@code model}'s parameters into {@code dir} atomically (a partial file is never visible). */
    static void save(Model model, Path dir) throws IOException {
        Files.createDirectories(dir.getParent());
        Path tmp = Files.createTempDirectory(dir.getParent(), "." + dir.getFileName() + "-");
        try {
            model.save(tmp, model.getName());
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (!Files.isDirectory(dir)) {
                    throw e;
                }
                // another process filled the cache first; its copy is equivalent
            }
        } finally {
            FileTrees.deleteTree(tmp);
        }
    }
}
