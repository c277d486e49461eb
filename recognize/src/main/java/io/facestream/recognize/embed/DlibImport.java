package io.facestream.recognize.embed;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.facestream.recognize.weights.Tensor;
import java.util.Arrays;
import java.util.Map;

/**
 * Fills a {@link DlibResNetBlock} from the @vladmandic/face-api tfjs weights.
 *
 * <p>Each layer stores an HWIO kernel, a bias and an affine "scale" ({@code y = (conv + b)·s + t}).
 * The scale is folded into the kernel and bias once here ({@code W·s}, {@code b·s + t}), which
 * changes only rounding and saves a multiply and an add over every activation. No spatial swap:
 * this net runs on normal-orientation images.
 */
final class DlibImport {

    private DlibImport() {
    }

    /** Sets every parameter of {@code block} from the dequantised manifest tensors. */
    static void load(Map<String, Tensor> weights, DlibResNetBlock block, NDManager manager) {
        setLayer(weights, block.stem(), "conv32_down/", manager);
        for (DlibResNetBlock.Unit u : block.units()) {
            setLayer(weights, u.conv1(), u.name() + "/conv1/", manager);
            setLayer(weights, u.conv2(), u.name() + "/conv2/", manager);
        }
        Tensor fc = require(weights, "fc");
        int features = DlibResNetBlock.features();
        if (!Arrays.equals(fc.shape(), new int[] {features, DlibResNetBlock.EMBEDDING_SIZE})) {
            throw new IllegalArgumentException("dlib fc should be [" + features + ", 128], got " + Arrays.toString(fc.shape()));
        }
        block.fc().setArray(manager.create(fc.data(), new Shape(fc.shapeAsLongs())));
    }

    private static void setLayer(Map<String, Tensor> weights, ConvLayer layer, String prefix, NDManager manager) {
        Tensor kernel = require(weights, prefix + "conv/filters").transpose(3, 2, 0, 1);
        float[] bias = require(weights, prefix + "conv/bias").data();
        float[] scale = require(weights, prefix + "scale/weights").data();
        float[] shift = require(weights, prefix + "scale/biases").data();
        int out = kernel.shape()[0];
        if (bias.length != out || scale.length != out || shift.length != out) {
            throw new IllegalArgumentException(prefix + " has " + out + " filters but " + bias.length + " biases, "
                    + scale.length + " scales and " + shift.length + " shifts");
        }
        float[] w = kernel.data().clone();
        int per = w.length / out;
        float[] b = new float[out];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < per; i++) {
                w[o * per + i] = (float) ((double) w[o * per + i] * scale[o]);
            }
            b[o] = (float) ((double) bias[o] * scale[o] + shift[o]);
        }
        layer.setWeights(manager, new Tensor(kernel.name(), kernel.shape(), w), b, null);
    }

    private static Tensor require(Map<String, Tensor> weights, String name) {
        Tensor t = weights.get(name);
        if (t == null) {
            throw new IllegalArgumentException("the dlib weights have no tensor '" + name
                    + "'; is the manifest the @vladmandic/face-api face_recognition_model one?");
        }
        return t;
    }
}
