package io.facestream.recognize.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * PReLU with one slope per channel: {@code y = max(x, 0) + alpha[c] · min(x, 0)}.
 *
 * <p>DJL's {@code Prelu} block has a single scalar slope and {@code NDArray.prelu} is not implemented
 * on the PyTorch engine; {@code max(x, alpha·x)} would be wrong for slopes above 1, which MobileFaceNet
 * has. Works on {@code (N, C, ...)} inputs: convolution maps and fully connected outputs.
 */
public class PerChannelPrelu extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int channels;
    private final Parameter alpha;

    public PerChannelPrelu(int channels) {
        super(VERSION);
        this.channels = channels;
        this.alpha = addParameter(Parameter.builder()
                .setName("alpha")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(channels))
                .build());
    }

    /** The slope parameter, shape {@code (C)}. */
    public Parameter alpha() {
        return alpha;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray a = store.getValue(alpha, x.getDevice(), training);
        long[] shape = new long[(int) x.getShape().dimension() - 1];
        java.util.Arrays.fill(shape, 1);
        shape[0] = channels;
        // The reshape would otherwise live in the model's long-lived manager and leak on every call.
        NDArray slope = a.reshape(new Shape(shape));
        slope.attach(x.getManager());
        NDArray y = x.minimum(0).mul(slope).add(x.maximum(0));
        return new NDList(y);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    protected void initializeChildBlocks(ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {
        // no children
    }
}
