package io.facestream.recognize.eval;

import java.util.Arrays;

/**
 * A set of pairs sorted by distance with prefix counts of same-person pairs, so that the rates of
 * any threshold cost one binary search instead of a pass over the pairs.
 */
final class Sorted {

    private final double[] d;
    // posBefore[j]: same-person pairs among the j smallest distances.
    private final int[] posBefore;
    private final int positives;
    private final int negatives;

    private Sorted(double[] d, boolean[] same) {
        this.d = d;
        this.posBefore = new int[d.length + 1];
        for (int j = 0; j < d.length; j++) {
            posBefore[j + 1] = posBefore[j] + (same[j] ? 1 : 0);
        }
        this.positives = posBefore[d.length];
        this.negatives = d.length - positives;
    }

    /** The pairs of fold {@code id} ({@code inFold}) or of all other folds, sorted by distance. */
    static Sorted of(double[] distances, boolean[] same, int[] folds, int id, boolean inFold) {
        int n = 0;
        for (int f : folds) {
            n += (f == id) == inFold ? 1 : 0;
        }
        Integer[] members = new Integer[n];
        int k = 0;
        for (int i = 0; i < distances.length; i++) {
            if ((folds[i] == id) == inFold) {
                members[k++] = i;
            }
        }
        Arrays.sort(members, (x, y) -> Double.compare(distances[x], distances[y]));
        double[] sorted = new double[n];
        boolean[] labels = new boolean[n];
        for (int j = 0; j < n; j++) {
            sorted[j] = distances[members[j]];
            labels[j] = same[members[j]];
        }
        return new Sorted(sorted, labels);
    }

    /** Number of pairs with distance strictly below {@code t} (the np.less rule). */
    int countBelow(double t) {
        int lo = 0;
        int hi = d.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (d[mid] < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private int correct(int accepted) {
        int tp = posBefore[accepted];
        int fp = accepted - tp;
        return tp + (negatives - fp);
    }

    /** Accuracy when pairs below {@code t} are called "same". */
    double accuracy(double t) {
        return d.length == 0 ? 0 : (double) correct(countBelow(t)) / d.length;
    }

    /** True-positive rate (VAL) at {@code t}; 0 when there are no same-person pairs. */
    double tpr(double t) {
        return positives == 0 ? 0 : (double) posBefore[countBelow(t)] / positives;
    }

    /** False-positive rate (FAR) at {@code t}; 0 when there are no different-person pairs. */
    double fpr(double t) {
        if (negatives == 0) {
            return 0;
        }
        int j = countBelow(t);
        return (double) (j - posBefore[j]) / negatives;
    }

    /**
     * The accuracy-maximising threshold over every possible cut: the midpoint between the two distinct
     * distances around the best cut; among equally good cuts the smallest, as np.argmax picks.
     */
    double bestAccuracyThresholdExact() {
        int n = d.length;
        int best = 0;
        int bestCorrect = correct(0);
        for (int j = 1; j <= n; j++) {
            // Only a boundary between distinct distances is a cut a threshold can make.
            if (j < n && d[j - 1] == d[j]) {
                continue;
            }
            int c = correct(j);
            if (c > bestCorrect) {
                bestCorrect = c;
                best = j;
            }
        }
        if (best == 0) {
            return n == 0 ? 0 : d[0];
        }
        if (best == n) {
            return Math.nextUp(d[n - 1]);
        }
        return d[best - 1] + (d[best] - d[best - 1]) / 2;
    }

    /** The first threshold of {@code grid} with the best accuracy (facenet's argmax over its grid). */
    double bestAccuracyThreshold(double[] grid) {
        int best = 0;
        int bestCorrect = -1;
        for (int i = 0; i < grid.length; i++) {
            int c = correct(countBelow(grid[i]));
            if (c > bestCorrect) {
                bestCorrect = c;
                best = i;
            }
        }
        return grid[best];
    }

    /**
     * The largest threshold whose FAR is at most {@code target}: the (k+1)-th smallest different-person
     * distance, k = the most false accepts the target allows; 0 when there are no such pairs.
     */
    double farThresholdExact(double target) {
        if (negatives == 0) {
            return 0;
        }
        double[] neg = new double[negatives];
        int k = 0;
        for (int j = 0; j < d.length; j++) {
            if (posBefore[j + 1] == posBefore[j]) {
                neg[k++] = d[j];
            }
        }
        // Allowed false accepts, compared as facenet compares rates (count / n against the target).
        int allowed = (int) Math.floor(target * negatives);
        while (allowed + 1 <= negatives && (double) (allowed + 1) / negatives <= target) {
            allowed++;
        }
        while (allowed > 0 && (double) allowed / negatives > target) {
            allowed--;
        }
        return allowed >= negatives ? Math.nextUp(neg[negatives - 1]) : neg[allowed];
    }

    /**
     * facenet's calculate_val threshold: FAR on the grid, then scipy
     * {@code interp1d(far, thresholds, kind='slinear')(target)}; 0 when the FAR never reaches the target.
     */
    double farThresholdInterpolated(double[] grid, double target) {
        if (negatives == 0) {
            return 0; // facenet's FAR is NaN here and NaN >= target is false
        }
        double[] far = new double[grid.length];
        double max = 0;
        for (int i = 0; i < grid.length; i++) {
            far[i] = fpr(grid[i]);
            max = Math.max(max, far[i]);
        }
        if (max < target) {
            return 0;
        }
        // FAR never decreases along the grid, so interp1d's stable sort keeps grid order. Among equal FARs
        // a linear B-spline evaluates in the interval starting at the last of them.
        int last = far.length - 1;
        if (target >= far[last]) {
            int first = last;
            while (first > 0 && far[first - 1] == far[last]) {
                first--;
            }
            return grid[first];
        }
        if (target < far[0]) {
            return grid[0]; // below interp1d's range: facenet would raise; the smallest threshold is the safe reading
        }
        int l = 0;
        while (far[l + 1] <= target) {
            l++;
        }
        return grid[l] + (target - far[l]) / (far[l + 1] - far[l]) * (grid[l + 1] - grid[l]);
    }
}
