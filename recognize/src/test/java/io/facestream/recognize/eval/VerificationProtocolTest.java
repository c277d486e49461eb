package io.facestream.recognize.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.recognize.eval.VerificationProtocol.ThresholdSearch;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VerificationProtocolTest {

    private static final double EPS = 1e-12;

    @Test
    void perfectlySeparableDistancesScorePerfectly() {
        int n = 600;
        double[] d = new double[n];
        boolean[] same = new boolean[n];
        for (int i = 0; i < n; i++) {
            same[i] = (i / 30) % 2 == 0;
            d[i] = same[i] ? 0.4 : 1.2;
        }
        int[] folds = VerificationProtocol.contiguousFolds(n, 10);
        VerificationReport r = VerificationProtocol.exact().evaluate(d, same, folds);
        assertEquals(1.0, r.accuracyMean(), EPS);
        assertEquals(0.0, r.accuracyStd(), EPS);
        assertEquals(1.0, r.auc(), EPS);
        assertEquals(0.0, r.eer(), EPS);
        assertEquals(1.0, r.valMean(), EPS);
        assertEquals(0.0, r.farMean(), EPS);
        // Midway between the two distances, in every fold.
        assertEquals(0.8, r.thresholdMean(), EPS);
        // facenet's grid takes the first threshold above 0.4 (0.4 itself rejects 0.4 under "less than").
        VerificationReport g = VerificationProtocol.facenetGrid().evaluate(d, same, folds);
        assertEquals(1.0, g.accuracyMean(), EPS);
        assertEquals(0.41, g.thresholdMean(), EPS);
    }

    /** Three folds of four pairs; the thresholds and accuracies below are worked out by hand. */
    @Test
    void smallCaseMatchesHandComputedFoldThresholds() {
        double[] d = {0.1, 0.5, 0.4, 0.9, 0.2, 0.6, 0.7, 1.0, 0.3, 0.8, 0.35, 1.1};
        boolean[] same = {true, true, false, false, true, true, false, false, true, true, false, false};
        int[] folds = {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2};
        VerificationReport r = VerificationProtocol.exact().evaluate(d, same, folds);
        // Fold 0 trains on 0.2S 0.3S 0.35D 0.6S 0.7D 0.8S 1.0D 1.1D: 6 of 8 right after 0.3, 0.6 and 0.8;
        // the first such cut wins, midway to 0.35. Fold 2 trains on folds 0 and 1: 7 of 8 between 0.6 and 0.7.
        double[] thresholds = r.folds().stream().mapToDouble(FoldResult::threshold).toArray();
        assertArrayEquals(new double[] {0.325, 0.325, 0.65}, thresholds, EPS);
        double[] acc = r.folds().stream().mapToDouble(FoldResult::accuracy).toArray();
        assertArrayEquals(new double[] {0.75, 0.75, 0.5}, acc, EPS);
        assertEquals(2.0 / 3, r.accuracyMean(), EPS);
        assertEquals(Math.sqrt(1.0 / 72), r.accuracyStd(), EPS); // population std of 3/4, 3/4, 1/2
        assertEquals(1.3 / 3, r.thresholdMean(), EPS);
        assertEquals(6.0 / 8, r.folds().get(0).trainAccuracy(), EPS);
        // 29 of the 36 (same, different) pairings have the same pair closer.
        assertEquals(29.0 / 36, r.auc(), EPS);
        // ROC reaches (1/3, 2/3) exactly, where FAR = 1 - TPR.
        assertEquals(1.0 / 3, r.eer(), EPS);
        // FAR 1e-3 of 4 training negatives allows none: VAL threshold = smallest training negative.
        double[] valThr = r.folds().stream().mapToDouble(FoldResult::valThreshold).toArray();
        assertArrayEquals(new double[] {0.35, 0.35, 0.4}, valThr, EPS);
        assertEquals(0.5, r.valMean(), EPS);
        assertEquals(0.0, r.valStd(), EPS);
        assertEquals(1.0 / 6, r.farMean(), EPS); // fold 2's 0.35 negative falls under 0.4

        // facenet's grid: first grid point above the cut (as numpy/scipy facenet code gives: 0.31, 0.31, 0.61).
        VerificationReport g = VerificationProtocol.facenetGrid().evaluate(d, same, folds);
        assertArrayEquals(new double[] {0.31, 0.31, 0.61}, g.folds().stream().mapToDouble(FoldResult::threshold).toArray(), EPS);
        assertEquals(2.0 / 3, g.accuracyMean(), EPS);
    }

    /** Fold k has k "same" pairs as far apart as the different ones (label noise): accuracy (60 - k) / 60. */
    @Test
    void labelNoiseCostsExactlyTheNoisyPairs() {
        int folds = 10;
        int n = folds * 60;
        double[] d = new double[n];
        boolean[] same = new boolean[n];
        int[] fold = new int[n];
        for (int k = 0; k < folds; k++) {
            for (int j = 0; j < 60; j++) {
                int i = k * 60 + j;
                fold[i] = k;
                same[i] = j < 30;
                d[i] = same[i] && j >= k ? 0.5 : 1.5;
            }
        }
        VerificationReport r = VerificationProtocol.exact().evaluate(d, same, fold);
        assertEquals((60 - 4.5) / 60, r.accuracyMean(), EPS);
        assertEquals(Math.sqrt(8.25) / 60, r.accuracyStd(), EPS); // population std of k = 0..9 is sqrt(8.25)
        assertEquals(1.0, r.thresholdMean(), EPS);
        // VAL threshold sits at the (tied) negatives, 1.5, which the noisy pairs share and so miss.
        assertEquals((30 - 4.5) / 30, r.valMean(), EPS);
        assertEquals(0.0, r.farMean(), EPS);
    }

    /** FAR on the training fold crosses the target between grid points 2.000 and 2.001. */
    @Test
    void valThresholdInterpolatesFarLikeFacenet() {
        double[] d = {1.5, 2.0001, 2.0003, 2.5, 1.9, 2.00015, 2.1, 3.9,
            0.5, 2.00019, 2.00025, 3.0, 1.0, 2.0, 3.0, 3.5};
        boolean[] same = new boolean[16];
        for (int i = 0; i < 16; i++) {
            same[i] = i % 8 < 4;
        }
        int[] folds = VerificationProtocol.contiguousFolds(16, 2);
        // Training FAR is 1/4 up to 2.000 and 2/4 from 2.001: 0.3 lies a fifth of the way, at 2.0002.
        VerificationReport g = new VerificationProtocol(ThresholdSearch.FACENET_GRID, 0.3).evaluate(d, same, folds);
        for (FoldResult f : g.folds()) {
            assertEquals(2.0002, f.valThreshold(), 1e-12);
            assertEquals(0.5, f.val(), EPS);
            assertEquals(0.5, f.far(), EPS);
        }
        assertEquals(0.5, g.valMean(), EPS);
        // Exact: the largest threshold with training FAR <= 0.3 is the second-smallest training negative.
        VerificationReport e = new VerificationProtocol(ThresholdSearch.EXACT, 0.3).evaluate(d, same, folds);
        assertEquals(2.0, e.folds().get(0).valThreshold(), EPS);
        assertEquals(2.00015, e.folds().get(1).valThreshold(), EPS);
        assertEquals(0.25, e.valMean(), EPS);
        assertEquals(0.375, e.farMean(), EPS); // 1/4 in fold 0 (1.9), 2/4 in fold 1 (1.0 and 2.0)
    }

    /** No training FAR reaches the target: facenet falls back to threshold 0, accepting nothing. */
    @Test
    void valFallsBackToZeroWhenTargetIsUnreachableOnTheGrid() {
        double[] d = {0.1, 0.2, 5.0, 6.0, 0.1, 0.2, 5.0, 6.0}; // negatives beyond the grid's 4.0
        boolean[] same = {true, true, false, false, true, true, false, false};
        VerificationReport g = VerificationProtocol.facenetGrid().evaluate(d, same, new int[] {0, 0, 0, 0, 1, 1, 1, 1});
        assertEquals(0.0, g.folds().get(0).valThreshold());
        assertEquals(0.0, g.valMean());
    }

    /**
     * On a 6000-pair LFW-shaped set (a fixed LCG, reproducible in Python), facenet's grids give the figures
     * that a numpy/scipy run of facenet's calculate_roc / calculate_val gives on the same distances.
     */
    @Test
    void facenetGridReproducesFacenetFigures() {
        double[] d = new double[6000];
        boolean[] same = new boolean[6000];
        lcgDataset(42, d, same);
        assertEquals(1.110492943124611, d[0]); // the first values agree with the Python generator
        assertEquals(2.0016476418114735, d[300]);
        int[] folds = VerificationProtocol.contiguousFolds(6000, 10);
        VerificationReport g = VerificationProtocol.facenetGrid().evaluate(d, same, folds);
        assertEquals(0.8841666666666667, g.accuracyMean(), 1e-12);
        assertEquals(0.013296825017858808, g.accuracyStd(), 1e-12);
        assertEquals(1.529, g.thresholdMean(), 1e-12);
        assertEquals(0.5453333333333332, g.valMean(), 1e-12);
        assertEquals(0.025174943451332296, g.valStd(), 1e-12);
        assertEquals(0.002, g.farMean(), 1e-12);
        assertArrayEquals(new double[] {1.2337, 1.2337, 1.2337, 1.2337, 1.2337, 1.2337, 1.2337, 1.2427, 1.25135, 1.2337},
                g.folds().stream().mapToDouble(FoldResult::valThreshold).toArray(), 1e-9);
        // Exact AUC (trapezoid over all points) and EER (brentq on the interpolated ROC) from numpy/scipy.
        assertEquals(0.9649155555555555, g.auc(), 1e-12);
        assertEquals(0.11333333333369322, g.eer(), 1e-9);

        // The exact search's VAL threshold is the largest with training FAR <= 1e-3: 2 of 2700 allowed.
        VerificationReport e = VerificationProtocol.exact().evaluate(d, same, folds);
        for (FoldResult f : e.folds()) {
            double farAt = trainFar(d, same, folds, f.fold(), f.valThreshold());
            double farAbove = trainFar(d, same, folds, f.fold(), Math.nextUp(f.valThreshold()));
            assertTrue(farAt <= 1e-3 && farAbove > 1e-3, "fold " + f.fold() + ": FAR " + farAt + " / " + farAbove);
            assertTrue(f.trainAccuracy() >= g.folds().get(f.fold()).trainAccuracy(), "exact search is at least as good on training folds");
        }
    }

    @Test
    void aucOfRandomScoresIsOneHalfAndEqualsMannWhitney() {
        Random rnd = new Random(7);
        int n = 4000;
        double[] d = new double[n];
        boolean[] same = new boolean[n];
        for (int i = 0; i < n; i++) {
            same[i] = rnd.nextBoolean();
            d[i] = Math.floor(rnd.nextDouble() * 200) / 100; // coarse, so ties occur
        }
        Roc roc = Roc.of(d, same);
        assertEquals(0.5, roc.auc(), 0.02);
        assertEquals(0.5, roc.eer(), 0.03);
        double wins = 0;
        long pairs = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (same[i] && !same[j]) {
                    wins += d[i] < d[j] ? 1 : d[i] == d[j] ? 0.5 : 0;
                    pairs++;
                }
            }
        }
        assertEquals(wins / pairs, roc.auc(), 1e-12);
    }

    @Test
    void rocPointAtThresholdUsesStrictLessThan() {
        Roc roc = Roc.of(new double[] {0.1, 0.2, 0.3, 0.4}, new boolean[] {true, false, true, false});
        assertEquals(new Roc.Point(0, 0), roc.at(0.1));
        assertEquals(new Roc.Point(0, 0.5), roc.at(0.15));
        assertEquals(new Roc.Point(0.5, 0.5), roc.at(0.3));
        assertEquals(new Roc.Point(1, 1), roc.at(9));
        assertEquals(0.5, roc.tprAt(0.25), EPS); // flat from (0, 1/2) to (1/2, 1/2)
        assertEquals(1.0, roc.tprAt(0.5), EPS);
    }

    @Test
    void badInputIsRejectedWithTheReason() {
        boolean[] same = {true, false, true, false};
        int[] folds = {0, 0, 1, 1};
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> VerificationProtocol.exact().evaluate(new double[] {0.1, Double.NaN, 0.2, 0.3}, same, folds));
        assertTrue(nan.getMessage().contains("pair 1 is NaN"), nan.getMessage());
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
                () -> VerificationProtocol.exact().evaluate(new double[] {0.1, 0.2, 0.3, 0.4}, same, new int[4]));
        assertTrue(one.getMessage().contains("at least 2 folds, got 1"), one.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new VerificationProtocol(ThresholdSearch.EXACT, 0));
    }

    @Test
    void contiguousFoldsSplitLikeKFold() {
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, 2, 2}, VerificationProtocol.contiguousFolds(7, 3));
        int[] lfw = VerificationProtocol.contiguousFolds(6000, 10);
        assertEquals(9, lfw[5999]);
        assertEquals(1, lfw[600]);
        assertEquals(0, lfw[599]);
    }

    /** 10 folds of 300 same then 300 different pairs, distances from a 64-bit LCG (same as the Python check). */
    static void lcgDataset(long seed, double[] d, boolean[] same) {
        long x = seed;
        int i = 0;
        for (int f = 0; f < 10; f++) {
            for (int c = 0; c < 2; c++) {
                for (int k = 0; k < 300; k++) {
                    x = x * 6364136223846793005L + 1442695040888963407L;
                    double u = (x >>> 11) * 0x1.0p-53;
                    x = x * 6364136223846793005L + 1442695040888963407L;
                    double v = (x >>> 11) * 0x1.0p-53;
                    same[i] = c == 0;
                    d[i] = same[i] ? 0.6 + 0.7 * u + 0.5 * v : 1.2 + 0.8 * u + 0.6 * v;
                    i++;
                }
            }
        }
    }

    private static double trainFar(double[] d, boolean[] same, int[] folds, int heldOut, double t) {
        int neg = 0;
        int accepted = 0;
        for (int i = 0; i < d.length; i++) {
            if (folds[i] != heldOut && !same[i]) {
                neg++;
                accepted += d[i] < t ? 1 : 0;
            }
        }
        return (double) accepted / neg;
    }
}
