package io.facestream.recognize.embed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.facestream.recognize.nn.PerChannelPrelu;
import io.facestream.recognize.weights.Tensor;
import java.util.Arrays;

/**
 * One convolution with explicit (possibly asymmetric) zero padding, a bias and an optional activation:
 * the unit both embedders are made of.
 *
 * <p>TF "SAME" pads of stride-2 layers are asymmetric (bottom/right only) while PyTorch pads
 * symmetrically, so asymmetric pads are applied with {@code NDArray.pad} and the convolution then
 * runs with padding 0. Depthwise layers are grouped convolutions with {@code groups = channels}.
 */
final class ConvLayer extends AbstractBlock {

    private static final byte VERSION = 1;

    /** What follows the convolution. */
    enum Act { NONE, RELU, PRELU }

    private final String label;
    private final int inChannels;
    private final int outChannels;
    private final int kernel;
    private final int stride;
    private final int groups;
    /** top, bottom, left, right. */
    private final int[] pads;
    private final Act act;
    private final Parameter weight;
    private final Parameter bias;
    private final PerChannelPrelu prelu;
    /** Inference weights with channel signs folded in (see {@link #foldSigns}); null until folded. */
    private volatile Folded folded;

    /**
     * The weight and bias with output channel c multiplied by {@code out[c]} and input channel c by
     * {@code in[c]}, and the PReLU slopes shaped for broadcasting.
     */
    private record Folded(NDArray weight, NDArray bias, NDArray slope) {
    }

    ConvLayer(String label, int inChannels, int outChannels, int kernel, int stride, int groups, int[] pads, Act act) {
        super(VERSION);
        if (inChannels % groups != 0 || outChannels % groups != 0 || pads.length != 4) {
            throw new IllegalArgumentException("layer " + label + ": " + inChannels + "→" + outChannels
                    + " channels in " + groups + " groups with pads " + Arrays.toString(pads) + " is not a valid convolution");
        }
        this.label = label;
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.groups = groups;
        this.pads = pads.clone();
        this.act = act;
        // No shapes here: the arrays come from a weight import (setArray) or from a saved .params file.
        this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optRequiresGrad(false).build());
        this.bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                .optRequiresGrad(false).build());
        this.prelu = act == Act.PRELU ? addChildBlock("prelu", new PerChannelPrelu(outChannels)) : null;
    }

    /** TF "SAME" pads (top, bottom, left, right) for a square input: the extra pixel goes bottom/right. */
    static int[] samePads(int in, int kernel, int stride) {
        int out = (in + stride - 1) / stride;
        int total = Math.max((out - 1) * stride + kernel - in, 0);
        int before = total / 2;
        return new int[] {before, total - before, before, total - before};
    }

    /** Output side length for a square input of side {@code in}. */
    int outputSize(int in) {
        return (in + pads[0] + pads[1] - kernel) / stride + 1;
    }

    /** Whether this is a 1×1 convolution over all input channels (an expansion or a projection). */
    boolean pointwise() {
        return kernel == 1 && groups == 1;
    }

    /** The convolution's weight parameter. */
    Parameter weightParameter() {
        return weight;
    }

    String label() {
        return label;
    }

    int outChannels() {
        return outChannels;
    }

    Act activation() {
        return act;
    }

    /**
     * Sets the converted weights: {@code oihw} is (O, I/groups, K, K), {@code bias} (O), and
     * {@code alpha} the PReLU slopes (O), required exactly when the layer has a PReLU.
     */
    void setWeights(NDManager manager, Tensor oihw, float[] biasValues, float[] alpha) {
        int[] want = {outChannels, inChannels / groups, kernel, kernel};
        if (!Arrays.equals(oihw.shape(), want)) {
            throw new IllegalArgumentException("layer " + label + " expects a kernel of shape " + Arrays.toString(want)
                    + " but " + oihw.name() + " has shape " + Arrays.toString(oihw.shape()));
        }
        if (biasValues.length != outChannels) {
            throw new IllegalArgumentException("layer " + label + " expects " + outChannels + " biases, got " + biasValues.length);
        }
        if ((alpha != null) != (prelu != null) || (alpha != null && alpha.length != outChannels)) {
            throw new IllegalArgumentException("layer " + label + " (" + act + ") got "
                    + (alpha == null ? "no" : alpha.length) + " PReLU slopes");
        }
        weight.setArray(manager.create(oihw.data(), new Shape(oihw.shapeAsLongs())));
        bias.setArray(manager.create(biasValues, new Shape(outChannels)));
        if (prelu != null) {
            Parameter a = prelu.alpha();
            a.setInitializer((m, shape, type) -> m.create(alpha, shape));
            a.initialize(manager, DataType.FLOAT32);
            a.getArray().setRequiresGradient(false);
        }
    }

    /**
     * The layer for a training forward: every op records its gradient and nothing is done in place, since
     * autograd keeps the inputs of {@code minimum} and {@code mul} for the backward pass. Reads the weights
     * through {@code store} with {@code training} set, so a trainer's store hands out its own arrays.
     */
    NDArray applyTrainable(ParameterStore store, NDArray x) {
        NDArray y = convolve(x, store.getValue(weight, x.getDevice(), true), store.getValue(bias, x.getDevice(), true),
                false);
        return switch (act) {
            case RELU -> Activation.relu(y);
            case PRELU -> PerChannelPrelu.apply(y, store.getValue(prelu.alpha(), y.getDevice(), true), outChannels);
            default -> y;
        };
    }

    /** Runs the layer on {@code x}; the caller keeps ownership of {@code x}. */
    NDArray apply(ParameterStore store, NDArray x) {
        NDArray y = convolve(x, store.getValue(weight, x.getDevice(), false), store.getValue(bias, x.getDevice(), false),
                true);
        return activate(store, y);
    }

    /** The convolution; {@code freePadded}: close the padded copy at once (not while a backward may read it). */
    private NDArray convolve(NDArray x, NDArray w, NDArray b, boolean freePadded) {
        boolean symmetric = pads[0] == pads[1] && pads[2] == pads[3];
        NDArray in = symmetric ? x : x.pad(new Shape(pads[2], pads[3], pads[0], pads[1]), 0);
        Shape padding = symmetric ? new Shape(pads[0], pads[2]) : new Shape(0, 0);
        NDArray y = Conv2d.conv2d(in, w, b, new Shape(stride, stride), padding, new Shape(1, 1), groups).head();
        if (in != x && freePadded) {
            in.close();
        }
        return y;
    }

    /**
     * Output channel signs that turn this layer's PReLU into one maximum: −1 where the slope is above 1,
     * else 1; null when the layer has no PReLU. For a slope of at most 1 the PReLU is {@code max(y, a·y)};
     * for a larger one it is {@code min(y, a·y) = −max(−y, a·(−y))}, so negating the channel's output
     * (weights and bias) gives the negated PReLU as the same maximum, and the next layer undoes the sign
     * by negating its input channel. Products and sums only change sign, so every value is bit for bit
     * the one of the plain path, or its exact negation until the next layer.
     */
    float[] preluSigns() {
        if (prelu == null) {
            return null;
        }
        float[] a = prelu.alpha().getArray().toFloatArray();
        float[] signs = new float[a.length];
        for (int c = 0; c < a.length; c++) {
            signs[c] = a[c] > 1 ? -1f : 1f;
        }
        return signs;
    }

    /**
     * Prepares {@link #applyFolded}: the weights with input channel c negated where {@code in[c]} is −1 (the
     * producing layer's {@link #preluSigns()}; null: none) and output channel c where {@code out[c]} is
     * −1 (this layer's own signs; null: none). The copies live with the weights and are only read.
     */
    void foldSigns(float[] in, float[] out) {
        if ((out == null) != (prelu == null)) {
            throw new IllegalArgumentException("layer " + label + " (" + act + ") takes output signs exactly when it"
                    + " has a PReLU");
        }
        NDArray w = weight.getArray();
        NDManager manager = w.getManager();
        int perGroupIn = inChannels / groups;
        int perGroupOut = outChannels / groups;
        float[] scale = new float[outChannels * perGroupIn];
        for (int o = 0; o < outChannels; o++) {
            for (int i = 0; i < perGroupIn; i++) {
                int inChannel = o / perGroupOut * perGroupIn + i;
                scale[o * perGroupIn + i] = (out == null ? 1f : out[o]) * (in == null ? 1f : in[inChannel]);
            }
        }
        float[] biasScale = out == null ? new float[outChannels] : out;
        if (out == null) {
            Arrays.fill(biasScale, 1f);
        }
        try (NDArray ws = manager.create(scale, new Shape(outChannels, perGroupIn, 1, 1));
                NDArray bs = manager.create(biasScale, new Shape(outChannels))) {
            NDArray slope = prelu == null ? null : prelu.alpha().getArray().reshape(outChannels, 1, 1);
            folded = new Folded(w.mul(ws), bias.getArray().mul(bs), slope);
        }
    }

    /**
     * The layer with the folded weights of {@link #foldSigns}, its PReLU as {@code max(y, a·y)}: the plain
     * layer's output with each channel multiplied by this layer's sign. Frees nothing it did not make.
     */
    NDArray applyFolded(NDArray x) {
        Folded f = folded;
        if (f == null) {
            throw new IllegalStateException("layer " + label + " has no folded weights; call foldSigns first");
        }
        NDArray y = convolve(x, f.weight(), f.bias(), true);
        switch (act) {
            case RELU -> {
                NDArray r = Activation.relu(y);
                y.close();
                return r;
            }
            case PRELU -> {
                NDArray r;
                try (NDArray scaled = y.mul(f.slope())) {
                    r = y.maximum(scaled);
                }
                y.close();
                return r;
            }
            default -> {
                return y;
            }
        }
    }

    private NDArray activate(ParameterStore store, NDArray y) {
        switch (act) {
            case RELU -> {
                NDArray r = Activation.relu(y);
                y.close();
                y = r;
            }
            case PRELU -> preluInPlace(store, y);
            default -> { }
        }
        return y;
    }

    /**
     * PReLU with the slopes of the {@link PerChannelPrelu} child, computed in place on the convolution
     * output this layer owns: one temporary instead of four, which matters at batch 32 (tens of MB per map).
     */
    private void preluInPlace(ParameterStore store, NDArray y) {
        PerChannelPrelu.applyInPlace(y, store.getValue(prelu.alpha(), y.getDevice(), false), outChannels);
    }

    /** Mean over H and W of an (N, C, H, W) map, as (N, C); PyTorch's DJL mean takes one axis at a time. */
    static NDArray spatialMean(NDArray x) {
        Shape s = x.getShape();
        try (NDArray flat = x.reshape(s.get(0), s.get(1), s.get(2) * s.get(3))) {
            return flat.mean(new int[] {2});
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        return new NDList(training ? applyTrainable(store, x) : apply(store, x));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        long h = (s.get(2) + pads[0] + pads[1] - kernel) / stride + 1;
        long w = (s.get(3) + pads[2] + pads[3] - kernel) / stride + 1;
        return new Shape[] {new Shape(s.get(0), outChannels, h, w)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // The parameters are already set; this only records shapes, which DJL's .params format stores.
        if (prelu != null) {
            prelu.initialize(manager, dataType, getOutputShapes(inputShapes));
        }
    }

    @Override
    public String toString() {
        return "ConvLayer[" + label + " " + inChannels + "→" + outChannels + " k" + kernel + "/" + stride
                + (groups > 1 ? " dw" : "") + " pad" + Arrays.toString(pads) + " " + act + "]";
    }
}
