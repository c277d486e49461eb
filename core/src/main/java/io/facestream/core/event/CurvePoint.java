package io.facestream.core.event;

/**
 * One point of a model's training curve: the batch loss at a training step and, at the steps where the model was
 * evaluated, its verification accuracy on the held-out validation pairs.
 *
 * @param step training steps taken (0: the starting model, before any step)
 * @param loss the step's batch loss, null at a point with no step (the starting model's evaluation)
 * @param active the share of the step's selected triplets with a non-zero loss, in [0, 1], null where not logged
 * @param accuracy the held-out verification accuracy measured at this step, in [0, 1], null between evaluations
 */
public record CurvePoint(long step, Double loss, Double active, Double accuracy) {

    public CurvePoint {
        Checks.notNegative(step, "step of a training curve point");
        if (loss == null && accuracy == null) {
            throw new IllegalArgumentException("training curve point at step " + step
                    + " needs a loss, an accuracy or both, had neither");
        }
        finite(loss, "loss", step);
        fraction(active, "active triplet fraction", step);
        fraction(accuracy, "accuracy", step);
    }

    /** A step's loss and active fraction, without an evaluation. */
    public static CurvePoint step(long step, double loss, Double active) {
        return new CurvePoint(step, loss, active, null);
    }

    /** Whether the model was evaluated at this point. */
    public boolean evaluated() {
        return accuracy != null;
    }

    private static void finite(Double value, String what, long step) {
        if (value != null && !Double.isFinite(value)) {
            throw new IllegalArgumentException(what + " at training step " + step + " must be a finite number, was "
                    + value);
        }
    }

    private static void fraction(Double value, String what, long step) {
        if (value != null && !(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(what + " at training step " + step + " must be in [0, 1], was " + value);
        }
    }
}
