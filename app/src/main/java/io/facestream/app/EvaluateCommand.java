package io.facestream.app;

import io.facestream.core.Embedding;
import io.facestream.recognize.engine.DatasetEmbedder;
import io.facestream.recognize.engine.EngineOptions;
import io.facestream.recognize.engine.EnsembleWeights;
import io.facestream.recognize.engine.FaceModel;
import io.facestream.recognize.engine.FaceVariants;
import io.facestream.recognize.engine.MultiView;
import io.facestream.recognize.eval.Pair;
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

    @Option(names = "--flip", description = "Add the mirrored face's embedding to each embedding.")
    boolean flip;

    @Option(names = "--multiview", description = {"Six views of each face instead of two (see MultiView): the mirrored",
        "image detected again, landmarks averaged, crops mirrored both ways; about 3x the work of --flip."})
    boolean multiview;

    @Option(names = "--roc", paramLabel = "ROC.png", description = "Draw the ROC curve (log-scale FAR) to this PNG.")
    Path roc;

    @Option(names = "--json", paramLabel = "OUT.json", description = "Write the figures as JSON to this file.")
    Path json;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "0",
            description = "Parallel workers, each with its own networks and one thread (default: one per core).")
    int workers;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Option(names = "--all", description = {"Evaluate every configuration (each embedder and the ensemble, with and",
        "without --flip) from one pass over the images; --json then writes a list, --roc draws all curves."})
    boolean all;

    @Mixin
    EngineMixin engine;

    @Override
    public Integer call() throws Exception {
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
        EngineOptions opts = new EngineOptions(engine.weightsDir, threads, engine.device, engine.minFace);
        System.err.printf(Locale.ROOT, "evaluate: %d pairs over %d images, model %s%s, %d workers x %d thread%s%n",
                pf.pairs().size(), files.size(), engine.model, flip ? " + flip" : "", n, threads, threads == 1 ? "" : "s");
        DatasetEmbedder embedder = new DatasetEmbedder(opts, n);
        if (all) {
            return evaluateAll(pf, embedder);
        }
        DatasetEmbedder.Result<Embedding> r;
        try (ProgressBar bar = quiet ? null : new ProgressBar(files.size(), "img")) {
            r = multiview ? select(embedder.embedMultiView(files, k -> step(bar, k)), engine.model)
                    : embedder.embed(files, engine.model, flip, k -> step(bar, k));
        }
        requireAllRead(r);
        VerificationReport report = evaluate(pf, r.embeddings(), name(engine.model), flip || multiview, r);
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

    /** The model's name in reports: "ensemble", or "ensemble (6 views)" with --multiview. */
    private String name(FaceModel model) {
        return multiview ? model.cliName() + " (" + MultiView.VIEWS + " views)" : model.cliName();
    }

    private static DatasetEmbedder.Result<Embedding> select(DatasetEmbedder.Result<FaceVariants> r, FaceModel model) {
        Map<Path, Embedding> emb = new HashMap<>();
        r.embeddings().forEach((p, v) -> emb.put(p, v.select(model, false, EnsembleWeights.BALANCED)));
        return new DatasetEmbedder.Result<>(emb, r.noFace(), r.failed(), r.seconds());
    }

    private int evaluateAll(PairsFile pf, DatasetEmbedder embedder) throws Exception {
        DatasetEmbedder.Result<FaceVariants> r;
        try (ProgressBar bar = quiet ? null : new ProgressBar(pf.images().size(), "img")) {
            r = multiview ? embedder.embedMultiView(pf.images(), k -> step(bar, k))
                    : embedder.embedVariants(pf.images(), k -> step(bar, k));
        }
        requireAllRead(r);
        List<VerificationReport> reports = new ArrayList<>();
        RocPlot plot = new RocPlot().title("LFW verification ROC");
        System.out.printf("%-22s %17s %17s %9s %7s %10s%n", "configuration", "accuracy", "VAL@FAR=1e-3", "AUC", "EER", "threshold");
        for (FaceModel m : FaceModel.values()) {
            for (boolean f : multiview ? new boolean[] {true} : new boolean[] {false, true}) {
                Map<Path, Embedding> emb = new HashMap<>();
                r.embeddings().forEach((p, v) -> emb.put(p, v.select(m, f && !multiview, EnsembleWeights.BALANCED)));
                String label = multiview ? name(m) : m.cliName() + (f ? " + flip" : "");
                VerificationReport rep = evaluate(pf, emb, multiview ? name(m) : m.cliName(), f, r);
                reports.add(rep);
                plot.add(label, rep.roc(), rep.thresholdMean());
                System.out.printf(Locale.ROOT, "%-22s %9.2f%% ± %.2f %9.2f%% ± %.2f %9.5f %6.2f%% %10.4f%n",
                        label, 100 * rep.accuracyMean(), 100 * rep.accuracyStd(),
                        100 * rep.valMean(), 100 * rep.valStd(), rep.auc(), 100 * rep.eer(), rep.thresholdMean());
            }
        }
        System.out.printf(Locale.ROOT, "%n%d images embedded once by both networks, with mirrors, in %.1f s (%.1f images/s)%n",
                pf.images().size(), r.seconds(), pf.images().size() / r.seconds());
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

    private static VerificationReport evaluate(PairsFile pf, Map<Path, Embedding> emb, String model, boolean flip,
                                               DatasetEmbedder.Result<?> r) {
        List<Pair> list = pf.pairs();
        double[] d = new double[list.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = emb.get(list.get(i).a()).squaredDistance(emb.get(list.get(i).b()));
        }
        return VerificationProtocol.exact().evaluate(pf, d)
                .withRun(model, flip, pf.images().size(), r.noFace().size(), r.seconds());
    }

    private static void step(ProgressBar bar, int k) {
        if (bar != null) {
            bar.step(k);
        }
    }

    private static void requireAllRead(DatasetEmbedder.Result<?> r) {
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
}
