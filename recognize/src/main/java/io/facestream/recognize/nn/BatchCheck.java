package io.facestream.recognize.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;

/**
 * A check, run once when a network is loaded, that it gives a batch what it gives each input of the batch alone.
 * A network that fails it would give wrong values whenever it runs on a batch, which is silent: on one CPU
 * libtorch's convolution miscomputed batches over some channel counts and MTCNN then missed faces at random
 * (README, Speed). Fixed random inputs, a batch of {@value #BATCH}; each output compared element by element.
 */
public final class BatchCheck {

    /** Inputs in the checked batch. */
    static final int BATCH = 3;

    /** Largest difference allowed between an output in the batch and alone (the sums run in another order). */
    static final double TOLERANCE = 1e-3;

    private BatchCheck() {
    }

    /**
     * Throws when {@code block} gives a batch other values than each input alone; {@code one} is the shape of one
     * input, batch axis first ({@code 1×C×H×W}), {@code name} names the network in the message.
     */
    public static void require(Block block, Shape one, String name) {
        require(block, one, name, NDManager::newBaseManager);
    }

    /** As above, with the arrays in a manager of {@code scope} (the network's device). */
    public static void require(Block block, Shape one, String name, Supplier<NDManager> scope) {
        double d = largestDifference(block, one, scope);
        if (!(d <= TOLERANCE)) {
            throw new IllegalStateException(String.format(Locale.ROOT, "%s gives a batch of %d other values than each"
                    + " input alone (largest difference %s): libtorch's kernels compute wrong values on this machine,"
                    + " so faces would be missed or misjudged at random. It was seen with convolutions over channel"
                    + " counts that are not multiples of 16 (README, Speed); please report this message with the CPU"
                    + " (lscpu) and the libtorch version. On an NVIDIA GPU, TF32 arithmetic (cuDNN's default from"
                    + " Ampere on) gives differences of about 1e-3: set NVIDIA_TF32_OVERRIDE=0, as the facestream"
                    + " launcher does.", name, BATCH, Double.isNaN(d) ? "NaN" : String.format(
                    Locale.ROOT, "%.3g", d)));
        }
    }

    /** The largest difference between an output element in the batch and the same element alone; NaN for NaN. */
    static double largestDifference(Block block, Shape one) {
        return largestDifference(block, one, NDManager::newBaseManager);
    }

    private static double largestDifference(Block block, Shape one, Supplier<NDManager> scope) {
        if (one.dimension() < 2 || one.get(0) != 1) {
            throw new IllegalArgumentException("the shape of one input has batch size 1 first, not " + one);
        }
        int per = (int) one.size();
        float[] in = new float[BATCH * per];
        Random random = new Random(1);
        for (int i = 0; i < in.length; i++) {
            in[i] = random.nextFloat() * 2 - 1;
        }
        long[] batchShape = one.getShape().clone();
        batchShape[0] = BATCH;
        double worst = 0;
        try (NDManager m = scope.get()) {
            ParameterStore ps = new ParameterStore(m, false);
            NDList batch = block.forward(ps, new NDList(m.create(in, new Shape(batchShape))), false);
            for (int i = 0; i < BATCH; i++) {
                NDList alone = block.forward(ps, new NDList(m.create(Arrays.copyOfRange(in, i * per, (i + 1) * per),
                        one)), false);
                for (int o = 0; o < alone.size(); o++) {
                    float[] a = alone.get(o).toFloatArray();
                    float[] b = batch.get(o).toFloatArray();
                    for (int k = 0; k < a.length; k++) {
                        double d = Math.abs(a[k] - b[i * a.length + k]);
                        if (Double.isNaN(d)) {
                            return Double.NaN;
                        }
                        worst = Math.max(worst, d);
                    }
                }
            }
        }
        return worst;
    }
}
