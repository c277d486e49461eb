package io.facestream.recognize.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a TensorFlow.js weights manifest and its binary shards.
 *
 * <p>Tensors follow each other in manifest order, packed, little-endian, in the stored dtype
 * ({@code quantization.dtype} when present). {@code uint8} values are dequantised as
 * {@code q·scale + min} in double precision and rounded to float32, as tfjs does.
 */
public final class TfjsWeights {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TfjsWeights() {
    }

    /** Reads every tensor named in the manifest; the shard files are resolved next to it. */
    public static Map<String, Tensor> read(Path manifest) throws IOException {
        JsonNode groups = JSON.readTree(manifest.toFile());
        if (!groups.isArray()) {
            throw new IOException(manifest + " is not a tfjs weights manifest (expected a JSON list of groups)");
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Path dir = manifest.toAbsolutePath().getParent();
        for (JsonNode group : groups) {
            ByteArrayOutputStream concat = new ByteArrayOutputStream();
            for (JsonNode p : group.path("paths")) {
                concat.write(Files.readAllBytes(dir.resolve(p.asText())));
            }
            ByteBuffer buf = ByteBuffer.wrap(concat.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
            for (JsonNode w : group.path("weights")) {
                Tensor t = readTensor(w, buf, manifest);
                tensors.put(t.name(), t);
            }
            if (buf.hasRemaining()) {
                throw new IOException(manifest + ": " + buf.remaining() + " bytes left over after the last tensor;"
                        + " the shards do not match the manifest");
            }
        }
        return tensors;
    }

    private static Tensor readTensor(JsonNode w, ByteBuffer buf, Path manifest) throws IOException {
        String name = w.path("name").asText();
        JsonNode shapeNode = w.path("shape");
        int[] shape = new int[shapeNode.size()];
        int n = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asInt();
            n *= shape[i];
        }
        JsonNode q = w.get("quantization");
        String stored = q != null ? q.path("dtype").asText() : w.path("dtype").asText();
        float[] data = new float[n];
        int bytes = n * ("float32".equals(stored) ? 4 : "uint8".equals(stored) ? 1 : -1);
        if (bytes < 0) {
            throw new IOException(manifest + ": tensor " + name + " has unsupported stored dtype '" + stored + "'");
        }
        if (buf.remaining() < bytes) {
            throw new IOException(manifest + ": the shards end inside tensor " + name);
        }
        if ("float32".equals(stored)) {
            for (int i = 0; i < n; i++) {
                data[i] = buf.getFloat();
            }
        } else {
            double scale = q.path("scale").asDouble();
            double min = q.path("min").asDouble();
            for (int i = 0; i < n; i++) {
                data[i] = (float) ((buf.get() & 0xff) * scale + min);
            }
        }
        return new Tensor(name, shape, data);
    }
}
