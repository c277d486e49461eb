package io.facestream.train.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.facestream.recognize.embed.SavedModel;
import io.facestream.recognize.embed.TrainableNetwork;
import io.facestream.recognize.weights.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Saves a network with its record into a folder that {@code evaluate --model DIR} opens. The folder is
 * built beside the destination and moved into place, so a reader never sees half a model.
 */
public final class ModelWriter {

    /** The JSON writer of records and logs. */
    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelWriter() {
    }

    /** Writes {@code net}'s parameters and {@code record} (its id derived from the parameters) to {@code dir}. */
    public static ModelRecord save(TrainableNetwork net, ModelRecord record, Path dir) throws IOException {
        Path parent = dir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, "." + dir.getFileName() + "-");
        try {
            String sha = net.saveWeights(tmp);
            ModelRecord withId = record.withId(record.architecture() + "-ft-" + sha.substring(0, 12));
            JSON.writeValue(tmp.resolve(SavedModel.RECORD).toFile(), withId);
            FileTrees.deleteTree(dir);
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            return withId;
        } finally {
            FileTrees.deleteTree(tmp);
        }
    }

    /** Reads a saved record. */
    public static ModelRecord read(Path dir) throws IOException {
        return JSON.readValue(dir.resolve(SavedModel.RECORD).toFile(), ModelRecord.class);
    }
}
