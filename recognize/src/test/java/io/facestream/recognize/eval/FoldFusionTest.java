package io.facestream.recognize.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FoldFusionTest {

    private static final double EPS = 1e-12;

    /**
     * The second network separates the pairs (0.4 against 1.2); the first puts 0 or 4 on either kind. The fused
     * distance (f + r s) / (1 + r) separates them only when 4 + 0.4 r < 1.2 r, that is r > 5.
     */
    private static double[][] secondSeparatesAboveFive(int n) {
        double[] first = new double[n];
        double[] second = new double[n];
        for (int i = 0; i < n; i++) {
            boolean same = (i / 10) % 2 == 0;
            second[i] = same ? 0.4 : 1.2;
            first[i] = (i % 3 == 0) == same ? 4.0 : 0.0;
        }
        return new double[][] {first, second};
    }

    private static boolean[] sameEveryOtherTen(int n) {
        boolean[] same = new boolean[n];
        for (int i = 0; i < n; i++) {
            same[i] = (i / 10) % 2 == 0;
        }
        return same;
    }

    @Test
    void trainingFoldsOverruleThePriorAndTheNearestPerfectRatioWins() {
        int n = 400;
        double[][] d = secondSeparatesAboveFive(n);
        boolean[] same = sameEveryOtherTen(n);
        int[] folds = VerificationProtocol.contiguousFolds(n, 10);
        // Prior 1 cannot separate; 8, the smallest candidate above 5, is the perfect one nearest the prior.
        FoldFusion.Result r = new FoldFusion(1.0).evaluate(d[0], d[1], same, folds);
        double[] eight = new double[10];
        Arrays.fill(eight, 8.0);
        assertArrayEquals(eight, r.ratios(), EPS);
        assertEquals(1.0, r.report().accuracyMean(), EPS);
        assertEquals(1.0, r.report().auc(), EPS);
        assertArrayEquals(FoldFusion.fuse(d[0], d[1], 8.0), r.distances(), EPS);
        assertEquals("8.00 in 10 folds", r.ratiosText());
        // The prior itself alone: 0 or 4 outweighs the second network's gap, accuracy well below 1.
        VerificationReport prior = VerificationProtocol.exact().evaluate(FoldFusion.fuse(d[0], d[1], 1.0), same, folds);
        assertTrue(prior.accuracyMean() < 0.9, "prior ratio alone: " + prior.accuracyMean());
    }

    @Test
    void amongEquallyGoodRatiosThePriorStands() {
        int n = 400;
        double[][] d = secondSeparatesAboveFive(n);
        // 30 separates as well as 8, 10 or 50 do: the tie goes to the prior.
        FoldFusion.Result r = new FoldFusion(30.0).evaluate(d[0], d[1], sameEveryOtherTen(n),
                VerificationProtocol.contiguousFolds(n, 10));
        for (double ratio : r.ratios()) {
            assertEquals(30.0, ratio, EPS);
        }
        // A prior off the grid is a candidate too.
        FoldFusion off = new FoldFusion(6.38);
        assertTrue(Arrays.stream(off.candidates()).anyMatch(c -> c == 6.38));
        assertEquals(FoldFusion.GRID.size() + 1, off.candidates().length);
        FoldFusion.Result r2 = off.evaluate(d[0], d[1], sameEveryOtherTen(n), VerificationProtocol.contiguousFolds(n, 10));
        for (double ratio : r2.ratios()) {
            assertEquals(6.38, ratio, EPS);
        }
    }

    /** Random pairs: each network's distance around its same-person and different-person means, never below 0. */
    private record Noisy(double[] first, double[] second, boolean[] same) {
        static Noisy of(int n, long seed) {
            Random rnd = new Random(seed);
            double[] first = new double[n];
            double[] second = new double[n];
            boolean[] same = new boolean[n];
            for (int i = 0; i < n; i++) {
                same[i] = rnd.nextBoolean();
                first[i] = Math.max(0, (same[i] ? 1.0 : 1.6) + 0.5 * rnd.nextGaussian());
                second[i] = Math.max(0, (same[i] ? 0.3 : 0.5) + 0.12 * rnd.nextGaussian());
            }
            return new Noisy(first, second, same);
        }
    }

    @Test
    void theHeldOutFoldsLabelsDoNotChooseItsRatio() {
        int n = 600;
        Noisy p = Noisy.of(n, 7);
        int[] folds = VerificationProtocol.contiguousFolds(n, 10);
        FoldFusion fusion = new FoldFusion(6.38);
        FoldFusion.Result r = fusion.evaluate(p.first(), p.second(), p.same(), folds);
        boolean[] scrambled = p.same().clone();
        for (int i = 0; i < n; i++) {
            if (folds[i] == 0) {
                scrambled[i] = !scrambled[i];
            }
        }
        FoldFusion.Result s = fusion.evaluate(p.first(), p.second(), scrambled, folds);
        assertEquals(r.ratios()[0], s.ratios()[0], EPS);
        assertEquals(r.report().folds().get(0).threshold(), s.report().folds().get(0).threshold(), EPS);
        // Fold 0's figures follow its (scrambled) labels; another fold's training data changed, so its figures may.
        assertEquals(1 - r.report().folds().get(0).accuracy(), s.report().folds().get(0).accuracy(), EPS);
        assertNotEquals(r.report().accuracyMean(), s.report().accuracyMean());
    }

    @Test
    void withOnlyThePriorItIsTheProtocolOnTheFusedDistances() {
        int n = 500;
        Noisy p = Noisy.of(n, 11);
        int[] folds = VerificationProtocol.contiguousFolds(n, 10);
        FoldFusion.Result r = new FoldFusion(VerificationProtocol.exact(), 3.0, List.of())
                .evaluate(p.first(), p.second(), p.same(), folds);
        VerificationReport plain = VerificationProtocol.exact()
                .evaluate(FoldFusion.fuse(p.first(), p.second(), 3.0), p.same(), folds);
        assertEquals(plain.accuracyMean(), r.report().accuracyMean(), EPS);
        assertEquals(plain.accuracyStd(), r.report().accuracyStd(), EPS);
        assertEquals(plain.valMean(), r.report().valMean(), EPS);
        assertEquals(plain.farMean(), r.report().farMean(), EPS);
        assertEquals(plain.auc(), r.report().auc(), EPS);
        assertEquals(plain.eer(), r.report().eer(), EPS);
        assertEquals(plain.thresholdMean(), r.report().thresholdMean(), EPS);
        // (0.9 + 3 × 0.25) / 4: the weighted mean, on the scale of either network.
        assertEquals((0.9 + 3 * 0.25) / 4, FoldFusion.fuse(new double[] {0.9}, new double[] {0.25}, 3.0)[0], EPS);
    }

    @Test
    void refusesWhatCannotBeFused() {
        FoldFusion f = new FoldFusion(6.38);
        int[] folds = {0, 0, 1, 1};
        boolean[] same = {true, false, true, false};
        assertThrows(IllegalArgumentException.class, () -> new FoldFusion(0));
        assertThrows(IllegalArgumentException.class,
                () -> new FoldFusion(VerificationProtocol.exact(), 1, List.of(-1.0, 2.0)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> f.evaluate(new double[] {0.1, 0.2, 0.3}, new double[] {0.1, 0.2, 0.3, 0.4}, same, folds));
        assertTrue(e.getMessage().contains("one of each per pair"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> f.evaluate(new double[] {0.1, Double.NaN, 0.3, 0.4}, new double[] {0.1, 0.2, 0.3, 0.4}, same, folds));
        assertTrue(e.getMessage().contains("pair 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> f.evaluate(new double[] {0.1, 0.2}, new double[] {0.1, 0.2}, new boolean[] {true, false}, new int[] {0, 0}));
    }
}
