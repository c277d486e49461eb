package io.facestream.train.distill;

import ai.djl.ndarray.NDArray;

/**
 * "Learning without forgetting" (Li and Hoiem, 2016) on an embedding: while the triplet loss reshapes the
 * embedding for the target domain, the term {@code λ · mean_i ‖f(x_i) − f₀(x_i)‖²} pulls each crop's unit
 * embedding back toward the one the starting model f₀ gives the same crop. Squared L2 between unit vectors
 * is the distance verification thresholds, so the term measures movement in the unit the gate judges; it is
 * zero for the unchanged model and grows as the weights move.
 *
 * <p>The principle: the public model was trained on many thousands of people; the few target identities
 * can teach it new invariances (extreme light), but every bit of movement the triplet loss does not need
 * is forgetting. The term makes that movement cost, with λ saying how much.
 */
public final class Distillation {

    private final double weight;

    /** A term of weight {@code weight} (λ ≥ 0; 0 switches it off). */
    public Distillation(double weight) {
        if (!(weight >= 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("the distillation weight λ must be a finite number ≥ 0, was " + weight);
        }
        this.weight = weight;
    }

    /** λ. */
    public double weight() {
        return weight;
    }

    /** Whether the term is on. */
    public boolean enabled() {
        return weight > 0;
    }

    /**
     * The drift: mean over the rows of the squared L2 distance between the trained network's unit embeddings
     * {@code unit} (with gradient) and the anchor's {@code anchorUnit} (constants), a scalar.
     */
    public static NDArray drift(NDArray unit, NDArray anchorUnit) {
        if (!unit.getShape().equals(anchorUnit.getShape())) {
            throw new IllegalArgumentException("the trained and the anchor embeddings differ in shape: " + unit.getShape()
                    + " vs " + anchorUnit.getShape());
        }
        return unit.sub(anchorUnit).square().sum(new int[] {1}).mean();
    }

    /** λ times the drift. */
    public NDArray term(NDArray drift) {
        return drift.mul((float) weight);
    }
}
