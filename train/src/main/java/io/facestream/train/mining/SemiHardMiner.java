package io.facestream.train.mining;

import java.util.ArrayList;
import java.util.List;

/**
 * FaceNet's online triplet selection in a P×K batch: every anchor-positive pair is used, each with the
 * semi-hard negative {@code d(a,p) < d(a,n) < d(a,p) + α} closest to the anchor (squared L2 on unit
 * embeddings).
 *
 * <p>When a pair has no semi-hard negative: if some negative is farther than the positive, the closest of
 * those is taken (it lies beyond the margin, so the triplet is kept with zero loss and counts as inactive);
 * if every negative is at most as far as the positive, the farthest negative is taken, the least hard
 * one: the pair still teaches, but FaceNet found that the hardest negatives collapse the embedding early
 * in training. Ties go to the lower batch index, so the selection is a pure function of the distances.
 *
 * <p>Label noise (a track that switched identity, or a track split in two): a pair in which either face
 * carries a noisy label (track labels) and whose positive distance is above {@code noisyPositiveCap} is
 * left out. Such a pair is more likely two people than a hard positive, and a wrong positive pulls two
 * identities together with the full gradient of the loss. The opposite error, one person under two track labels,
 * puts the same person among the negatives: faces given the same group (two tracks of one lineage, the second
 * opened where the first was without continuing it) are never each other's negatives.
 */
public final class SemiHardMiner {

    /** FaceNet's margin α (Schroff et al. 2015, §3.1). */
    public static final double FACENET_ALPHA = 0.2;

    private final double alpha;
    private final double noisyPositiveCap;

    /**
     * @param alpha the margin, in squared L2 (FaceNet: 0.2)
     * @param noisyPositiveCap the largest positive distance kept for pairs with a noisy label;
     *     {@link Double#POSITIVE_INFINITY} keeps every pair
     */
    public SemiHardMiner(double alpha, double noisyPositiveCap) {
        if (!(alpha > 0 && alpha < 4)) {
            throw new IllegalArgumentException("the margin α must be in (0, 4) (squared L2 of unit vectors), was " + alpha);
        }
        if (!(noisyPositiveCap > 0)) {
            throw new IllegalArgumentException("the noisy-positive cap must be positive, was " + noisyPositiveCap);
        }
        this.alpha = alpha;
        this.noisyPositiveCap = noisyPositiveCap;
    }

    /** FaceNet's margin, no label-noise rule. */
    public static SemiHardMiner facenet() {
        return new SemiHardMiner(FACENET_ALPHA, Double.POSITIVE_INFINITY);
    }

    /** The margin α. */
    public double alpha() {
        return alpha;
    }

    /**
     * Selects triplets among unit embeddings.
     *
     * @param embeddings one unit vector per face
     * @param labels identity of each face
     * @param noisy whether each face's label may be wrong (track labels); null: none is
     */
    public Mining mine(float[][] embeddings, int[] labels, boolean[] noisy) {
        return mine(squaredDistances(embeddings), labels, noisy, null);
    }

    /**
     * Selects triplets among unit embeddings, negatives only outside the anchor's group.
     *
     * @param groups group of each face, faces of one label always in one group; null: each label its own group
     */
    public Mining mine(float[][] embeddings, int[] labels, boolean[] noisy, int[] groups) {
        return mine(squaredDistances(embeddings), labels, noisy, groups);
    }

    /** Selects triplets from a symmetric matrix of squared distances. */
    public Mining mine(double[][] d, int[] labels, boolean[] noisy) {
        return mine(d, labels, noisy, null);
    }

    /** Selects triplets from a symmetric matrix of squared distances, negatives only outside the anchor's group. */
    public Mining mine(double[][] d, int[] labels, boolean[] noisy, int[] groups) {
        int n = labels.length;
        if (d.length != n || (noisy != null && noisy.length != n) || (groups != null && groups.length != n)) {
            throw new IllegalArgumentException("got " + d.length + " rows of distances for " + n + " labels"
                    + (noisy == null ? "" : " and " + noisy.length + " noise flags")
                    + (groups == null ? "" : " and " + groups.length + " groups"));
        }
        if (groups != null) {
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    if (labels[i] == labels[j] && groups[i] != groups[j]) {
                        throw new IllegalArgumentException("faces " + i + " and " + j + " share label " + labels[i]
                                + " but are in groups " + groups[i] + " and " + groups[j]);
                    }
                }
            }
        }
        List<Triplet> out = new ArrayList<>();
        int pairs = 0;
        int skipped = 0;
        double sum = 0;
        for (int a = 0; a < n; a++) {
            for (int p = 0; p < n; p++) {
                if (p != a) {
                    sum += d[a][p];
                }
                if (p == a || labels[p] != labels[a]) {
                    continue;
                }
                pairs++;
                double dap = d[a][p];
                if (noisy != null && (noisy[a] || noisy[p]) && dap > noisyPositiveCap) {
                    skipped++;
                    continue;
                }
                Triplet t = select(d[a], labels, groups, a, p, dap);
                if (t != null) {
                    out.add(t);
                }
            }
        }
        double mean = n > 1 ? sum / ((double) n * (n - 1)) : 0;
        return new Mining(out, pairs, skipped, alpha, mean);
    }

    private Triplet select(double[] row, int[] labels, int[] groups, int a, int p, double dap) {
        int semiHard = -1;
        int beyond = -1;
        int hard = -1;
        for (int k = 0; k < row.length; k++) {
            if (labels[k] == labels[a] || (groups != null && groups[k] == groups[a])) {
                continue;
            }
            double dan = row[k];
            if (dan > dap && dan < dap + alpha) {
                if (semiHard < 0 || dan < row[semiHard]) {
                    semiHard = k;
                }
            } else if (dan > dap) {
                if (beyond < 0 || dan < row[beyond]) {
                    beyond = k;
                }
            } else if (hard < 0 || dan > row[hard]) {
                hard = k;
            }
        }
        if (semiHard >= 0) {
            return new Triplet(a, p, semiHard, dap, row[semiHard], Triplet.Kind.SEMI_HARD);
        }
        if (beyond >= 0) {
            return new Triplet(a, p, beyond, dap, row[beyond], Triplet.Kind.EASY);
        }
        if (hard >= 0) {
            return new Triplet(a, p, hard, dap, row[hard], Triplet.Kind.HARD);
        }
        return null;
    }

    /** Squared L2 between every two rows, in double. */
    public static double[][] squaredDistances(float[][] e) {
        int n = e.length;
        double[][] d = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double s = 0;
                for (int k = 0; k < e[i].length; k++) {
                    double t = e[i][k] - e[j][k];
                    s += t * t;
                }
                d[i][j] = s;
                d[j][i] = s;
            }
        }
        return d;
    }
}
