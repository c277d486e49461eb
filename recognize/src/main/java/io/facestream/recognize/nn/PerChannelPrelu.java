package io.facestream.recognize.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Arrays;

/**
 * PReLU with one slope per channel: {@code y = max(x, 0) + alpha[c] · min(x, 0)}.
 *
 * <p>DJL's {@code Prelu} block has a single scalar slope and {@code NDArray.prelu} is not implemented
 * on the PyTorch engine; {@code max(x, alpha·x)} would be wrong for slopes above 1, which MobileFaceNet
 * has. Works on {@code (N, C, ...)} inputs: convolution maps and fully connected outputs.
 *
 * <p>{@link #consumingInput(int, boolean)} makes a block for an input that nothing else reads afterwards
 * (a convolution's output): it computes the same bits with fewer memory passes and fewer fresh arrays,
 * which on MTCNN's large maps and R-Net batches cost more than the arithmetic.
 */
public class PerChannelPrelu extends AbstractBlock {

    private static final byte VERSION = 1;

    /** How the forward computes the same values. */
    private enum Form {
        /** {@code max(x, 0) + alpha · min(x, 0)}: four temporaries, input untouched. */
        PLAIN,
        /** The plain sum written into the input: one temporary. */
        IN_PLACE,
        /** {@code max(x, alpha · x)}, exact while every slope is at most 1; the input is freed. */
        MAX
    }

    private final int channels;
    private final Form form;
    private final Parameter alpha;

    /** A PReLU that leaves its input untouched. */
    public PerChannelPrelu(int channels) {
        this(channels, Form.PLAIN);
    }

    private PerChannelPrelu(int channels, Form form) {
        super(VERSION);
        this.channels = channels;
        this.form = form;
        this.alpha = addParameter(Parameter.builder()
                .setName("alpha")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(channels))
                .build());
    }

    /**
     * A PReLU that owns its input: it overwrites it with the result, or, when {@code slopesAtMostOne},
     * computes {@code max(x, alpha·x)} and frees it. The second form is exact only while every slope is at
     * most 1 (then {@code alpha·x} is above {@code x} exactly when {@code x < 0}, so the maximum is the very
     * value the plain form adds to zero), so it is for weights that are loaded once and never trained.
     */
    public static PerChannelPrelu consumingInput(int channels, boolean slopesAtMostOne) {
        return new PerChannelPrelu(channels, slopesAtMostOne ? Form.MAX : Form.IN_PLACE);
    }

    /** The slope parameter, shape {@code (C)}. */
    public Parameter alpha() {
        return alpha;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray a = store.getValue(alpha, x.getDevice(), training);
        if (form == Form.IN_PLACE) {
            applyInPlace(x, a, channels);
            return new NDList(x);
        }
        // The reshape would otherwise live in the model's long-lived manager and leak on every call.
        NDArray slope = a.reshape(slopeShape(x, channels));
        slope.attach(x.getManager());
        if (form == Form.MAX) {
            NDArray y;
            try (NDArray scaled = x.mul(slope)) {
                y = x.maximum(scaled);
            }
            x.close();
            return new NDList(y);
        }
        NDArray y = x.minimum(0).mul(slope).add(x.maximum(0));
        return new NDList(y);
    }

    /**
     * The PReLU of {@code x} (N, C, ...) as a new array, nothing overwritten: the form a gradient can flow
     * through ({@code max(x, 0) + alpha · min(x, 0)}). The reshaped slopes live in {@code x}'s manager.
     */
    public static NDArray apply(NDArray x, NDArray alpha, int channels) {
        NDArray slope = alpha.reshape(slopeShape(x, channels));
        slope.attach(x.getManager());
        return x.minimum(0).mul(slope).add(x.maximum(0));
    }

    /**
     * Overwrites {@code y} (N, C, ...) with its PReLU under the slopes {@code alpha} (C). Bit for bit the
     * plain form: {@code y − min(y, 0)} is exactly {@code max(y, 0)}, and the sum is the same sum.
     */
    public static void applyInPlace(NDArray y, NDArray alpha, int channels) {
        try (NDArray slope = alpha.reshape(slopeShape(y, channels)); NDArray neg = y.minimum(0)) {
            y.subi(neg);
            neg.muli(slope);
            y.addi(neg);
        }
    }

    /** (C, 1, 1, ...): the slopes broadcast over every axis after the channel axis. */
    private static Shape slopeShape(NDArray x, int channels) {
        long[] shape = new long[(int) x.getShape().dimension() - 1];
        Arrays.fill(shape, 1);
        shape[0] = channels;
        return new Shape(shape);
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
