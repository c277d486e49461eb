package io.facestream.train.trainer;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.facestream.train.gate.SetFigures;
import java.util.List;

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
 * @param candidates every candidate the gate judged at this step (the trained weights and each mix), or null for
 *     the starting model
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Evaluation(
        @JsonProperty("step") int step,
        @JsonProperty("target") SetFigures target,
        @JsonProperty("general") SetFigures general,
        @JsonProperty("passed") boolean passed,
        @JsonProperty("saved") String saved,
        @JsonProperty("reason") String reason,
        @JsonProperty("general_drift") Double generalDrift,
        @JsonProperty("candidates") List<Judged> candidates) {

    /**
     * One candidate of an evaluation as the gate saw it.
     *
     * @param mix the share of the trained weights (1: as trained; below, mixed with the start's)
     * @param target its accuracy on the held-out target pairs
     * @param targetStd that accuracy's spread between folds
     * @param general its accuracy on the general pairs, or null
     * @param generalDrift its general drift, or null
     * @param passed whether the gate would have let it through
     */
    public record Judged(@JsonProperty("mix") double mix, @JsonProperty("target") double target,
            @JsonProperty("target_std") double targetStd, @JsonProperty("general") Double general,
            @JsonProperty("general_drift") Double generalDrift, @JsonProperty("passed") boolean passed) {
    }

    /** An evaluation without its candidates listed. */
    public Evaluation(int step, SetFigures target, SetFigures general, boolean passed, String saved, String reason,
            Double generalDrift) {
        this(step, target, general, passed, saved, reason, generalDrift, null);
    }
}
