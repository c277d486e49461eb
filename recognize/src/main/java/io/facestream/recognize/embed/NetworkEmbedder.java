package io.facestream.recognize.embed;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.facestream.core.Embedding;
import io.facestream.recognize.align.FaceCrop;
import io.facestream.recognize.nn.BatchCheck;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link FaceEmbedder} that runs one of the Java-defined networks directly through its block.
 *
 * <p>Thread-safe: the weights are loaded once and only read; every batch runs in its own NDManager,
 * which frees the batch's native memory when it closes, and switches autograd off on the calling thread
 * (PyTorch's grad mode is per thread, and DJL only switches it off on the thread that loaded the engine).
 */
final class NetworkEmbedder implements FaceEmbedder {

    private final EmbedderModel kind;
    /** The id carried by the embeddings: the public model's, or a trained derivative's. */
    private final String modelId;
    private final int maxBatch;
    private final Model model;
    private final Device device;
    private volatile boolean closed;

    NetworkEmbedder(EmbedderModel kind, EmbedderOptions options) {
        this(kind, kind.modelId(), options, ConvertedWeights.load(kind, options.resolvedDevice(), options.weights(),
                options.cacheConverted()));
    }

    /** An embedder of a model already loaded (a trained derivative of {@code kind}); takes ownership of it. */
    NetworkEmbedder(EmbedderModel kind, String modelId, EmbedderOptions options, Model model) {
        this.kind = kind;
        this.modelId = modelId;
        this.maxBatch = options.maxBatch();
        this.device = options.resolvedDevice();
        this.model = model;
        try {
            kind.prepareForInference(model.getBlock());
            // Faces are embedded in batches: a network that computes batches wrong would misjudge them silently.
            Engines.inferenceModeOnThisThread();
            BatchCheck.require(model.getBlock(), new Shape(1, 3, kind.inputSize(), kind.inputSize()), modelId,
                    () -> model.getNDManager().newSubManager(device));
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    @Override
    public String modelId() {
        return modelId;
    }

    @Override
    public int inputSize() {
        return kind.inputSize();
    }

    @Override
    public int dimension() {
        return kind.dimension();
    }

    @Override
    public List<Embedding> embed(List<FaceCrop> crops) {
        float[][] raw = embedRaw(crops);
        List<Embedding> out = new ArrayList<>(raw.length);
        for (float[] r : raw) {
            out.add(Embedding.normalise(modelId, r));
        }
        return out;
    }

    @Override
    public float[][] embedRaw(List<FaceCrop> crops) {
        if (closed) {
            throw new IllegalStateException("the " + modelId + " embedder is closed");
        }
        int size = kind.inputSize();
        for (int i = 0; i < crops.size(); i++) {
            if (crops.get(i).size() != size) {
                throw new IllegalArgumentException(modelId + " takes " + size + "×" + size + " crops, but crop "
                        + i + " is " + crops.get(i).size() + "×" + crops.get(i).size());
            }
        }
        float[][] out = new float[crops.size()][];
        for (int start = 0; start < crops.size(); start += maxBatch) {
            List<FaceCrop> chunk = crops.subList(start, Math.min(crops.size(), start + maxBatch));
            float[] flat = forward(chunk);
            int d = kind.dimension();
            for (int i = 0; i < chunk.size(); i++) {
                float[] row = new float[d];
                System.arraycopy(flat, i * d, row, 0, d);
                out[start + i] = row;
            }
        }
        return out;
    }

    private float[] forward(List<FaceCrop> chunk) {
        int size = kind.inputSize();
        int per = 3 * size * size;
        float[] input = new float[chunk.size() * per];
        for (int i = 0; i < chunk.size(); i++) {
            kind.normalise(chunk.get(i).chw(), input, i * per);
        }
        Engines.inferenceModeOnThisThread();
        try (NDManager scope = model.getNDManager().newSubManager(device)) {
            NDArray x = scope.create(input, new Shape(chunk.size(), 3, size, size));
            NDList y = model.getBlock().forward(new ParameterStore(scope, false), new NDList(x), false);
            return y.head().toFloatArray();
        }
    }

    @Override
    public void close() {
        closed = true;
        model.close();
    }

    @Override
    public String toString() {
        return "FaceEmbedder[" + modelId + " on " + device + ", batches of " + maxBatch + "]";
    }
}
