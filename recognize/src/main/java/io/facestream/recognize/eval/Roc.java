package io.facestream.recognize.eval;

import java.util.Arrays;
import java.util.Locale;

/**
 * The exact ROC of a set of pair distances: one point per distinct distance, where a pair is
 * accepted as "same" when its distance is below the threshold (smaller distance = more similar).
 */
public final class Roc {

    /** A point of the curve: false-positive rate (FAR) and true-positive rate (TPR, VAL). */
    public record Point(double fpr, double tpr) {
    }

    private final double[] fpr;
    private final double[] tpr;
    // upTo[k]: point k accepts every pair with distance <= upTo[k]; upTo[0] = -inf accepts none.
    private final double[] upTo;

    private Roc(double[] fpr, double[] tpr, double[] upTo) {
        this.fpr = fpr;
        this.tpr = tpr;
        this.upTo = upTo;
    }

    /**
     * Builds the ROC over all pairs.
     *
     * @throws IllegalArgumentException when there are no same or no different pairs (rates undefined)
     */
    public static Roc of(double[] distances, boolean[] same) {
        if (distances.length != same.length) {
            throw new IllegalArgumentException("got " + distances.length + " distances but " + same.length
                    + " labels; pass one label per pair");
        }
        int n = distances.length;
        Integer[] order = new Integer[n];
        int positives = 0;
        for (int i = 0; i < n; i++) {
            order[i] = i;
            positives += same[i] ? 1 : 0;
        }
        int negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            throw new IllegalArgumentException("a ROC needs both same-person and different-person pairs, got "
                    + positives + " same and " + negatives + " different");
        }
        Arrays.sort(order, (x, y) -> Double.compare(distances[x], distances[y]));
        double[] f = new double[n + 1];
        double[] t = new double[n + 1];
        double[] u = new double[n + 1];
        u[0] = Double.NEGATIVE_INFINITY;
        int points = 1;
        int tp = 0;
        int fp = 0;
        for (int i = 0; i < n; i++) {
            int p = order[i];
            if (same[p]) {
                tp++;
            } else {
                fp++;
            }
            // Ties share one point: a threshold cannot separate equal distances (a diagonal segment).
            if (i == n - 1 || distances[order[i + 1]] != distances[p]) {
                f[points] = (double) fp / negatives;
                t[points] = (double) tp / positives;
                u[points] = distances[p];
                points++;
            }
        }
        return new Roc(Arrays.copyOf(f, points), Arrays.copyOf(t, points), Arrays.copyOf(u, points));
    }

    /** Number of points, from (0, 0) to (1, 1). */
    public int size() {
        return fpr.length;
    }

    /** False-positive rates, ascending, one per point. */
    public double[] fpr() {
        return fpr.clone();
    }

    /** True-positive rates, ascending, one per point. */
    public double[] tpr() {
        return tpr.clone();
    }

    /** Area under the curve by the trapezoid rule over every point (ties count half, as in Mann-Whitney). */
    public double auc() {
        double area = 0;
        for (int k = 1; k < fpr.length; k++) {
            area += (fpr[k] - fpr[k - 1]) * (tpr[k] + tpr[k - 1]) / 2;
        }
        return area;
    }

    /**
     * Equal error rate: the FAR where FAR = 1 - TPR, linearly interpolated between points as
     * facenet's validate_on_lfw does (brentq over interp1d); on a vertical step it is the step's FAR.
     */
    public double eer() {
        double prev = 1 - fpr[0] - tpr[0];
        for (int k = 1; k < fpr.length; k++) {
            double g = 1 - fpr[k] - tpr[k];
            if (prev > 0 && g <= 0) {
                double a = prev / (prev - g);
                return fpr[k - 1] + a * (fpr[k] - fpr[k - 1]);
            }
            prev = g;
        }
        return fpr[fpr.length - 1];
    }

    /** The rates when pairs with distance strictly below {@code threshold} are accepted. */
    public Point at(double threshold) {
        // Largest k with upTo[k] < threshold; upTo[0] = -inf always qualifies.
        int lo = 0;
        int hi = upTo.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (upTo[mid] < threshold) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return new Point(fpr[lo], tpr[lo]);
    }

    /** The TPR reached at false-positive rate {@code far}, interpolated linearly between points. */
    public double tprAt(double far) {
        if (far >= 1) {
            return 1;
        }
        // Last point with fpr <= far: the best TPR the curve reaches without exceeding the FAR.
        int k = 0;
        while (k + 1 < fpr.length && fpr[k + 1] <= far) {
            k++;
        }
        if (k + 1 >= fpr.length) {
            return tpr[k];
        }
        double a = (far - fpr[k]) / (fpr[k + 1] - fpr[k]);
        return tpr[k] + a * (tpr[k + 1] - tpr[k]);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Roc[%d points, auc %.5f, eer %.5f]", size(), auc(), eer());
    }
}
