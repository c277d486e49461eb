package io.facestream.train.mining;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Semi-hard selection on hand-made distances whose answers are worked out by hand. */
class SemiHardMinerTest {

    private static final double A = 0.2;

    /**
     * Faces 0, 1 are person 0; faces 2, 3, 4 are others. From anchor 0: d(0,1) = 0.5; negatives at 0.6 and
     * 0.65 are semi-hard (0.5 < d < 0.7), 0.9 is beyond the margin.
     */
    private static double[][] matrix() {
        double[][] d = new double[5][5];
        set(d, 0, 1, 0.5);
        set(d, 0, 2, 0.65);
        set(d, 0, 3, 0.6);
        set(d, 0, 4, 0.9);
        // from anchor 1: every negative is beyond d(1,0) + α = 0.7
        set(d, 1, 2, 1.0);
        set(d, 1, 3, 0.8);
        set(d, 1, 4, 1.2);
        set(d, 2, 3, 2.0);
        set(d, 2, 4, 2.0);
        set(d, 3, 4, 2.0);
        return d;
    }

    private static void set(double[][] d, int i, int j, double v) {
        d[i][j] = v;
        d[j][i] = v;
    }

    @Test
    void picksTheClosestSemiHardNegativeElseTheClosestBeyondTheMargin() {
        Mining m = SemiHardMiner.facenet().mine(matrix(), new int[] {0, 0, 1, 2, 3}, null);
        assertEquals(2, m.pairs());
        List<Triplet> t = m.triplets();
        assertEquals(2, t.size());
        // anchor 0, positive 1: semi-hard candidates 3 (0.6) and 2 (0.65): the closer one, 3
        assertEquals(new Triplet(0, 1, 3, 0.5, 0.6, Triplet.Kind.SEMI_HARD), t.get(0));
        assertEquals(0.1, t.get(0).loss(A), 1e-12);
        // anchor 1, positive 0: no semi-hard negative; the closest beyond the margin is 3 (0.8), loss 0
        assertEquals(new Triplet(1, 0, 3, 0.5, 0.8, Triplet.Kind.EASY), t.get(1));
        assertEquals(0.0, t.get(1).loss(A), 0);
        assertEquals(0.05, m.meanLoss(), 1e-12);
        assertEquals(0.5, m.activeFraction(), 0);
        assertEquals(1, m.active());
    }

    @Test
    void whenEveryNegativeIsCloserItTakesTheFarthestOne() {
        double[][] d = new double[4][4];
        set(d, 0, 1, 1.0);
        set(d, 0, 2, 0.3);
        set(d, 0, 3, 0.7);
        set(d, 1, 2, 0.2);
        set(d, 1, 3, 1.0); // equal to the positive: not farther, so not semi-hard either
        set(d, 2, 3, 1.5);
        Mining m = SemiHardMiner.facenet().mine(d, new int[] {0, 0, 1, 1}, null);
        // 4 ordered pairs: (0,1), (1,0), (2,3), (3,2)
        assertEquals(4, m.pairs());
        Triplet t01 = m.triplets().get(0);
        assertEquals(new Triplet(0, 1, 3, 1.0, 0.7, Triplet.Kind.HARD), t01);
        assertEquals(0.5, t01.loss(A), 1e-12);
        Triplet t10 = m.triplets().get(1);
        assertEquals(new Triplet(1, 0, 3, 1.0, 1.0, Triplet.Kind.HARD), t10);
        assertEquals(0.2, t10.loss(A), 1e-12);
        // anchor 2, positive 3 at 1.5: negatives 0 (0.3) and 1 (0.2), both closer: the farther, 0
        assertEquals(new Triplet(2, 3, 0, 1.5, 0.3, Triplet.Kind.HARD), m.triplets().get(2));
        // anchor 3, positive 2 at 1.5: negatives 0 (0.7), 1 (1.0): 1; loss 1.5 − 1.0 + 0.2
        assertEquals(new Triplet(3, 2, 1, 1.5, 1.0, Triplet.Kind.HARD), m.triplets().get(3));
        assertEquals((0.5 + 0.2 + 1.4 + 0.7) / 4, m.meanLoss(), 1e-12);
        assertEquals(1.0, m.activeFraction(), 0);
        assertEquals(4, m.count(Triplet.Kind.HARD));
    }

    @Test
    void tiesGoToTheLowerIndexAndALoneIdentityGivesNoTriplet() {
        double[][] d = new double[4][4];
        set(d, 0, 1, 0.4);
        set(d, 0, 2, 0.5);
        set(d, 0, 3, 0.5);
        set(d, 1, 2, 3.0);
        set(d, 1, 3, 3.0);
        set(d, 2, 3, 3.0);
        Mining m = SemiHardMiner.facenet().mine(d, new int[] {0, 0, 1, 2}, null);
        assertEquals(2, m.triplets().get(0).negative());
        Mining alone = SemiHardMiner.facenet().mine(new double[][] {{0, 1}, {1, 0}}, new int[] {5, 5}, null);
        assertEquals(2, alone.pairs());
        assertEquals(0, alone.triplets().size());
        assertEquals(0, alone.activeFraction(), 0);
    }

    @Test
    void facesOfTheAnchorsGroupAreNeverItsNegatives() {
        // faces 2 and 3 are other labels; face 3 (label 2) is in person 0's group: a split of the same track
        int[] labels = {0, 0, 1, 2, 3};
        int[] groups = {7, 7, 8, 7, 9};
        Mining m = SemiHardMiner.facenet().mine(matrix(), labels, null, groups);
        List<Triplet> t = m.triplets();
        // anchor 0: 3 (0.6) is in its group, so the other semi-hard one, 2 (0.65)
        assertEquals(new Triplet(0, 1, 2, 0.5, 0.65, Triplet.Kind.SEMI_HARD), t.get(0));
        // anchor 1: the closest beyond the margin was 3 (0.8); now 2 (1.0)
        assertEquals(new Triplet(1, 0, 2, 0.5, 1.0, Triplet.Kind.EASY), t.get(1));
        // anchor 3 has no positive; none of the others takes 3 as a negative of 0 or 1 either
        assertEquals(2, t.size());
        // every label its own group: the choice of the plain miner
        assertEquals(SemiHardMiner.facenet().mine(matrix(), labels, null).triplets(),
                SemiHardMiner.facenet().mine(matrix(), labels, null, new int[] {0, 0, 1, 2, 3}).triplets());
        // a pair whose only negatives are in its group gives no triplet
        assertEquals(0, SemiHardMiner.facenet().mine(matrix(), labels, null, new int[] {1, 1, 1, 1, 1}).triplets().size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SemiHardMiner.facenet().mine(matrix(), labels, null, new int[] {0, 1, 2, 3, 4}));
        assertEquals(true, e.getMessage().contains("share label 0"), e.getMessage());
    }

    @Test
    void aFarPositiveOfANoisyLabelIsLeftOut() {
        double[][] d = matrix();
        SemiHardMiner capped = new SemiHardMiner(A, 0.45);
        boolean[] noisy = {false, true, false, false, false};
        Mining m = capped.mine(d, new int[] {0, 0, 1, 2, 3}, noisy);
        assertEquals(2, m.pairs());
        assertEquals(2, m.skippedNoisy());
        assertEquals(0, m.triplets().size());
        // the same pair with confirmed labels is kept
        assertEquals(2, capped.mine(d, new int[] {0, 0, 1, 2, 3}, new boolean[5]).triplets().size());
        // and under a cap above its distance too
        assertEquals(2, new SemiHardMiner(A, 0.55).mine(d, new int[] {0, 0, 1, 2, 3}, noisy).triplets().size());
    }

    @Test
    void minesFromEmbeddingsAndReportsTheSpread() {
        // unit vectors: faces 0,1 along x, slightly apart; face 2 along y, face 3 along −x
        float c = (float) Math.cos(0.2);
        float s = (float) Math.sin(0.2);
        float[][] e = {{1, 0}, {c, s}, {0, 1}, {-1, 0}};
        Mining m = SemiHardMiner.facenet().mine(e, new int[] {0, 0, 1, 2}, null);
        double dap = 2 - 2 * c;
        assertEquals(dap, m.triplets().get(0).positiveDistance(), 1e-6);
        // from anchor 0, negatives at 2 (face 2) and 4 (face 3): both beyond 0.2 + dap, so the closer, face 2
        assertEquals(2, m.triplets().get(0).negative());
        assertEquals(Triplet.Kind.EASY, m.triplets().get(0).kind());
        double[][] d = SemiHardMiner.squaredDistances(e);
        double sum = 0;
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                sum += d[i][j];
            }
        }
        assertEquals(sum / 12, m.meanDistance(), 1e-9);
        assertEquals(4, d[0][3], 1e-9);
    }

    @Test
    void rejectsBadSettingsAndShapes() {
        assertThrows(IllegalArgumentException.class, () -> new SemiHardMiner(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new SemiHardMiner(0.2, 0));
        assertThrows(IllegalArgumentException.class,
                () -> SemiHardMiner.facenet().mine(new double[2][2], new int[] {0, 0, 1}, null));
        assertNull(null);
    }
}
