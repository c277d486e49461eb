package io.facestream.recognize.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Verification of two embedders fused with a weight chosen inside the cross-validation. The fused distance of a
 * pair is {@code (first + r × second) / (1 + r)}, the squared distance between the two unit embeddings
 * concatenated with the second half scaled by √r and re-normalised. For each held-out fold the ratio {@code r} is
 * the candidate whose best threshold gives the highest accuracy on the other folds; that ratio's fused distances
 * then go through the fold exactly as in {@link VerificationProtocol}: both thresholds from the other folds,
 * figures from the held-out one. A held-out fold's labels never reach the choice of its ratio.
 *
 * <p>The candidates are {@link #GRID} plus the label-free prior ratio (the ensemble's spread-based weights). Among
 * equally accurate candidates the one nearest the prior, on a log scale, wins, so the prior stands unless the
 * training folds say otherwise.
 *
 * <p>The ROC, AUC and EER are those of the cross-validated distances: each pair fused with the ratio chosen
 * without its own fold. Both halves are on the scale of squared L2 between unit vectors, so distances fused
 * with different ratios share one scale.
 */
public final class FoldFusion {

    /** The candidate ratios besides the prior; fixed before any LFW run, from 0.5 to 50. */
    public static final List<Double> GRID = List.of(0.5, 1.0, 2.0, 3.0, 4.0, 5.0, 8.0, 10.0, 13.0, 16.0, 20.0,
            30.0, 50.0);

    private final VerificationProtocol protocol;
    private final double prior;
    private final double[] candidates;

    /**
     * The outcome.
     *
     * @param report    the protocol's figures on the cross-validated distances
     * @param ratios    the ratio chosen for each fold, in the order of the report's folds
     * @param distances each pair's distance fused with the ratio of its fold
     */
    public record Result(VerificationReport report, double[] ratios, double[] distances) {

        /** The chosen ratios for people, ascending: e.g. "5.00 in 10 folds" or "5.00 in 1 fold, 6.38 in 9 folds". */
        public String ratiosText() {
            StringBuilder s = new StringBuilder();
            double[] sorted = ratios.clone();
            Arrays.sort(sorted);
            for (int i = 0; i < sorted.length; ) {
                int j = i;
                while (j < sorted.length && sorted[j] == sorted[i]) {
                    j++;
                }
                s.append(s.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%.3g", sorted[i]))
                        .append(" in ").append(j - i).append(j - i == 1 ? " fold" : " folds");
                i = j;
            }
            return s.toString();
        }
    }

    /** Fusion over {@link #GRID} and {@code prior}, with the exact threshold search. */
    public FoldFusion(double prior) {
        this(VerificationProtocol.exact(), prior, GRID);
    }

    /**
     * @param protocol the threshold search and target FAR
     * @param prior    the label-free ratio: a candidate, and the tie-break
     * @param grid     the other candidates; positive
     */
    public FoldFusion(VerificationProtocol protocol, double prior, List<Double> grid) {
        if (!(prior > 0 && Double.isFinite(prior))) {
            throw new IllegalArgumentException("the prior fusion ratio must be positive, was " + prior);
        }
        TreeSet<Double> all = new TreeSet<>(grid);
        all.add(prior);
        if (all.first() <= 0 || !Double.isFinite(all.last())) {
            throw new IllegalArgumentException("fusion ratios must be positive and finite, were " + grid);
        }
        this.protocol = protocol;
        this.prior = prior;
        this.candidates = all.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The candidates, ascending, the prior among them. */
    public double[] candidates() {
        return candidates.clone();
    }

    /** Runs the protocol on the pairs of a pairs file, in its order and with its folds. */
    public Result evaluate(PairsFile pairs, double[] first, double[] second) {
        return evaluate(first, second, pairs.labels(), pairs.foldIds());
    }

    /**
     * Runs the protocol with a fusion ratio chosen per fold.
     *
     * @param first  the first embedder's squared distance of each pair
     * @param second the second embedder's, weighted by the ratio
     * @param same   whether each pair shows the same person
     * @param folds  the fold id of each pair
     */
    public Result evaluate(double[] first, double[] second, boolean[] same, int[] folds) {
        int n = first.length;
        if (second.length != n || same.length != n || folds.length != n) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "got %d and %d distances, %d labels and %d fold ids; pass one of each per pair",
                    n, second.length, same.length, folds.length));
        }
        VerificationProtocol.requireNumbers(first);
        VerificationProtocol.requireNumbers(second);
        TreeSet<Integer> ids = VerificationProtocol.foldIds(folds);
        double[][] fused = new double[candidates.length][];
        for (int c = 0; c < candidates.length; c++) {
            fused[c] = fuse(first, second, candidates[c]);
        }
        List<FoldResult> results = new ArrayList<>();
        double[] ratios = new double[ids.size()];
        double[] crossValidated = new double[n];
        int k = 0;
        for (int id : ids) {
            int c = choose(fused, same, folds, id);
            ratios[k++] = candidates[c];
            results.add(protocol.fold(id, fused[c], same, folds));
            for (int i = 0; i < n; i++) {
                if (folds[i] == id) {
                    crossValidated[i] = fused[c][i];
                }
            }
        }
        VerificationReport report = protocol.report(results, Roc.of(crossValidated, same), n);
        return new Result(report, ratios, crossValidated);
    }

    /** The candidate with the best training accuracy without fold {@code id}; ties to the one nearest the prior. */
    private int choose(double[][] fused, boolean[] same, int[] folds, int id) {
        int best = -1;
        double bestAccuracy = -1;
        for (int c = 0; c < candidates.length; c++) {
            Sorted train = Sorted.of(fused[c], same, folds, id, false);
            double accuracy = train.accuracy(train.bestAccuracyThresholdExact());
            if (accuracy > bestAccuracy || accuracy == bestAccuracy && nearer(candidates[c], candidates[best])) {
                best = c;
                bestAccuracy = accuracy;
            }
        }
        return best;
    }

    private boolean nearer(double a, double b) {
        return Math.abs(Math.log(a / prior)) < Math.abs(Math.log(b / prior));
    }

    /** {@code (first + r × second) / (1 + r)} for every pair. */
    public static double[] fuse(double[] first, double[] second, double ratio) {
        double[] f = new double[first.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (first[i] + ratio * second[i]) / (1 + ratio);
        }
        return f;
    }
}
