package io.facestream.recognize.eval;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The outcome of an LFW verification run. The protocol fills the figures; the caller adds the run's
 * facts (pairs, images, faces not found, model, flip, seconds) with the {@code with...} methods.
 * The JSON has exactly the 14 keys listed in {@link #JSON_KEYS}; ROC points and per-fold figures
 * stay in Java.
 *
 * @param accuracyMean  mean held-out accuracy over the folds
 * @param accuracyStd   population standard deviation of the fold accuracies (np.std)
 * @param valMean       mean true-accept rate at the target FAR
 * @param valStd        population standard deviation of the fold VALs
 * @param farMean       mean false-accept rate measured on the held-out folds
 * @param auc           area under the ROC of all pairs
 * @param eer           equal error rate of the ROC of all pairs
 * @param thresholdMean mean of the per-fold accuracy thresholds (a deployable operating point)
 * @param pairs         pairs evaluated
 * @param images        distinct images embedded
 * @param noFace        images in which no face was found
 * @param model         embedding model name
 * @param flip          whether embeddings of the horizontally flipped image were added
 * @param seconds       wall time of the run
 * @param farTarget     the FAR at which VAL was measured (1e-3 for LFW)
 * @param folds         per-fold figures
 * @param roc           the ROC of all pairs
 */
@JsonPropertyOrder({"accuracy_mean", "accuracy_std", "val_mean", "val_std", "far_mean", "auc", "eer",
        "threshold_mean", "pairs", "images", "no_face", "model", "flip", "seconds"})
public record VerificationReport(
        @JsonProperty("accuracy_mean") double accuracyMean,
        @JsonProperty("accuracy_std") double accuracyStd,
        @JsonProperty("val_mean") double valMean,
        @JsonProperty("val_std") double valStd,
        @JsonProperty("far_mean") double farMean,
        @JsonProperty("auc") double auc,
        @JsonProperty("eer") double eer,
        @JsonProperty("threshold_mean") double thresholdMean,
        @JsonProperty("pairs") int pairs,
        @JsonProperty("images") int images,
        @JsonProperty("no_face") int noFace,
        @JsonProperty("model") String model,
        @JsonProperty("flip") boolean flip,
        @JsonProperty("seconds") double seconds,
        @JsonIgnore double farTarget,
        @JsonIgnore List<FoldResult> folds,
        @JsonIgnore Roc roc) {

    /** The keys of {@link #toJson()}, in order. */
    public static final List<String> JSON_KEYS = List.of("accuracy_mean", "accuracy_std", "val_mean", "val_std",
            "far_mean", "auc", "eer", "threshold_mean", "pairs", "images", "no_face", "model", "flip", "seconds");

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Copies the fold list so the report stays immutable. */
    public VerificationReport {
        folds = folds == null ? List.of() : List.copyOf(folds);
    }

    /** This report with the run's facts filled in. */
    public VerificationReport withRun(String model, boolean flip, int images, int noFace, double seconds) {
        return new VerificationReport(accuracyMean, accuracyStd, valMean, valStd, farMean, auc, eer, thresholdMean,
                pairs, images, noFace, model, flip, seconds, farTarget, folds, roc);
    }

    /** This report with the pair count replaced (e.g. the pairs of a file, counting those left out). */
    public VerificationReport withPairs(int pairs) {
        return new VerificationReport(accuracyMean, accuracyStd, valMean, valStd, farMean, auc, eer, thresholdMean,
                pairs, images, noFace, model, flip, seconds, farTarget, folds, roc);
    }

    /** The operating point: FAR and TPR over all pairs at the mean accuracy threshold. */
    @JsonIgnore
    public Roc.Point operatingPoint() {
        return roc.at(thresholdMean);
    }

    /** The report as indented JSON with exactly the {@link #JSON_KEYS}. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("could not write the verification report as JSON", e);
        }
    }

    /** Writes {@link #toJson()} to {@code path}, creating its folder. */
    public void writeJson(Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(path, toJson() + System.lineSeparator());
    }

    /** A one-screen table for people: the headline figures, then one line per fold. */
    public String summary() {
        StringBuilder s = new StringBuilder();
        String name = model == null || model.isBlank() ? "(model not set)" : model;
        line(s, "verification", name + (flip ? " + flip" : "") + ", by the LFW protocol");
        line(s, "pairs", String.format(Locale.ROOT, "%d in %d folds", pairs, folds.size()));
        line(s, "accuracy", String.format(Locale.ROOT, "%.2f%% ± %.2f", 100 * accuracyMean, 100 * accuracyStd));
        line(s, String.format(Locale.ROOT, "VAL @ FAR %s", percent(farTarget)),
                String.format(Locale.ROOT, "%.2f%% ± %.2f  (measured FAR %s)", 100 * valMean, 100 * valStd, percent(farMean)));
        line(s, "AUC", String.format(Locale.ROOT, "%.5f", auc));
        line(s, "EER", String.format(Locale.ROOT, "%.2f%%", 100 * eer));
        Roc.Point op = roc == null ? null : operatingPoint();
        line(s, "threshold", String.format(Locale.ROOT, "%.4f (mean of folds)", thresholdMean)
                + (op == null ? "" : String.format(Locale.ROOT, "  TPR %.2f%%, FAR %s on all pairs", 100 * op.tpr(), percent(op.fpr()))));
        line(s, "images", String.format(Locale.ROOT, "%d  (no face found: %d)", images, noFace));
        line(s, "time", seconds > 0 && images > 0
                ? String.format(Locale.ROOT, "%.1f s  (%.1f images/s)", seconds, images / seconds)
                : String.format(Locale.ROOT, "%.1f s", seconds));
        if (!folds.isEmpty()) {
            s.append(String.format(Locale.ROOT, "%n  %4s %6s %10s %9s %9s %9s%n", "fold", "pairs", "threshold", "accuracy", "VAL", "FAR"));
            for (FoldResult f : folds) {
                s.append(String.format(Locale.ROOT, "  %4d %6d %10.4f %8.2f%% %8.2f%% %9s%n", f.fold(), f.pairs(), f.threshold(),
                        100 * f.accuracy(), 100 * f.val(), percent(f.far())));
            }
        }
        return s.toString();
    }

    private static void line(StringBuilder s, String label, String value) {
        s.append(String.format(Locale.ROOT, "%-18s %s%n", label, value));
    }

    private static String percent(double rate) {
        return String.format(Locale.ROOT, rate != 0 && rate < 0.01 ? "%.3f%%" : "%.2f%%", 100 * rate);
    }
}
