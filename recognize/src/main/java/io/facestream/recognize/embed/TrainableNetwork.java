package io.facestream.recognize.embed;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.facestream.core.Embedding;
import io.facestream.recognize.align.FaceCrop;
import io.facestream.recognize.weights.WeightStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * MobileFaceNet as a DJL {@link Model} whose parameters a {@code Trainer} may update, with the inference
 * between training steps (validation) on the very same parameters.
 *
 * <p>Not thread-safe: one trainer thread owns it. Its block is never folded for inference (see
 * {@link MobileFaceNetBlock#foldPreluSigns()}), so every forward reads the current parameters.
 */
public final class TrainableNetwork implements AutoCloseable {

    private static final EmbedderModel KIND = EmbedderModel.MOBILEFACENET;

    private final Model model;
    private final String id;

    private TrainableNetwork(Model model, String id) {
        this.model = model;
        this.id = id;
        model.getBlock().freezeParameters(false);
    }

    /** The public MobileFaceNet-192 weights (from the converted cache when present), ready to train. */
    public static TrainableNetwork fromPublicWeights(WeightStore store, Device device) {
        return new TrainableNetwork(ConvertedWeights.load(KIND, device, store, true), KIND.modelId());
    }

    /** A saved model folder (see {@link SavedModel}), ready to train further. */
    public static TrainableNetwork fromSaved(Path dir, Device device) throws IOException {
        SavedModel.Header h = SavedModel.readHeader(dir);
        return new TrainableNetwork(SavedModel.load(dir, h, device), h.id());
    }

    /** The saved model folder {@code savedDir}, or the public weights when it is null: where every training starts. */
    public static TrainableNetwork open(Path savedDir, WeightStore store, Device device) throws IOException {
        return savedDir == null ? fromPublicWeights(store, device) : fromSaved(savedDir, device);
    }

    /** Which parameters of the trained layers learn. */
    public enum Trained {
        /** Every parameter. */
        ALL,
        /**
         * The biases only (one per output channel): the convolution weights and PReLU slopes stay as they are, a shift
         * of each channel, a few thousand numbers in all, too few to learn a few dozen people's faces by heart.
         */
        BIASES,
        /**
         * The weights of the 1×1 convolutions only (the expansions and projections): the depthwise weights, the biases
         * and the PReLU slopes stay as published. The embedding moves most for a small change of those.
         */
        POINTWISE
    }

    /**
     * Freezes every layer before the one labelled {@code firstTrained} (e.g. {@code bneck5_expand}; null or the first
     * layer trains everything) and every layer after the one labelled {@code lastTrained} (null: none), so that only
     * the layers from one to the other, both included, train, and of those only the parameters {@code which} names.
     * The backward pass then stops at the first trained layer: on a CPU the early high-resolution layers cost most of
     * it, and with few training identities the generic low-level filters are the ones to keep.
     *
     * @return the number of layers left trainable
     */
    public int freezeOutside(String firstTrained, String lastTrained, Trained which) {
        List<Block> layers = model.getBlock().getChildren().values();
        boolean found = firstTrained == null;
        boolean past = false;
        int trainable = 0;
        List<String> labels = new java.util.ArrayList<>();
        for (Block layer : layers) {
            String label = layer instanceof ConvLayer c ? c.label() : layer.toString();
            labels.add(label);
            found |= label.equals(firstTrained);
            boolean trains = found && !past;
            layer.freezeParameters(!trains);
            if (trains && which == Trained.BIASES) {
                for (Parameter p : layer.getParameters().values()) {
                    p.freeze(p.getType() != Parameter.Type.BIAS);
                }
            } else if (trains && which == Trained.POINTWISE) {
                Parameter pointwise = layer instanceof ConvLayer c && c.pointwise() ? c.weightParameter() : null;
                for (Parameter p : layer.getParameters().values()) {
                    p.freeze(p != pointwise);
                }
            }
            trainable += trains ? 1 : 0;
            if (label.equals(lastTrained)) {
                if (!found) {
                    throw new IllegalArgumentException("the last trained layer '" + lastTrained
                            + "' comes before the first, '" + firstTrained + "'");
                }
                past = true;
            }
        }
        if (!found) {
            throw new IllegalArgumentException("MobileFaceNet has no layer '" + firstTrained + "'; its layers are " + labels);
        }
        if (lastTrained != null && !past) {
            throw new IllegalArgumentException("MobileFaceNet has no layer '" + lastTrained + "'; its layers are " + labels);
        }
        return trainable;
    }

    /** The model a trainer is made from. */
    public Model model() {
        return model;
    }

    /** The id of the model the parameters were loaded from. */
    public String loadedId() {
        return id;
    }

    /** The public architecture's id, {@code mobilefacenet-192}. */
    public String architecture() {
        return KIND.modelId();
    }

    /** Crop side length the network takes. */
    public int inputSize() {
        return KIND.inputSize();
    }

    /** Writes the network input for one 0..255 CHW crop at {@code offset} of {@code dst}, as inference does. */
    public void normalise(float[] chw, float[] dst, int offset) {
        KIND.normalise(chw, dst, offset);
    }

    /**
     * Unit embeddings of {@code crops} under the current parameters, in batches of {@code batch}: the
     * plain (unfolded) inference path with gradient recording switched off on this thread, so a
     * later training step starts from a clean graph.
     */
    public float[][] embed(List<FaceCrop> crops, int batch) {
        int size = KIND.inputSize();
        int per = 3 * size * size;
        int d = KIND.dimension();
        float[][] out = new float[crops.size()][];
        Engines.inferenceModeOnThisThread();
        for (int start = 0; start < crops.size(); start += batch) {
            List<FaceCrop> chunk = crops.subList(start, Math.min(crops.size(), start + batch));
            float[] input = new float[chunk.size() * per];
            for (int i = 0; i < chunk.size(); i++) {
                KIND.normalise(chunk.get(i).chw(), input, i * per);
            }
            try (NDManager scope = model.getNDManager().newSubManager()) {
                NDArray x = scope.create(input, new Shape(chunk.size(), 3, size, size));
                NDList y = model.getBlock().forward(new ParameterStore(scope, false), new NDList(x), false);
                float[] flat = y.head().toFloatArray();
                for (int i = 0; i < chunk.size(); i++) {
                    float[] row = new float[d];
                    System.arraycopy(flat, i * d, row, 0, d);
                    out[start + i] = Embedding.normalise(KIND.modelId(), row).values();
                }
            }
        }
        return out;
    }

    /** Writes the parameters into {@code dir}; returns their SHA-256 (see {@link SavedModel#writeWeights}). */
    public String saveWeights(Path dir) throws IOException {
        return SavedModel.writeWeights(model, dir);
    }

    /** Switches gradient recording off on the calling thread (PyTorch keeps the switch per thread). */
    public static void noGradientsOnThisThread() {
        Engines.inferenceModeOnThisThread();
    }

    @Override
    public void close() {
        model.close();
    }
}
