package io.facestream.train.gate;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.facestream.recognize.eval.VerificationReport;

/**
 * One model's verification figures on one pairs set, by the LFW protocol (10 folds, threshold chosen on
 * 9, tested on the 10th).
 *
 * @param set the set's name (its pairs file)
 * @param pairs pairs evaluated
 * @param accuracy mean held-out accuracy over the folds
 * @param accuracyStd population standard deviation of the fold accuracies
 * @param val mean true-accept rate at FAR 1e-3
 * @param valStd population standard deviation of the fold VALs
 * @param threshold mean of the folds' accuracy thresholds (squared L2)
 */
public record SetFigures(
        @JsonProperty("set") String set,
        @JsonProperty("pairs") int pairs,
        @JsonProperty("accuracy") double accuracy,
        @JsonProperty("accuracy_std") double accuracyStd,
        @JsonProperty("val") double val,
        @JsonProperty("val_std") double valStd,
        @JsonProperty("threshold") double threshold) {

    /** The figures of a protocol run. */
    public static SetFigures of(String set, VerificationReport r) {
        return new SetFigures(set, r.pairs(), r.accuracyMean(), r.accuracyStd(), r.valMean(), r.valStd(), r.thresholdMean());
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%s: %.2f%% ± %.2f, VAL@1e-3 %.2f%%", set, 100 * accuracy,
                100 * accuracyStd, 100 * val);
    }
}
