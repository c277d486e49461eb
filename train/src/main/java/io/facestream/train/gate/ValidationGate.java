package io.facestream.train.gate;

import io.facestream.core.Embedding;
import io.facestream.recognize.align.FaceCrop;
import io.facestream.recognize.eval.Pair;
import io.facestream.recognize.eval.VerificationProtocol;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Decides whether a candidate model may replace the current one: its verification accuracy on the
 * held-out target-domain pairs (identities never trained on, never test identities) must be at least
 * the current model's, and on the general pairs (when there are any) it may fall by at most the
 * tolerance below the starting model's. Both are measured by the LFW protocol on the same crops for both models.
 */
public final class ValidationGate {

    /** Default largest drop of general accuracy: 0.1 point, the regression the project accepts on LFW. */
    public static final double DEFAULT_GENERAL_TOLERANCE = 0.001;

    /** A model's figures on the gate's sets; {@code general} is null when the gate has no general set. */
    public record Figures(SetFigures target, SetFigures general) {
    }

    /** The outcome, with the sentence that explains it. */
    public record Verdict(boolean passed, Figures candidate, Figures current, String reason) {
    }

    private final ValidationSet target;
    private final ValidationSet general;
    private final double generalTolerance;

    /**
     * @param target held-out pairs from the target domain
     * @param general pairs from elsewhere, or null
     * @param generalTolerance largest accepted drop of general accuracy (a fraction: 0.001 = 0.1 point)
     */
    public ValidationGate(ValidationSet target, ValidationSet general, double generalTolerance) {
        if (target == null) {
            throw new IllegalArgumentException("the gate needs a target-domain validation set");
        }
        if (!(generalTolerance >= 0 && generalTolerance < 1)) {
            throw new IllegalArgumentException("general tolerance must be in [0, 1), was " + generalTolerance);
        }
        this.target = target;
        this.general = general;
        this.generalTolerance = generalTolerance;
    }

    /** The target-domain set. */
    public ValidationSet target() {
        return target;
    }

    /** The general set, or null. */
    public ValidationSet general() {
        return general;
    }

    /** Measures a model given as its embedding function (crops → unit embeddings). */
    public Figures measure(Function<List<FaceCrop>, float[][]> embed) {
        return new Figures(measure(target, embed), general == null ? null : measure(general, embed));
    }

    /** The LFW-protocol figures of one set. */
    public static SetFigures measure(ValidationSet set, Function<List<FaceCrop>, float[][]> embed) {
        List<Path> images = set.images();
        List<FaceCrop> crops = new ArrayList<>(images.size());
        for (Path p : images) {
            crops.add(set.crops().get(p));
        }
        float[][] e = embed.apply(crops);
        Map<Path, float[]> byImage = new HashMap<>();
        for (int i = 0; i < images.size(); i++) {
            byImage.put(images.get(i), e[i]);
        }
        List<Pair> pairs = set.pairs().pairs();
        double[] d = new double[pairs.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = Embedding.squaredDistance(byImage.get(pairs.get(i).a()), byImage.get(pairs.get(i).b()));
        }
        return SetFigures.of(set.name(), VerificationProtocol.exact().evaluate(set.pairs(), d).withPairs(d.length));
    }

    /** Judges a candidate's figures against the current model's (which is also the general reference). */
    public Verdict judge(Figures candidate, Figures current) {
        return judge(candidate, current, current);
    }

    /**
     * Judges a candidate: its target accuracy against the current (last kept) model's, its general accuracy
     * against {@code reference}'s, the model training started from. A fixed general reference keeps the
     * tolerance from adding up: with the current model as the bar, each kept model could fall another 0.1
     * point below the last.
     */
    public Verdict judge(Figures candidate, Figures current, Figures reference) {
        double t = candidate.target().accuracy();
        double c = current.target().accuracy();
        String[] tc = percentsApart(t, c);
        if (t < c) {
            return new Verdict(false, candidate, current,
                    "target accuracy " + tc[0] + " is below the current model's " + tc[1]);
        }
        if (general != null) {
            double g = candidate.general().accuracy();
            double gr = reference.general().accuracy();
            if (g < gr - generalTolerance) {
                return new Verdict(false, candidate, current, String.format(Locale.ROOT,
                        "general accuracy %.2f%% fell more than %.2f points below the %s model's %.2f%%",
                        100 * g, 100 * generalTolerance, reference == current ? "current" : "starting", 100 * gr));
            }
        }
        return new Verdict(true, candidate, current, String.format(Locale.ROOT,
                "target accuracy %s ≥ current %s%s", tc[0], tc[1],
                general == null ? " (no general set)" : String.format(Locale.ROOT, ", general %.2f%% (%s %.2f%%)",
                        100 * candidate.general().accuracy(), reference == current ? "current" : "starting",
                        100 * reference.general().accuracy())));
    }

    /**
     * Two accuracies as percentages with two decimals, or with as many more (up to four) as it takes to tell them
     * apart, so that a verdict never reads "99.75% is below 99.75%".
     */
    static String[] percentsApart(double a, double b) {
        for (int decimals = 2; ; decimals++) {
            String f = "%." + decimals + "f%%";
            String x = String.format(Locale.ROOT, f, 100 * a);
            String y = String.format(Locale.ROOT, f, 100 * b);
            if (!x.equals(y) || a == b || decimals == 4) {
                return new String[] {x, y};
            }
        }
    }
}
