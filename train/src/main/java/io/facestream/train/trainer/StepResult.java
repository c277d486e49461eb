package io.facestream.train.trainer;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One training step's figures.
 *
 * @param step 1-based step number
 * @param loss the batch's triplet loss (before the update)
 * @param activeFraction share of the selected triplets with a non-zero loss
 * @param triplets triplets selected
 * @param semiHard of which semi-hard
 * @param hard of which every negative was at most as far as the positive
 * @param meanDistance mean pairwise squared distance of the batch's embeddings
 * @param images crops in the batch
 * @param seconds wall time of the step
 * @param updated whether the parameters changed (no update when the whole loss was zero)
 * @param drift mean squared L2 distance between the batch's unit embeddings and the starting model's on the
 *     same crops, before the update (0 when training runs without an anchor); the forgetting the
 *     distillation term limits
 * @param distillLoss the distillation term added to the loss, λ × drift
 * @param keptDrift mean squared L2 distance between the kept general-domain faces' unit embeddings and the
 *     starting model's (0 without {@link io.facestream.train.distill.KeptFaces}); μ times it was added to the loss
 */
public record StepResult(
        @JsonProperty("step") int step,
        @JsonProperty("loss") double loss,
        @JsonProperty("active") double activeFraction,
        @JsonProperty("triplets") int triplets,
        @JsonProperty("semi_hard") long semiHard,
        @JsonProperty("hard") long hard,
        @JsonProperty("mean_distance") double meanDistance,
        @JsonProperty("images") int images,
        @JsonProperty("seconds") double seconds,
        @JsonProperty("updated") boolean updated,
        @JsonProperty("drift") double drift,
        @JsonProperty("distill_loss") double distillLoss,
        @JsonProperty("kept_drift") double keptDrift) {

    /** The figures of a step without an anchor model (no distillation). */
    public StepResult(int step, double loss, double activeFraction, int triplets, long semiHard, long hard,
            double meanDistance, int images, double seconds, boolean updated) {
        this(step, loss, activeFraction, triplets, semiHard, hard, meanDistance, images, seconds, updated, 0, 0, 0);
    }
}
