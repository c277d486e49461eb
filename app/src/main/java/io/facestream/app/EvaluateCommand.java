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
            return evaluateAll(pf, embedder, set);
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
        writeErrors(pf, r.embeddings(), report, label, r);
        System.out.println(report.summary());
        System.out.printf(Locale.ROOT, "speed: %.1f images/s (%d images in %.1f s)%n", files.size() / r.seconds(), files.size(), r.seconds());
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

    private int evaluateAll(PairsFile pf, DatasetEmbedder embedder, MultiView set) throws Exception {
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
                writeErrors(pf, emb, reports.get(reports.size() - 1), labels.get(labels.size() - 1), v);
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
                    writeErrors(pf, emb, reports.get(reports.size() - 1), labels.get(labels.size() - 1), v);
                }
            }
        }
        RocPlot plot = new RocPlot().title("LFW verification ROC");
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
    private void writeErrors(PairsFile pf, Map<Path, Embedding> emb, VerificationReport report, String label,
            DatasetEmbedder.Result<?> r) throws java.io.IOException {
        if (errors == null) {
            return;
        }
        List<PairErrors.PairError> wrong = PairErrors.of(pf, distances(pf, emb), report);
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
