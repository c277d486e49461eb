package io.facestream.train.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.facestream.train.gate.SetFigures;
import java.util.Map;

/**
 * A trained model's record, saved as {@code model.json} next to its parameters (and the value of the
 * {@code models} topic later). Inference reads {@code id}, {@code parent}, {@code architecture} and
 * {@code threshold}; the rest documents where the model came from and why it was kept.
 *
 * @param id content-derived: the architecture, {@code -ft-}, and the first 12 hex digits of the
 *     parameters' SHA-256, so the same weights always have the same id
 * @param parent the id of the model training started from ({@code mobilefacenet-192} for the public one)
 * @param architecture the public network whose structure the model has
 * @param threshold squared-L2 verification threshold chosen on the held-out target pairs (the mean of
 *     the protocol's fold thresholds), or null to use the parent's
 * @param steps training steps taken
 * @param imagesSeen face crops that went through the network in training
 * @param target the model's figures on the held-out target-domain pairs
 * @param general its figures on the general pairs, null without a general set
 * @param parentTarget the parent's figures on the same target pairs
 * @param parentGeneral the parent's figures on the same general pairs
 * @param gate the gate's sentence
 * @param training the training settings (batch shape, learning rate, margin, ...)
 * @param created ISO-8601 time of saving
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"id", "parent", "architecture", "threshold", "steps", "images_seen", "target", "general",
        "parent_target", "parent_general", "gate", "training", "created"})
public record ModelRecord(
        @JsonProperty("id") String id,
        @JsonProperty("parent") String parent,
        @JsonProperty("architecture") String architecture,
        @JsonProperty("threshold") Double threshold,
        @JsonProperty("steps") long steps,
        @JsonProperty("images_seen") long imagesSeen,
        @JsonProperty("target") SetFigures target,
        @JsonProperty("general") SetFigures general,
        @JsonProperty("parent_target") SetFigures parentTarget,
        @JsonProperty("parent_general") SetFigures parentGeneral,
        @JsonProperty("gate") String gate,
        @JsonProperty("training") Map<String, Object> training,
        @JsonProperty("created") String created) {

    /** The same record with its id set. */
    public ModelRecord withId(String newId) {
        return new ModelRecord(newId, parent, architecture, threshold, steps, imagesSeen, target, general, parentTarget,
                parentGeneral, gate, training, created);
    }
}
