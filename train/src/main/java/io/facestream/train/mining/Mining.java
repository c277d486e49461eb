package io.facestream.train.mining;

import java.util.List;

/**
 * What {@link SemiHardMiner} selected in one batch.
 *
 * @param triplets one per kept anchor-positive pair
 * @param pairs anchor-positive pairs in the batch (ordered: each face is the anchor of each of its positives)
 * @param skippedNoisy pairs left out by the label-noise rule
 * @param alpha the margin
 * @param meanDistance mean squared L2 over all pairs of distinct faces of the batch (≈2 for spread-out unit
 *     vectors in many dimensions, → 0 when the embedding collapses to a point)
 */
public record Mining(List<Triplet> triplets, int pairs, int skippedNoisy, double alpha, double meanDistance) {

    public Mining {
        triplets = List.copyOf(triplets);
    }

    /** Triplets with a non-zero loss. */
    public long active() {
        return triplets.stream().filter(t -> t.loss(alpha) > 0).count();
    }

    /** Share of the selected triplets with a non-zero loss; 0 when none was selected. */
    public double activeFraction() {
        return triplets.isEmpty() ? 0 : (double) active() / triplets.size();
    }

    /** Mean hinge loss over the selected triplets at selection time; 0 when none was selected. */
    public double meanLoss() {
        return triplets.stream().mapToDouble(t -> t.loss(alpha)).average().orElse(0);
    }

    /** Triplets of one kind. */
    public long count(Triplet.Kind kind) {
        return triplets.stream().filter(t -> t.kind() == kind).count();
    }
}
