package io.facestream.train.trainer;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * Watches for the collapse FaceNet warns of (every face mapped to nearly one point, where the triplet
 * loss sits at α and no negative can be separated): the batches' mean pairwise squared distance,
 * averaged over a window of steps, falling below a line. Unit vectors spread over many dimensions sit
 * near 2; a collapsed embedding near 0. Once tripped it stays tripped: the run stops saving models.
 */
public final class CollapseGuard {

    /** Steps averaged. */
    static final int WINDOW = 10;

    private final double line;
    private final Deque<Double> recent = new ArrayDeque<>();
    private String reason;

    /** @param line mean squared distance below which the embedding counts as collapsed */
    public CollapseGuard(double line) {
        this.line = line;
    }

    /** Takes a step's figures; returns whether the embedding is (now or already) collapsed. */
    public boolean update(StepResult step) {
        if (reason != null) {
            return true;
        }
        recent.addLast(step.meanDistance());
        if (recent.size() > WINDOW) {
            recent.removeFirst();
        }
        double mean = recent.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        if (recent.size() == WINDOW && mean < line) {
            reason = String.format(Locale.ROOT, "the embedding collapsed at step %d: the mean squared distance between"
                    + " faces of a batch averaged %.4f over %d steps (line %.2f; spread-out faces sit near 2)",
                    step.step(), mean, WINDOW, line);
        }
        return reason != null;
    }

    /** Whether the guard tripped. */
    public boolean collapsed() {
        return reason != null;
    }

    /** The sentence that says when and why it tripped, or null. */
    public String reason() {
        return reason;
    }
}
