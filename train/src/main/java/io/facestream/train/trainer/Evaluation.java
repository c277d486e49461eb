package io.facestream.train.trainer;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.facestream.train.gate.SetFigures;

/**
 * One gate evaluation during a run.
 *
 * @param step steps taken when it was measured (0: the starting model)
 * @param target figures on the held-out target pairs
 * @param general figures on the general pairs, or null
 * @param passed whether the gate let it through (the starting model passes by definition)
 * @param saved the id of the model saved from it, or null
 * @param reason the gate's sentence
 * @param generalDrift mean squared L2 distance between the model's and the starting weights' unit embeddings
 *     of the general set's images (forgetting measured without labels), or null without a general set
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Evaluation(
        @JsonProperty("step") int step,
        @JsonProperty("target") SetFigures target,
        @JsonProperty("general") SetFigures general,
        @JsonProperty("passed") boolean passed,
        @JsonProperty("saved") String saved,
        @JsonProperty("reason") String reason,
        @JsonProperty("general_drift") Double generalDrift) {
}
