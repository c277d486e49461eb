package io.facestream.app;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.facestream.core.Embedding;
import io.facestream.recognize.engine.DatasetEmbedder;
import io.facestream.recognize.engine.FaceModel;
import io.facestream.recognize.engine.FaceViews;
import io.facestream.recognize.engine.MultiView;
import io.facestream.recognize.eval.Pair;
import io.facestream.recognize.eval.PairsFile;
import io.facestream.recognize.eval.VerificationProtocol;
import io.facestream.recognize.eval.VerificationReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Chooses the view set of {@code evaluate --multiview} on a validation set ({@code evaluate --views-experiment}):
 * every view of every image is embedded once by both networks, each candidate set is summed from those
 * embeddings and evaluated by the protocol, and {@link #choose the rule} picks one. The candidates and the rule
 * were fixed before the first run, and the set they are meant for is one that is neither LFW nor a test set.
 */
final class ViewsExperiment {

    /**
     * The candidates, fixed before any was measured: no augmentation; {@code --flip}; the other way of mirroring;
     * the averaged landmarks with their mirror (flip on the better landmark estimate); all six; and three that
     * each add one idea to {@code --flip}: the other mirror, the averaged landmarks, the mirrored image's own
     * detection.
     */
    static final List<MultiView> CANDIDATES = List.of(
            MultiView.parse("plain"),
            MultiView.FLIP,
            MultiView.parse("plain,cflip"),
            MultiView.parse("avg,avgmirror"),
            MultiView.ALL,
            MultiView.parse("plain,tmirror,cflip"),
            MultiView.parse("plain,tmirror,avg,avgmirror"),
            MultiView.parse("plain,tmirror,mirrordet"));

    /**
     * Ensemble accuracies within this of the best are a tie: 0.1 percentage point, 6 of 6,000 pairs, well inside
     * the folds' spread.
     */
    static final double TIE = 0.001;

    private ViewsExperiment() {
    }

    /**
     * What a set costs per face: its views (each through both networks) plus its detector runs. One detection
     * costs about one view through both networks: the ensemble with flip (1 detection, 2 views) took 353 s on
     * LFW and the six views (2 detections, 6 views) 932 s, which solve to ~34 ms per detection and ~29 ms per
     * view on 2 cores.
     */
    static int cost(MultiView set) {
        return set.views().size() + (set.needsMirrorDetection() ? 2 : 1);
    }

    /**
     * The rule: the highest ensemble accuracy; sets within {@link #TIE} of it are tied and the cheapest of
     * them ({@link #cost}) wins, then the more accurate, then the earlier candidate.
     *
     * @param accuracy the ensemble's mean accuracy of each set, in the order of {@code sets}
     */
    static MultiView choose(List<MultiView> sets, double[] accuracy) {
        if (sets.isEmpty() || sets.size() != accuracy.length) {
            throw new IllegalArgumentException("need one accuracy per set, got " + sets.size() + " sets and " + accuracy.length + " accuracies");
        }
        double best = Double.NEGATIVE_INFINITY;
        for (double a : accuracy) {
            best = Math.max(best, a);
        }
        int chosen = -1;
        for (int i = 0; i < sets.size(); i++) {
            if (accuracy[i] < best - TIE) {
                continue;
            }
            if (chosen < 0 || cost(sets.get(i)) < cost(sets.get(chosen))
                    || (cost(sets.get(i)) == cost(sets.get(chosen)) && accuracy[i] > accuracy[chosen])) {
                chosen = i;
            }
        }
        return sets.get(chosen);
    }

    /** Evaluates the candidates on the embedded views, prints the table and the choice; {@code json} keeps the figures. */
    static int run(PairsFile pf, DatasetEmbedder.Result<FaceViews> r, Path json) throws IOException {
        EvaluateCommand.requireAllRead(r);
        // The pairs where the detector found both faces: the regime LFW is in, shown for information only.
        Set<Path> noFace = new HashSet<>(r.noFace());
        List<Integer> found = new ArrayList<>();
        for (int i = 0; i < pf.pairs().size(); i++) {
            Pair p = pf.pairs().get(i);
            if (!noFace.contains(p.a()) && !noFace.contains(p.b())) {
                found.add(i);
            }
        }
        System.out.printf(Locale.ROOT, "%-44s %4s %8s %8s %17s %17s %8s %10s%n", "views", "cost", "mfn", "dlib",
                "ensemble", "ensemble VAL", "AUC", "found");
        double[] accuracy = new double[CANDIDATES.size()];
        ArrayNode rows = Json.MAPPER.createArrayNode();
        for (int c = 0; c < CANDIDATES.size(); c++) {
            MultiView set = CANDIDATES.get(c);
            Map<FaceModel, VerificationReport> reports = new HashMap<>();
            Map<Path, Embedding> ensemble = null;
            for (FaceModel m : FaceModel.values()) {
                Map<Path, Embedding> emb = EvaluateCommand.select(r.embeddings(), m, set);
                reports.put(m, EvaluateCommand.evaluate(pf, emb, EvaluateCommand.name(m, set), set.hasMirror(), r));
                if (m == FaceModel.ENSEMBLE) {
                    ensemble = emb;
                }
            }
            VerificationReport e = reports.get(FaceModel.ENSEMBLE);
            VerificationReport f = onPairs(pf, ensemble, found);
            accuracy[c] = e.accuracyMean();
            System.out.printf(Locale.ROOT, "%-44s %4d %7.2f%% %7.2f%% %9.2f%% ± %.2f %9.2f%% ± %.2f %8.5f %9.2f%%%n",
                    set.label(), cost(set), 100 * reports.get(FaceModel.MOBILEFACENET).accuracyMean(),
                    100 * reports.get(FaceModel.DLIB).accuracyMean(), 100 * e.accuracyMean(), 100 * e.accuracyStd(),
                    100 * e.valMean(), 100 * e.valStd(), e.auc(), 100 * f.accuracyMean());
            ObjectNode row = rows.addObject().put("views", set.label()).put("cost", cost(set));
            for (FaceModel m : FaceModel.values()) {
                row.set(m.cliName(), Json.MAPPER.readTree(reports.get(m).toJson()));
            }
            row.put("ensemble_found_accuracy_mean", f.accuracyMean()).put("found_pairs", found.size());
        }
        MultiView chosen = choose(CANDIDATES, accuracy);
        System.out.printf(Locale.ROOT, "%ncost: views + detections per face; mfn, dlib, ensemble: mean accuracy over the %d folds;"
                        + "%nfound: ensemble accuracy on the %d of %d pairs where both faces were detected (%d images without one).%n",
                pf.folds(), found.size(), pf.pairs().size(), noFace.size());
        System.out.printf(Locale.ROOT, "rule: highest ensemble accuracy, sets within %.1f points of it tied, the cheapest of those%n", 100 * TIE);
        System.out.println("chosen: " + chosen.label());
        System.out.printf(Locale.ROOT, "%d images, every view by both networks, in %.1f s (%.1f images/s)%n",
                pf.images().size(), r.seconds(), pf.images().size() / r.seconds());
        if (json != null) {
            ObjectNode out = Json.object().put("chosen", chosen.label()).put("pairs", pf.pairs().size())
                    .put("images", pf.images().size()).put("no_face", noFace.size()).put("seconds", r.seconds());
            out.set("candidates", rows);
            Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(json.toFile(), out);
            System.out.println("figures written to " + json);
        }
        return 0;
    }

    /** The protocol on a subset of the pairs, each keeping its fold. */
    private static VerificationReport onPairs(PairsFile pf, Map<Path, Embedding> emb, List<Integer> subset) {
        double[] d = new double[subset.size()];
        boolean[] same = new boolean[subset.size()];
        int[] folds = new int[subset.size()];
        for (int k = 0; k < subset.size(); k++) {
            Pair p = pf.pairs().get(subset.get(k));
            d[k] = emb.get(p.a()).squaredDistance(emb.get(p.b()));
            same[k] = p.same();
            folds[k] = p.fold();
        }
        return VerificationProtocol.exact().evaluate(d, same, folds);
    }
}
