package io.facestream.recognize.detect;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Per-channel PReLU followed by {@link CeilMaxPool}, for an input nothing else reads (it is freed), with
 * two passes over the large map instead of four.
 *
 * <p>With {@code lo = min(alpha, 1)} and {@code hi = max(alpha, 1)} per channel it computes
 * {@code min(q, hi·q)} on {@code q = pool(max(x, lo·x))}. A channel with a slope of at most 1 gets its
 * PReLU as {@code max(x, alpha·x)} and then {@code min(q, q) = q}. A channel with a slope above 1 gets
 * {@code max(x, x) = x}, and since such a PReLU never decreases, the pool's maximum of the PReLU values
 * is the PReLU of the pool's maximum, {@code min(q, alpha·q)}. Each value is therefore the very element
 * or product the plain PReLU-then-pool gives: the same bits.
 */
final class PreluCeilMaxPool extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int channels;
    private final CeilMaxPool pool;
    private final Parameter low;
    private final Parameter high;

    PreluCeilMaxPool(int channels, int kernel, int stride) {
        super(VERSION);
        this.channels = channels;
        this.pool = new CeilMaxPool(kernel, stride);
        this.low = addParameter(Parameter.builder().setName("lowSlope").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(channels, 1, 1)).build());
        this.high = addParameter(Parameter.builder().setName("highSlope").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(channels, 1, 1)).build());
    }

    /** The slopes {@code min(alpha, 1)} the first pass uses, shape (C, 1, 1). */
    Parameter lowSlope() {
        return low;
    }

    /** The slopes {@code max(alpha, 1)} the last pass uses, shape (C, 1, 1). */
    Parameter highSlope() {
        return high;
    }

    /** {@code min(alpha, 1)} and {@code max(alpha, 1)} of the PReLU slopes. */
    static float[][] split(float[] alpha) {
        float[] lo = new float[alpha.length];
        float[] hi = new float[alpha.length];
        for (int c = 0; c < alpha.length; c++) {
            lo[c] = Math.min(alpha[c], 1f);
            hi[c] = Math.max(alpha[c], 1f);
        }
        return new float[][] {lo, hi};
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray lo = ps.getValue(low, x.getDevice(), training);
        NDArray hi = ps.getValue(high, x.getDevice(), training);
        NDArray y;
        try (NDArray scaled = x.mul(lo)) {
            y = x.maximum(scaled);
        }
        x.close();
        NDArray q = pool.forward(ps, new NDList(y), training).singletonOrThrow();
        y.close();
        NDArray out;
        try (NDArray scaled = q.mul(hi)) {
            out = q.minimum(scaled);
        }
        q.close();
        return new NDList(out);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return pool.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // the pool has no parameters
    }

    @Override
    public String toString() {
        return "PreluCeilMaxPool[" + channels + " channels, " + pool + "]";
    }
}
