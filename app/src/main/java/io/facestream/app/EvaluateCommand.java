package io.facestream.app;

import io.facestream.core.Embedding;
import io.facestream.recognize.engine.DatasetEmbedder;
import io.facestream.recognize.engine.EngineOptions;
import io.facestream.recognize.engine.EnsembleWeights;
import io.facestream.recognize.engine.FaceChoice;
import io.facestream.recognize.engine.FaceModel;
import io.facestream.recognize.engine.FaceVariants;
import io.facestream.recognize.engine.FaceViews;
import io.facestream.recognize.engine.MultiView;
import io.facestream.recognize.eval.FoldFusion;
import io.facestream.recognize.eval.Pair;
import io.facestream.recognize.eval.PairErrors;
import io.facestream.recognize.eval.PairsFile;
import io.facestream.recognize.eval.ProgressBar;
import io.facestream.recognize.eval.RocPlot;
import io.facestream.recognize.eval.VerificationProtocol;
import io.facestream.recognize.eval.VerificationReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Face verification on LFW-style pairs by the FaceNet protocol. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Measure verification accuracy on LFW-style pairs by the FaceNet protocol.",
            "Every image is detected, aligned and embedded once; 10 folds, the threshold that maximises",
            "accuracy on 9 folds is tested on the 10th; VAL at FAR = 1e-3, AUC and EER. Works on any set",
            "laid out as DIR/<Name>/<Name>_NNNN.jpg with LFW's pairs.txt."})
final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--images", paramLabel = "DIR", required = true, description = "Folder with one sub-folder per person.")
    Path images;

    @Option(names = "--pairs", paramLabel = "PAIRS.txt", required = true, description = "LFW-format pairs file.")
    Path pairs;

    @Option(names = "--flip", description = "Add the mirrored face's embedding to each embedding (the views plain,tmirror).")
    boolean flip;

    @Option(names = "--multiview", description = {"The view set chosen on a validation set that is not LFW (Extended Yale B's",
        "training people; the README has the table): --views " + MultiView.CHOSEN_LIST + ", or with --dlib-chip shape68",
        "--views " + MultiView.CHOSEN_LIST_SHAPE68 + "."})
    boolean multiview;

    @Option(names = "--views", paramLabel = "LIST", converter = ViewsConverter.class,
            description = {"Test-time augmentation with these views, comma-separated, each embedded once and summed:",
                "plain (the face on its landmarks), tmirror (its mirror on the template, as --flip), cflip (the",
                "crop flipped about its centre), avg (the face on its landmarks averaged with the mirrored",
                "image's), avgmirror (that face's mirror), mirrordet (the mirrored image on its own detection).",
                "avg, avgmirror and mirrordet run the detector a second time, on the mirrored image."})
    MultiView views;

    @Option(names = "--fusion", paramLabel = "HOW", defaultValue = "spread",
            description = {"How the ensemble weighs its two networks: spread (default; the label-free weights of",
                "the stream) or folds (for each held-out fold, the dlib/MobileFaceNet ratio with the best accuracy",
                "on the other 9 folds, among 0.5 to 50 and the spread ratio). With --all, adds the ensemble's rows",
                "fused by folds."})
    String fusion;

    @Option(names = "--views-experiment", hidden = true,
            description = "Embed all six views once, evaluate the candidate view sets, print the table and the choice.")
    boolean viewsExperiment;

    @Option(names = "--roc", paramLabel = "ROC.png", description = "Draw the ROC curve (log-scale FAR) to this PNG.")
    Path roc;

    @Option(names = "--json", paramLabel = "OUT.json", description = "Write the figures as JSON to this file.")
    Path json;

    @Option(names = "--errors", paramLabel = "ERRORS.tsv",
            description = {"Write the pairs the protocol decides wrongly (each by its fold's threshold) to this tab-separated",
                "file: configuration, kind, fold, both images, distance, threshold, fallback crops. Replaced if it exists."})
    Path errors;

    @Option(names = "--face-choice", paramLabel = "RULE", defaultValue = "central", converter = ChoiceConverter.class,
            description = {"Which face stands for an image with several: central (the largest near the centre,",
                "facenet's rule), largest (facenet-pytorch's select_largest) or confident (the detector's surest)",
                "(default: ${DEFAULT-VALUE})."})
    FaceChoice.Rule faceChoice;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "0",
            description = "Parallel workers, each with its own networks and one thread (default: one per core).")
    int workers;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Option(names = "--all", description = {"Evaluate every configuration (each embedder and the ensemble, with and",
        "without --flip, or with the views of --multiview or --views) from one pass over the images;",
        "--json then writes a list, --roc draws all curves."})
    boolean all;

    @Mixin
    EngineMixin engine;

    private static final Set<FaceModel> BOTH = Set.of(FaceModel.MOBILEFACENET, FaceModel.DLIB);

    @Override
    public Integer call() throws Exception {
        MultiView set = viewSet();
        boolean byFolds = fusionByFolds();
        if (!Files.isDirectory(images)) {
            throw new IllegalArgumentException("--images " + images + " is not a folder; give the folder that holds one sub-folder per person");
        }
        if (!Files.isRegularFile(pairs)) {
            throw new IllegalArgumentException("--pairs " + pairs + ": no such file; LFW ships it as pairs.txt");
        }
        PairsFile pf = PairsFile.read(pairs, images);
        pf.requireImages();
        List<Path> files = pf.images();
        int n = workers > 0 ? workers : Math.max(1, Runtime.getRuntime().availableProcessors());
        int threads = engine.threads > 0 ? engine.threads : Math.max(1, Runtime.getRuntime().availableProcessors() / n);
        EngineOptions opts = new EngineOptions(engine.weightsDir, threads, engine.device, engine.minFace, engine.dlibChip);
        String what = viewsExperiment ? "every view, both networks" : all ? "all models" : engine.model.cliName();
        System.err.printf(Locale.ROOT, "evaluate: %d pairs over %d images, %s%s, %d workers x %d thread%s%s%n",
                pf.pairs().size(), files.size(), what, set != null ? ", views " + set.label() : flip ? " + flip" : "",
                n, threads, threads == 1 ? "" : "s",
                faceChoice == FaceChoice.Rule.CENTRAL ? "" : ", face choice " + faceChoice.name().toLowerCase(Locale.ROOT));
        DatasetEmbedder embedder = new DatasetEmbedder(opts, n).choosing(faceChoice);
        if (errors != null) {
            Files.deleteIfExists(errors);
        }
        if (viewsExperiment) {
            DatasetEmbedder.Result<FaceViews> r = embedViews(embedder, files, MultiView.ALL, BOTH);
            return ViewsExperiment.run(pf, r, json);
        }
        if (all) {
            return evaluateAll(pf, embedder, set, byFolds);
        }
        if (byFolds) {
            return evaluateByFolds(pf, embedder, set);
        }
        DatasetEmbedder.Result<Embedding> r;
        if (set != null) {
            Set<FaceModel> networks = engine.model == FaceModel.ENSEMBLE ? BOTH : Set.of(engine.model);
            r = select(embedViews(embedder, files, set, networks), engine.model, set);
        } else {
            try (ProgressBar bar = quiet ? null : new ProgressBar(files.size(), "img")) {
                r = embedder.embed(files, engine.model, flip, k -> step(bar, k));
            }
        }
        requireAllRead(r);
        String label = name(engine.model, set) + (set == null && flip ? " + flip" : "");
        VerificationReport report = evaluate(pf, r.embeddings(), name(engine.model, set), set != null ? set.hasMirror() : flip, r);
        writeErrors(pf, distances(pf, r.embeddings()), report, label, r);
        return finish(report, r);
    }

    /** Prints the summary, the speed and the faces not found; writes the JSON and the ROC when asked. */
    private int finish(VerificationReport report, DatasetEmbedder.Result<?> r) throws java.io.IOException {
        System.out.println(report.summary());
        System.out.printf(Locale.ROOT, "speed: %.1f images/s (%d images in %.1f s)%n", report.images() / r.seconds(), report.images(), r.seconds());
        printNoFace(r);
        if (json != null) {
            report.writeJson(json);
            System.out.println("figures written to " + json);
        }
        if (roc != null) {
            RocPlot.of(report).write(roc);
            System.out.println("ROC curve drawn to " + roc);
        }
        return 0;
    }

    /** Whether {@code --fusion folds} was asked for, checked against the other options. */
    private boolean fusionByFolds() {
        String how = fusion.toLowerCase(Locale.ROOT);
        if (!how.equals("spread") && !how.equals("folds")) {
            throw new IllegalArgumentException("--fusion must be spread or folds, was " + fusion);
        }
        boolean folds = how.equals("folds");
        if (folds && !all && engine.model != FaceModel.ENSEMBLE) {
            throw new IllegalArgumentException("--fusion folds weighs the ensemble's two networks; add --model ensemble"
                    + " (or --all)");
        }
        if (folds && viewsExperiment) {
            throw new IllegalArgumentException("--fusion folds and --views-experiment do not go together; the views"
                    + " experiment compares view sets with the spread weights");
        }
        return folds;
    }

    /**
     * The ensemble with its fusion ratio chosen per fold: both networks' views embedded once, each network's
     * pair distances, then {@link FoldFusion}. Prints the ratios chosen and, for comparison, the spread weights'
     * accuracy on the same embeddings.
     */
    private int evaluateByFolds(PairsFile pf, DatasetEmbedder embedder, MultiView set) throws Exception {
        MultiView views = set != null ? set : flip ? MultiView.FLIP : MultiView.parse("plain");
        DatasetEmbedder.Result<FaceViews> r = embedViews(embedder, pf.images(), views, BOTH);
        requireAllRead(r);
        double[] mfn = distances(pf, select(r.embeddings(), FaceModel.MOBILEFACENET, views));
        double[] dlib = distances(pf, select(r.embeddings(), FaceModel.DLIB, views));
        String model = (set != null ? name(FaceModel.ENSEMBLE, set) : FaceModel.ENSEMBLE.cliName()) + BY_FOLDS;
        VerificationReport report = byFolds(pf, mfn, dlib, model, model + (set == null && flip ? " + flip" : ""),
                views.hasMirror(), r);
        double ratio = EnsembleWeights.BALANCED.ratio();
        VerificationReport spread = VerificationProtocol.exact().evaluate(pf, FoldFusion.fuse(mfn, dlib, ratio));
        System.out.printf(Locale.ROOT, "for comparison, the spread ratio %.2f on the same embeddings: %.2f%% ± %.2f%n",
                ratio, 100 * spread.accuracyMean(), 100 * spread.accuracyStd());
        return finish(report, r);
    }

    private static final String BY_FOLDS = ", fusion by folds";

    /** The view set the options ask for, or null for the plain (or --flip) embedding. */
    private MultiView viewSet() {
        int given = (flip ? 1 : 0) + (multiview ? 1 : 0) + (views != null ? 1 : 0) + (viewsExperiment ? 1 : 0);
        if (given > 1) {
            throw new IllegalArgumentException("--flip, --multiview, --views and --views-experiment each choose the views;"
                    + " give one of them (--flip is --views plain,tmirror)");
        }
        return views != null ? views : multiview ? MultiView.chosen(engine.options()) : null;
    }

    private DatasetEmbedder.Result<FaceViews> embedViews(DatasetEmbedder embedder, List<Path> files, MultiView set,
            Set<FaceModel> networks) throws InterruptedException {
        try (ProgressBar bar = quiet ? null : new ProgressBar(files.size(), "img")) {
            return embedder.embedViews(files, set, networks, k -> step(bar, k));
        }
    }

    /** The model's name in reports: "ensemble", or "ensemble (plain+tmirror+avg)" with a view set. */
    static String name(FaceModel model, MultiView set) {
        return set == null ? model.cliName() : model.cliName() + " (" + set.label() + ")";
    }

    private static DatasetEmbedder.Result<Embedding> select(DatasetEmbedder.Result<FaceViews> r, FaceModel model, MultiView set) {
        return new DatasetEmbedder.Result<>(select(r.embeddings(), model, set), r.noFace(), r.failed(), r.seconds());
    }

    /** Each image's embedding by one model with the views of {@code set} summed. */
    static Map<Path, Embedding> select(Map<Path, FaceViews> views, FaceModel model, MultiView set) {
        Map<Path, Embedding> emb = new HashMap<>();
        views.forEach((p, v) -> emb.put(p, v.select(model, set, EnsembleWeights.BALANCED)));
        return emb;
    }

    private int evaluateAll(PairsFile pf, DatasetEmbedder embedder, MultiView set, boolean byFolds) throws Exception {
        DatasetEmbedder.Result<?> r;
        List<String> labels = new ArrayList<>();
        List<VerificationReport> reports = new ArrayList<>();
        if (set != null) {
            DatasetEmbedder.Result<FaceViews> v = embedViews(embedder, pf.images(), set, BOTH);
            requireAllRead(v);
            r = v;
            for (FaceModel m : FaceModel.values()) {
                labels.add(name(m, set));
                Map<Path, Embedding> emb = select(v.embeddings(), m, set);
                reports.add(evaluate(pf, emb, name(m, set), set.hasMirror(), v));
                writeErrors(pf, distances(pf, emb), reports.get(reports.size() - 1), labels.get(labels.size() - 1), v);
            }
            if (byFolds) {
                labels.add(name(FaceModel.ENSEMBLE, set) + BY_FOLDS);
                reports.add(byFolds(pf, distances(pf, select(v.embeddings(), FaceModel.MOBILEFACENET, set)),
                        distances(pf, select(v.embeddings(), FaceModel.DLIB, set)), labels.get(labels.size() - 1),
                        labels.get(labels.size() - 1), set.hasMirror(), v));
            }
        } else {
            DatasetEmbedder.Result<FaceVariants> v;
            try (ProgressBar bar = quiet ? null : new ProgressBar(pf.images().size(), "img")) {
                v = embedder.embedVariants(pf.images(), k -> step(bar, k));
            }
            requireAllRead(v);
            r = v;
            for (FaceModel m : FaceModel.values()) {
                for (boolean f : new boolean[] {false, true}) {
                    Map<Path, Embedding> emb = new HashMap<>();
                    v.embeddings().forEach((p, x) -> emb.put(p, x.select(m, f, EnsembleWeights.BALANCED)));
                    labels.add(m.cliName() + (f ? " + flip" : ""));
                    reports.add(evaluate(pf, emb, m.cliName(), f, v));
                    writeErrors(pf, distances(pf, emb), reports.get(reports.size() - 1), labels.get(labels.size() - 1), v);
                }
            }
            for (boolean f : byFolds ? new boolean[] {false, true} : new boolean[0]) {
                Map<Path, Embedding> mfn = new HashMap<>();
                Map<Path, Embedding> dlib = new HashMap<>();
                v.embeddings().forEach((p, x) -> {
                    mfn.put(p, x.select(FaceModel.MOBILEFACENET, f, EnsembleWeights.BALANCED));
                    dlib.put(p, x.select(FaceModel.DLIB, f, EnsembleWeights.BALANCED));
                });
                labels.add(FaceModel.ENSEMBLE.cliName() + BY_FOLDS + (f ? " + flip" : ""));
                reports.add(byFolds(pf, distances(pf, mfn), distances(pf, dlib), FaceModel.ENSEMBLE.cliName() + BY_FOLDS,
                        labels.get(labels.size() - 1), f, v));
            }
        }
        RocPlot plot = new RocPlot().title("ROC by the LFW protocol \u2014 " + images.toAbsolutePath().normalize().getFileName());
        int width = Math.max(22, labels.stream().mapToInt(String::length).max().orElse(0));
        System.out.printf("%-" + width + "s %17s %17s %9s %7s %10s%n", "configuration", "accuracy", "VAL@FAR=1e-3", "AUC", "EER", "threshold");
        for (int i = 0; i < reports.size(); i++) {
            VerificationReport rep = reports.get(i);
            plot.add(labels.get(i), rep.roc(), rep.thresholdMean());
            System.out.printf(Locale.ROOT, "%-" + width + "s %9.2f%% ± %.2f %9.2f%% ± %.2f %9.5f %6.2f%% %10.4f%n",
                    labels.get(i), 100 * rep.accuracyMean(), 100 * rep.accuracyStd(),
                    100 * rep.valMean(), 100 * rep.valStd(), rep.auc(), 100 * rep.eer(), rep.thresholdMean());
        }
        System.out.printf(Locale.ROOT, "%n%d images embedded once by both networks, %s, in %.1f s (%.1f images/s)%n",
                pf.images().size(), set == null ? "with mirrors" : "views " + set.label(), r.seconds(), pf.images().size() / r.seconds());
        printNoFace(r);
        if (json != null) {
            Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(json.toFile(),
                    reports.stream().map(rep -> {
                        try {
                            return Json.MAPPER.readTree(rep.toJson());
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }).toList());
            System.out.println("figures written to " + json);
        }
        if (roc != null) {
            plot.write(roc);
            System.out.println("ROC curves drawn to " + roc);
        }
        return 0;
    }

    /** The ensemble fused by folds from each network's pair distances; prints the ratios and writes the errors. */
    private VerificationReport byFolds(PairsFile pf, double[] mfn, double[] dlib, String model,
            String label, boolean mirrored, DatasetEmbedder.Result<?> r) throws java.io.IOException {
        FoldFusion.Result fused = new FoldFusion(EnsembleWeights.BALANCED.ratio()).evaluate(pf, mfn, dlib);
        VerificationReport report = fused.report().withRun(model, mirrored,
                pf.images().size(), r.noFace().size(), r.seconds());
        System.out.printf(Locale.ROOT, "%s: fusion ratios (dlib / MobileFaceNet) chosen on the other folds: %s%n",
                label, fused.ratiosText());
        writeErrors(pf, fused.distances(), report, label, r);
        return report;
    }

    static VerificationReport evaluate(PairsFile pf, Map<Path, Embedding> emb, String model, boolean flip,
                                               DatasetEmbedder.Result<?> r) {
        return VerificationProtocol.exact().evaluate(pf, distances(pf, emb))
                .withRun(model, flip, pf.images().size(), r.noFace().size(), r.seconds());
    }

    private static double[] distances(PairsFile pf, Map<Path, Embedding> emb) {
        List<Pair> list = pf.pairs();
        double[] d = new double[list.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = emb.get(list.get(i).a()).squaredDistance(emb.get(list.get(i).b()));
        }
        return d;
    }

    /** With --errors, appends the configuration's wrongly decided pairs and says how many there were. */
    private void writeErrors(PairsFile pf, double[] distances, VerificationReport report, String label,
            DatasetEmbedder.Result<?> r) throws java.io.IOException {
        if (errors == null) {
            return;
        }
        List<PairErrors.PairError> wrong = PairErrors.of(pf, distances, report);
        PairErrors.append(errors, images, label, wrong, r.noFace());
        long rejects = wrong.stream().filter(e -> e.pair().same()).count();
        System.err.printf(Locale.ROOT, "evaluate: %s: %d pairs decided wrongly (%d false rejects, %d false accepts) written to %s%n",
                label, wrong.size(), rejects, wrong.size() - rejects, errors);
    }

    private static void step(ProgressBar bar, int k) {
        if (bar != null) {
            bar.step(k);
        }
    }

    static void requireAllRead(DatasetEmbedder.Result<?> r) {
        if (!r.failed().isEmpty()) {
            r.failed().forEach((p, why) -> System.err.println("evaluate: " + why));
            throw new IllegalStateException(r.failed().size() + " images could not be read; every pair needs both images");
        }
    }

    private void printNoFace(DatasetEmbedder.Result<?> r) {
        if (!r.noFace().isEmpty()) {
            System.out.println("no face found (fallback centre crop used) in " + r.noFace().size() + " image"
                    + (r.noFace().size() == 1 ? "" : "s") + ":");
            r.noFace().stream().limit(20).forEach(p -> System.out.println("  " + images.relativize(p)));
        }
    }

    /** Parses {@code --face-choice}. */
    static final class ChoiceConverter implements picocli.CommandLine.ITypeConverter<FaceChoice.Rule> {
        @Override
        public FaceChoice.Rule convert(String value) {
            return FaceChoice.Rule.parse(value);
        }
    }

    /** Parses {@code --views}. */
    static final class ViewsConverter implements picocli.CommandLine.ITypeConverter<MultiView> {
        @Override
        public MultiView convert(String value) {
            return MultiView.parse(value);
        }
    }
}
