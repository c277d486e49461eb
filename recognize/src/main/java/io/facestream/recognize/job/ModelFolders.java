package io.facestream.recognize.job;

import io.facestream.core.event.ModelRecord;
import io.facestream.recognize.embed.EmbedderModel;
import io.facestream.recognize.embed.PublishedModels;
import io.facestream.recognize.embed.SavedModel;
import io.facestream.recognize.engine.FaceModel;
import io.facestream.recognize.weights.FileTrees;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Between a published model (a {@code models} record: the parameters inline or by URI, the threshold among its
 * metrics) and a saved model folder that {@link FaceModel#trained(Path)} opens. Published models are derivatives of
 * MobileFaceNet, the network the trainer fine-tunes.
 */
public final class ModelFolders {

    /** The metric that carries a model's own squared-L2 threshold. */
    public static final String THRESHOLD = "threshold";

    private ModelFolders() {
    }

    /**
     * The folder of {@code record} under {@code root} ({@code root/<model id>}), written on first use: the parameters
     * and a record naming the architecture, parent and threshold. Atomic, so concurrent subtasks of one machine
     * either write it once or find it whole.
     */
    public static Path materialise(ModelRecord record, Path root) throws IOException {
        Path dir = root.resolve(PublishedModels.safeName(record.modelId()));
        if (SavedModel.isSavedModel(dir)) {
            return dir;
        }
        Files.createDirectories(root);
        Path tmp = Files.createTempDirectory(root, "." + PublishedModels.safeName(record.modelId()) + "-");
        try {
            if (record.weights() != null) {
                Files.write(tmp.resolve(SavedModel.WEIGHTS), record.weights());
            } else {
                try (InputStream in = record.weightsUri().toURL().openStream()) {
                    Files.copy(in, tmp.resolve(SavedModel.WEIGHTS));
                }
            }
            SavedModel.writeHeader(tmp, new SavedModel.Header(record.modelId(), record.parentId(),
                    EmbedderModel.MOBILEFACENET.modelId(), record.metrics().get(THRESHOLD)));
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                if (!SavedModel.isSavedModel(dir)) {
                    throw e;
                }
            } catch (IOException e) {
                // another subtask moved its copy into place first
                if (!SavedModel.isSavedModel(dir)) {
                    throw e;
                }
            }
        } finally {
            FileTrees.deleteTree(tmp);
        }
        return dir;
    }

    /** The {@code models} record of a saved model folder, with the parameters inline and {@code metrics} added. */
    public static ModelRecord publishable(Path dir, Map<String, Double> metrics) throws IOException {
        SavedModel.Header h = SavedModel.readHeader(dir);
        Map<String, Double> all = new LinkedHashMap<>(metrics);
        if (h.threshold() != null) {
            all.put(THRESHOLD, h.threshold());
        }
        return new ModelRecord(h.id(), h.parent(), Files.readAllBytes(dir.resolve(SavedModel.WEIGHTS)), null, all);
    }
}
