package io.facestream.train.mining;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.loss.Loss;
import java.util.List;

/**
 * FaceNet's triplet loss with online semi-hard mining, as a DJL {@link Loss}: the predictions are the raw
 * network outputs (N, D), L2-normalised here so the gradient flows through the normalisation; the labels
 * are the identity of each face (N) and, optionally, a second array (N) that is non-zero where a label is
 * noisy and a third (N) with each face's group, whose faces are never each other's negatives (see
 * {@link SemiHardMiner}).
 *
 * <p>The value is the mean of {@code max(0, ‖a−p‖² − ‖a−n‖² + α)} over the selected triplets (one per
 * anchor-positive pair). Mining reads the distances without gradient; the loss is then recomputed on the
 * selected rows with gradient. The last batch's selection is kept for reporting ({@link #lastMining()}),
 * so one instance serves one trainer thread.
 */
public final class TripletLoss extends Loss {

    private static final float NORM_EPSILON = 1e-12f;

    private final SemiHardMiner miner;
    private volatile Mining last;

    /** A triplet loss selecting with {@code miner}. */
    public TripletLoss(SemiHardMiner miner) {
        super("TripletLoss");
        this.miner = miner;
    }

    /** The miner (and with it the margin). */
    public SemiHardMiner miner() {
        return miner;
    }

    /** The selection of the last {@link #evaluate} call, or null before the first. */
    public Mining lastMining() {
        return last;
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray raw = predictions.singletonOrThrow();
        NDArray e = normalise(raw);
        int n = (int) e.getShape().get(0);
        int dim = (int) e.getShape().get(1);
        float[] flat = e.toFloatArray();
        float[][] rows = new float[n][dim];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * dim, rows[i], 0, dim);
        }
        int[] ids = labels.get(0).toType(ai.djl.ndarray.types.DataType.INT32, false).toIntArray();
        boolean[] noisy = null;
        if (labels.size() > 1) {
            float[] f = labels.get(1).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
            noisy = new boolean[f.length];
            for (int i = 0; i < f.length; i++) {
                noisy[i] = f[i] != 0;
            }
        }
        int[] groups = labels.size() > 2 ? labels.get(2).toType(ai.djl.ndarray.types.DataType.INT32, false).toIntArray()
                : null;
        Mining mining = miner.mine(rows, ids, noisy, groups);
        last = mining;
        return lossOf(e, mining.triplets(), miner.alpha());
    }

    /** Rows divided by their L2 norm, differentiably. */
    public static NDArray normalise(NDArray x) {
        NDArray norm = x.square().sum(new int[] {1}, true).add(NORM_EPSILON).sqrt();
        return x.div(norm);
    }

    /**
     * The mean hinge loss of {@code triplets} on the unit rows {@code e}; a zero that still depends on
     * {@code e} when there are none, so a backward pass stays valid (and changes nothing).
     */
    static NDArray lossOf(NDArray e, List<Triplet> triplets, double alpha) {
        if (triplets.isEmpty()) {
            return e.sum().mul(0);
        }
        NDManager m = e.getManager();
        int t = triplets.size();
        long[] a = new long[t];
        long[] p = new long[t];
        long[] n = new long[t];
        for (int i = 0; i < t; i++) {
            a[i] = triplets.get(i).anchor();
            p[i] = triplets.get(i).positive();
            n[i] = triplets.get(i).negative();
        }
        NDArray ea = e.get(m.create(a));
        NDArray ep = e.get(m.create(p));
        NDArray en = e.get(m.create(n));
        NDArray dap = ea.sub(ep).square().sum(new int[] {1});
        NDArray dan = ea.sub(en).square().sum(new int[] {1});
        return dap.sub(dan).add((float) alpha).maximum(0).mean();
    }
}
