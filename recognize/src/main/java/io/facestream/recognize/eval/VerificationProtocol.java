package io.facestream.recognize.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The LFW verification protocol of facenet's {@code lfw.evaluate} ({@code calculate_roc},
 * {@code calculate_val}): per held-out fold, the accuracy-maximising threshold and the threshold
 * reaching the target FAR are chosen on the other folds, then measured on the held-out one.
 *
 * <p>Decision rule, as facenet's {@code np.less}: a pair is predicted "same" when its distance is
 * strictly below the threshold, so a pair exactly at the threshold counts as "different".
 * Distances are squared L2 between unit embeddings (0..4), smaller meaning more similar, but any
 * "smaller is closer" score works with {@link ThresholdSearch#EXACT}.
 */
public final class VerificationProtocol {

    /** FAR at which VAL is reported, 1e-3 as in facenet's lfw.evaluate. */
    public static final double FAR_TARGET = 1e-3;

    /** How candidate thresholds are searched on the training folds. */
    public enum ThresholdSearch {
        /**
         * Every distinct training distance (default). Accuracy: the midpoint between the two distances
         * around the best cut. VAL: the largest threshold whose training FAR is at most the target,
         * which is where facenet's interpolated grid converges as its step goes to zero.
         */
        EXACT,
        /**
         * facenet's grids verbatim, to reproduce its figures: {@code np.arange(0, 4, 0.01)} for
         * accuracy and {@code np.arange(0, 4, 0.001)} with slinear interpolation of FAR for VAL.
         */
        FACENET_GRID
    }

    // facenet lfw.evaluate: thresholds = np.arange(0, 4, 0.01) for the ROC, np.arange(0, 4, 0.001) for VAL.
    private static final double GRID_STOP = 4.0;
    private static final double ACCURACY_GRID_STEP = 0.01;
    private static final double VAL_GRID_STEP = 0.001;

    private final ThresholdSearch search;
    private final double farTarget;

    /** A protocol with the given threshold search and target FAR for VAL. */
    public VerificationProtocol(ThresholdSearch search, double farTarget) {
        if (search == null) {
            throw new IllegalArgumentException("threshold search must be EXACT or FACENET_GRID, was null");
        }
        if (!(farTarget > 0 && farTarget <= 1)) {
            throw new IllegalArgumentException("target FAR must be in (0, 1], was " + farTarget + "; LFW uses 1e-3");
        }
        this.search = search;
        this.farTarget = farTarget;
    }

    /** Exact threshold search, VAL at FAR 1e-3. */
    public static VerificationProtocol exact() {
        return new VerificationProtocol(ThresholdSearch.EXACT, FAR_TARGET);
    }

    /** facenet's threshold grids, VAL at FAR 1e-3: reproduces facenet's numbers. */
    public static VerificationProtocol facenetGrid() {
        return new VerificationProtocol(ThresholdSearch.FACENET_GRID, FAR_TARGET);
    }

    /** Fold ids as sklearn's {@code KFold(n_splits=k, shuffle=False)}: contiguous, the first n % k one larger. */
    public static int[] contiguousFolds(int n, int k) {
        if (k < 2 || k > n) {
            throw new IllegalArgumentException("fold count must be between 2 and the pair count " + n + ", was " + k);
        }
        int[] folds = new int[n];
        int start = 0;
        for (int f = 0; f < k; f++) {
            int size = n / k + (f < n % k ? 1 : 0);
            Arrays.fill(folds, start, start + size, f);
            start += size;
        }
        return folds;
    }

    /** Evaluates the distances of a pairs file's pairs, in its order and with its folds. */
    public VerificationReport evaluate(PairsFile pairs, double[] distances) {
        return evaluate(distances, pairs.labels(), pairs.foldIds());
    }

    /**
     * Runs the protocol.
     *
     * @param distances one distance per pair, smaller = more similar; NaN is rejected
     * @param same      whether each pair shows the same person
     * @param folds     the fold id of each pair; at least two distinct ids
     */
    public VerificationReport evaluate(double[] distances, boolean[] same, int[] folds) {
        int n = distances.length;
        if (same.length != n || folds.length != n) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "got %d distances, %d labels and %d fold ids; pass one of each per pair", n, same.length, folds.length));
        }
        requireNumbers(distances);
        TreeSet<Integer> ids = foldIds(folds);
        List<FoldResult> results = new ArrayList<>();
        for (int id : ids) {
            results.add(fold(id, distances, same, folds));
        }
        return report(results, Roc.of(distances, same), n);
    }

    /** Refuses a NaN distance, naming its pair and what to give instead. */
    static void requireNumbers(double[] distances) {
        for (int i = 0; i < distances.length; i++) {
            if (Double.isNaN(distances[i])) {
                throw new IllegalArgumentException("distance of pair " + i + " is NaN; give pairs without a face"
                        + " a large distance (4.0 is the largest squared L2 between unit embeddings)");
            }
        }
    }

    /** The fold ids, checked as {@link #evaluate(double[], boolean[], int[])} checks them. */
    static TreeSet<Integer> foldIds(int[] folds) {
        TreeSet<Integer> ids = new TreeSet<>();
        for (int f : folds) {
            ids.add(f);
        }
        if (ids.size() < 2) {
            throw new IllegalArgumentException("cross-validation needs at least 2 folds, got " + ids.size()
                    + "; use PairsFile's folds or contiguousFolds(n, 10)");
        }
        return ids;
    }

    /** The report of per-fold results and the ROC of all pairs. */
    VerificationReport report(List<FoldResult> results, Roc roc, int n) {
        double[] acc = results.stream().mapToDouble(FoldResult::accuracy).toArray();
        double[] val = results.stream().mapToDouble(FoldResult::val).toArray();
        double[] far = results.stream().mapToDouble(FoldResult::far).toArray();
        double[] thr = results.stream().mapToDouble(FoldResult::threshold).toArray();
        return new VerificationReport(mean(acc), std(acc), mean(val), std(val), mean(far), roc.auc(), roc.eer(),
                mean(thr), n, 0, 0, null, false, 0, farTarget, List.copyOf(results), roc);
    }

    /** Fold {@code id}: thresholds chosen on the other folds' distances, measured on its own. */
    FoldResult fold(int id, double[] distances, boolean[] same, int[] folds) {
        int testSize = 0;
        for (int f : folds) {
            testSize += f == id ? 1 : 0;
        }
        Sorted train = Sorted.of(distances, same, folds, id, false);
        Sorted test = Sorted.of(distances, same, folds, id, true);
        double threshold;
        double valThreshold;
        if (search == ThresholdSearch.EXACT) {
            threshold = train.bestAccuracyThresholdExact();
            valThreshold = train.farThresholdExact(farTarget);
        } else {
            threshold = train.bestAccuracyThreshold(grid(ACCURACY_GRID_STEP));
            valThreshold = train.farThresholdInterpolated(grid(VAL_GRID_STEP), farTarget);
        }
        return new FoldResult(id, testSize, threshold, train.accuracy(threshold), test.accuracy(threshold),
                valThreshold, test.tpr(valThreshold), test.fpr(valThreshold));
    }

    /** np.arange(0, 4, step): length ceil(4 / step), values i * step. */
    static double[] grid(double step) {
        int len = (int) Math.ceil(GRID_STOP / step);
        double[] g = new double[len];
        for (int i = 0; i < len; i++) {
            g[i] = i * step;
        }
        return g;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** Population standard deviation, as np.std. */
    private static double std(double[] v) {
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / v.length);
    }
}
