package io.facestream.recognize.embed;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.facestream.recognize.nn.TorchLogLevel;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A trained embedder on disk: a folder with the network's parameters in DJL's {@code .params} layout
 * ({@value #WEIGHTS}) and its record ({@value #RECORD}: id, parent, architecture, optional threshold,
 * and whatever figures the trainer adds, which this class ignores).
 */
public final class SavedModel {

    /** The parameters file inside a saved model folder. */
    public static final String WEIGHTS = "weights.params";
    /** The record inside a saved model folder. */
    public static final String RECORD = "model.json";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ENGINE = "PyTorch";

    private SavedModel() {
    }

    /**
     * What inference needs from {@value #RECORD}.
     *
     * @param id the model id every embedding of this model carries
     * @param parent the id of the model it was trained from
     * @param architecture the public model whose structure it has ({@code mobilefacenet-192})
     * @param threshold a squared-L2 verification threshold chosen on held-out data, or null: use the parent's
     */
    public record Header(String id, String parent, String architecture, Double threshold) {

        public Header {
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("a saved model needs an id");
            }
            if (threshold != null && !(threshold > 0 && threshold <= 4)) {
                throw new IllegalArgumentException("threshold of model " + id + " must be in (0, 4], was " + threshold);
            }
        }

        /** The public network this model is a derivative of. */
        public EmbedderModel kind() {
            return EmbedderModel.byId(architecture);
        }
    }

    /** Whether {@code dir} looks like a saved model folder (it has a record). */
    public static boolean isSavedModel(Path dir) {
        return Files.isDirectory(dir) && Files.isRegularFile(dir.resolve(RECORD));
    }

    /** Reads the record of the saved model in {@code dir}; the error says what is missing. */
    public static Header readHeader(Path dir) throws IOException {
        Path record = dir.resolve(RECORD);
        if (!Files.isRegularFile(record)) {
            throw new IOException(dir + " is not a saved model: it has no " + RECORD);
        }
        JsonNode n = JSON.readTree(record.toFile());
        String architecture = text(n, "architecture", record);
        if (!architecture.equals(EmbedderModel.MOBILEFACENET.modelId())) {
            throw new IOException(record + " names architecture '" + architecture + "'; only derivatives of "
                    + EmbedderModel.MOBILEFACENET.modelId() + " can be opened");
        }
        JsonNode t = n.get("threshold");
        Double threshold = t == null || t.isNull() ? null : t.asDouble();
        try {
            return new Header(text(n, "id", record), n.path("parent").asText(null), architecture, threshold);
        } catch (IllegalArgumentException e) {
            throw new IOException(record + ": " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode n, String field, Path record) throws IOException {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new IOException(record + " has no \"" + field + "\"");
        }
        return v.asText();
    }

    /**
     * Writes {@code header} as the folder's {@value #RECORD} (id, parent, architecture and, when set, threshold):
     * what a folder needs besides its parameters to be opened. The trainer writes a fuller record.
     */
    public static void writeHeader(Path dir, Header header) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", header.id());
        n.put("parent", header.parent());
        n.put("architecture", header.architecture());
        if (header.threshold() != null) {
            n.put("threshold", header.threshold());
        }
        Files.createDirectories(dir);
        JSON.writeValue(dir.resolve(RECORD).toFile(), n);
    }

    /**
     * Writes {@code model}'s parameters to {@code dir}/{@value #WEIGHTS} and returns the file's SHA-256 in
     * hex, from which a content-derived model id can be made.
     */
    public static String writeWeights(Model model, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(WEIGHTS);
        Path tmp = Files.createTempFile(dir, ".weights-", ".tmp");
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
        try (OutputStream os = Files.newOutputStream(tmp);
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new DigestOutputStream(os, sha)))) {
            model.getBlock().saveParameters(out);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return HexFormat.of().formatHex(sha.digest());
    }

    /** A model of the folder's architecture on {@code device} with the folder's parameters. */
    static Model load(Path dir, Header header, Device device) throws IOException {
        EmbedderModel kind = header.kind();
        Path file = dir.resolve(WEIGHTS);
        if (!Files.isRegularFile(file)) {
            throw new IOException(dir + " has a " + RECORD + " but no " + WEIGHTS);
        }
        TorchLogLevel.apply();
        Model model = Model.newInstance(header.id(), device, ENGINE);
        try (InputStream is = Files.newInputStream(file);
                DataInputStream in = new DataInputStream(new BufferedInputStream(is))) {
            model.setBlock(kind.newBlock());
            model.getBlock().loadParameters(model.getNDManager(), in);
            return model;
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new IOException("could not read the parameters in " + file + ": " + e.getMessage(), e);
        }
    }
}
