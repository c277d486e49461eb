package io.facestream.app;

import io.facestream.core.Embedding;
import io.facestream.recognize.engine.DatasetEmbedder;
import io.facestream.recognize.engine.EngineOptions;
import io.facestream.recognize.eval.Pair;
import io.facestream.recognize.eval.PairsFile;
import io.facestream.recognize.eval.ProgressBar;
import io.facestream.recognize.eval.RocPlot;
import io.facestream.recognize.eval.VerificationProtocol;
import io.facestream.recognize.eval.VerificationReport;
import java.nio.file.Files;
import java.nio.file.Path;
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

    @Option(names = "--roc", paramLabel = "ROC.png", description = "Draw the ROC curve (log-scale FAR) to this PNG.")
    Path roc;

    @Option(names = "--json", paramLabel = "OUT.json", description = "Write the figures as JSON to this file.")
    Path json;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "0",
            description = "Parallel workers, each with its own networks and one thread (default: one per core).")
    int workers;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

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
        DatasetEmbedder.Result r;
        try (ProgressBar bar = quiet ? null : new ProgressBar(files.size(), "img")) {
            r = new DatasetEmbedder(opts, n).embed(files, engine.model, flip, k -> {
                if (bar != null) {
                    bar.step(k);
                }
            });
        }
        if (!r.failed().isEmpty()) {
            r.failed().forEach((p, why) -> System.err.println("evaluate: " + why));
            throw new IllegalStateException(r.failed().size() + " images could not be read; every pair needs both images");
        }
        Map<Path, Embedding> emb = r.embeddings();
        List<Pair> list = pf.pairs();
        double[] d = new double[list.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = emb.get(list.get(i).a()).squaredDistance(emb.get(list.get(i).b()));
        }
        VerificationReport report = VerificationProtocol.exact().evaluate(pf, d)
                .withRun(engine.model.cliName(), flip, files.size(), r.noFace().size(), r.seconds());
        System.out.println(report.summary());
        System.out.printf(Locale.ROOT, "speed: %.1f images/s (%d images in %.1f s)%n", files.size() / r.seconds(), files.size(), r.seconds());
        if (!r.noFace().isEmpty()) {
            System.out.println("no face found (fallback centre crop used) in " + r.noFace().size() + " image"
                    + (r.noFace().size() == 1 ? "" : "s") + ":");
            r.noFace().stream().limit(20).forEach(p -> System.out.println("  " + images.relativize(p)));
        }
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
}
