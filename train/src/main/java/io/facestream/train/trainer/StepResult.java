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
 * @param updated whether the parameters changed (no update when no triplet was active)
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
        @JsonProperty("updated") boolean updated) {
}
