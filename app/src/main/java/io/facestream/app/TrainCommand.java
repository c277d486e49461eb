package io.facestream.app;

import ai.djl.Device;
import io.facestream.core.Embedding;
import io.facestream.core.event.HardExample.LabelSource;
import io.facestream.recognize.align.FaceCrop;
import io.facestream.recognize.embed.TrainableNetwork;
import io.facestream.recognize.engine.FaceEngine;
import io.facestream.recognize.engine.FaceModel;
import io.facestream.recognize.eval.PairsFile;
import io.facestream.recognize.weights.FileTrees;
import io.facestream.recognize.weights.WeightStore;
import io.facestream.train.buffer.BufferOptions;
import io.facestream.train.buffer.BufferedFace;
import io.facestream.train.buffer.ReplayBuffer;
import io.facestream.train.data.FaceCropper;
import io.facestream.train.data.HeldOutSplit;
import io.facestream.train.data.LabelledFolder;
import io.facestream.train.data.PersonDifficulty;
import io.facestream.train.distill.AnchorModel;
import io.facestream.train.distill.KeptFaces;
import io.facestream.train.gate.HeldOutPairs;
import io.facestream.train.gate.ValidationGate;
import io.facestream.train.gate.ValidationSet;
import io.facestream.train.trainer.Evaluation;
import io.facestream.train.trainer.StepResult;
import io.facestream.train.trainer.TrainerOptions;
import io.facestream.train.trainer.TrainingLog;
import io.facestream.train.trainer.TrainingRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Offline triplet training from a labelled folder, gated on held-out pairs. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Fine-tune MobileFaceNet with FaceNet's triplet loss on a labelled folder in LFW's layout.",
            "Each image is detected and aligned once; P identities x K faces per batch, semi-hard negatives",
            "(alpha 0.2), Adam (or --optimizer sgd). Every --eval-every steps the gate measures the held-out pairs by the LFW",
            "protocol and keeps the model only if it verifies at least as well as the last kept one.",
            "Writes OUT/best (open it with --model OUT/best), OUT/checkpoint, OUT/train-log.json and",
            "OUT/training-curve.png."})
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--images", paramLabel = "DIR", description = "Folder with one sub-folder per person (required offline).")
    Path images;

    @Option(names = "--people", paramLabel = "FILE", description = "Train only on these people (\"Name<TAB>count\" lines).")
    Path people;

    @Option(names = "--holdout", paramLabel = "N", description = "People held out for the gate when --val-pairs is not"
            + " given (default: a fifth, at least 2), chosen as --holdout-by says.")
    Integer holdout;

    @Option(names = "--holdout-by", paramLabel = "HOW", defaultValue = "difficulty",
            description = {"How the held-out people are chosen: difficulty (default: spread over how hard each person is",
                "for the starting model, hard to easy, so the gate can rank candidates) or shuffle (by --seed)."})
    String holdoutBy;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Output folder.")
    Path out;

    @Option(names = "--val-pairs-per-fold", paramLabel = "N", defaultValue = "100",
            description = "Same (and different) pairs per fold of the generated held-out pairs (default: ${DEFAULT-VALUE}).")
    int valPerFold;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = {"Run the continuous trainer on this Kafka",
        "cluster instead: faces from hard-examples into the replay buffer (OUT/buffer), a round every --round-every new",
        "faces from the newest published model, each model the gate keeps published to models. --val-pairs is required",
        "(its images under --val-images or --images); Ctrl-C stops."})
    String bootstrap;

    @Option(names = "--http-port", paramLabel = "N",
            description = "With --bootstrap: serve /metrics, /health/live and /health/ready on this port (0: any free"
                + " one; default: none).")
    Integer httpPort;

    @Option(names = "--http-host", paramLabel = "ADDRESS", defaultValue = "0.0.0.0",
            description = "The address --http-port listens on (default: ${DEFAULT-VALUE}, for Prometheus and probes).")
    String httpHost;

    @Mixin
    TrainingMixin training;

    /** Crops already made, by image: the difficulty ranking aligns every image once and the rest reuse them. */
    private final Map<Path, FaceCrop> aligned = new HashMap<>();

    @Mixin
    EngineMixin engine;

    @Override
    public Integer call() throws Exception {
        FaceModel start = engine.model;
        if (start.base() != FaceModel.MOBILEFACENET) {
            throw new IllegalArgumentException("--model must be mobilefacenet or a saved MobileFaceNet model folder;"
                    + " only MobileFaceNet is trainable, was " + start);
        }
        training.checkGeneral();
        if (bootstrap != null) {
            return ContinuousTraining.fromOptions(bootstrap, training, images, out, engine.options(), System.out)
                    .serving(httpPort, httpHost).runUntil(() -> false);
        }
        if (images == null) {
            throw new IllegalArgumentException("give --images DIR (a labelled folder) to train offline, or --bootstrap"
                    + " HOST:PORT to run the continuous trainer");
        }
        if (training.publishWhenKept) {
            throw new IllegalArgumentException("--publish-when-kept is for the continuous trainer (--bootstrap, or demo"
                    + " --train); offline training publishes nothing");
        }
        if (training.joinLineages) {
            throw new IllegalArgumentException("--join-lineages joins the tracks of a stream (with --bootstrap, or demo"
                    + " --train); the folders of --images are people already, with no tracks to join");
        }
        TrainerOptions options = training.options(false);
        BufferOptions bufferOptions = training.buffer();
        Path valPairs = training.valPairs;
        Path generalPairs = training.generalPairs;
        Path generalImages = training.generalImages;
        int steps = options.steps();
        LabelledFolder folder = LabelledFolder.open(images, people == null ? null : LabelledFolder.readPeople(people));
        if (!List.of("difficulty", "shuffle").contains(holdoutBy)) {
            throw new IllegalArgumentException("--holdout-by must be difficulty or shuffle, was '" + holdoutBy + "'");
        }
        Files.createDirectories(out);
        TrainingLog log = new TrainingLog();
        PairsFile target;
        List<String> trainPeople;
        PairsFile general = generalPairs == null ? null : PairsFile.read(generalPairs, generalImages);
        ValidationGate gate;
        ReplayBuffer buffer;
        KeptFaces kept;
        try (FaceEngine fe = engine.open()) {
            FaceCropper cropper = new FaceCropper(fe, FaceModel.MOBILEFACENET);
            if (valPairs != null) {
                target = PairsFile.read(valPairs, training.valImages != null ? training.valImages : images);
                Set<String> valPeople = peopleOf(target);
                trainPeople = new ArrayList<>(folder.names());
                trainPeople.removeAll(valPeople);
                System.out.printf("train: gate on %s (%d pairs); its %d people are not trained on%n", valPairs,
                        target.pairs().size(), valPeople.size());
                log.setting("val_pairs", valPairs.toString());
            } else {
                int n = holdout != null ? holdout : HeldOutSplit.defaultCount(folder.names().size());
                HeldOutSplit split = holdoutBy.equals("shuffle") ? HeldOutSplit.of(folder.names(), n, training.seed)
                        : byDifficulty(folder, n, fe, start, cropper, log);
                List<String> lines = HeldOutPairs.make(folder.restrictedTo(split.heldOut()), 10, valPerFold, training.seed);
                Path file = out.resolve("val-pairs.txt");
                Files.write(file, lines, StandardCharsets.UTF_8);
                target = PairsFile.read(file, images);
                trainPeople = split.train();
                System.out.printf("train: no --val-pairs; held out %d people for the gate (not trained on, %s): %s;"
                        + " %d pairs written to %s%n", n, holdoutBy.equals("shuffle") ? "seed " + training.seed
                        : "spread over difficulty", String.join(" ", split.heldOut()), target.pairs().size(), file);
                log.setting("held_out_people", split.heldOut());
                log.setting("val_pairs", file.toString());
            }
            LabelledFolder trainFolder = folder.restrictedTo(trainPeople);
            if (trainFolder.names().size() < 2) {
                throw new IllegalArgumentException("only " + trainFolder.names().size() + " people are left to train on; a"
                        + " triplet needs at least 2");
            }
            log.setting("images", images.toString());
            log.setting("train_people", trainFolder.names().size());
            log.setting("train_images", trainFolder.imageCount());
            buffer = fillBuffer(cropper, trainFolder, bufferOptions);
            ValidationSet targetSet = validationSet("target " + target.imageDir().getFileName(), target, cropper, aligned);
            ValidationSet generalSet = general == null ? null : validationSet("general", general, cropper);
            gate = new ValidationGate(targetSet, generalSet, training.generalTolerance);
            kept = training.keptFaces(cropper);
        }
        if (general == null) {
            System.out.println("train: no --general-pairs; the gate checks the held-out target pairs only");
        }
        Device device = ContinuousTraining.device(engine.options());
        WeightStore store = engine.weightsDir == null ? WeightStore.defaultStore() : new WeightStore(engine.weightsDir);
        try (TrainableNetwork net = TrainableNetwork.open(start.directory(), store, device);
                TrainableNetwork frozen = TrainableNetwork.open(start.directory(), store, device)) {
            System.out.println("train: " + training.describe(options, net.loadedId()));
            AnchorModel anchor = new AnchorModel(frozen);
            TrainingRun.Outcome o = new TrainingRun(net, anchor, buffer, gate, options, out, log)
                    .mixes(training.mixes).positivePool(training.positivePool).keeping(kept).run(new Progress(steps));
            System.out.printf(Locale.ROOT, "train: %d steps, %d images in %.1f s: %.1f images/s%n", o.steps(),
                    o.imagesSeen(), o.trainSeconds(), o.imagesPerSecond());
            if (o.collapse() != null) {
                System.out.println("train: stopped: " + o.collapse());
            }
            if (o.best() == null) {
                System.out.println("train: no candidate passed the gate; nothing saved as best");
                return 1;
            }
            System.out.printf("train: best model %s in %s (%s)%n", o.best().id(), out.resolve(TrainingRun.BEST), o.best().target());
            System.out.println("train: log " + out.resolve(TrainingRun.LOG) + ", curve " + out.resolve(TrainingRun.CURVE));
            return 0;
        }
    }

    private ReplayBuffer fillBuffer(FaceCropper cropper, LabelledFolder training, BufferOptions options) throws IOException {
        Path dir = out.resolve("buffer");
        FileTrees.deleteTree(dir); // an offline run starts from its folder, not from an earlier run's faces
        ReplayBuffer buffer = ReplayBuffer.open(dir, options);
        Map<Path, FaceCrop> crops = alignOnce(cropper, training.allImages(), "training images", aligned, false);
        for (String name : training.names()) {
            for (Path f : training.images(name)) {
                FaceCrop c = crops.get(f);
                if (c != null) {
                    buffer.add(name, LabelSource.CONFIRMED, c.size(), BufferedFace.toBytes(c));
                }
            }
        }
        System.out.printf("train: replay buffer %s: %d faces of %d people (bounds %d, %d per person)%n", dir,
                buffer.size(), buffer.counts().size(), options.maxFaces(), options.maxPerIdentity());
        return buffer;
    }

    static ValidationSet validationSet(String name, PairsFile pairs, FaceCropper cropper) throws IOException {
        return validationSet(name, pairs, cropper, Map.of());
    }

    /** The validation set of {@code pairs}, aligning only the images {@code known} does not already hold. */
    static ValidationSet validationSet(String name, PairsFile pairs, FaceCropper cropper, Map<Path, FaceCrop> known)
            throws IOException {
        pairs.requireImages();
        return new ValidationSet(name, pairs, alignOnce(cropper, pairs.images(), name + " pairs' images", known, true));
    }

    /**
     * Crops of {@code files}: those in {@code known} as they are, the others aligned now. An image that cannot be read
     * has no crop, or, when {@code strict}, fails the command, naming it.
     */
    private static Map<Path, FaceCrop> alignOnce(FaceCropper cropper, List<Path> files, String what,
            Map<Path, FaceCrop> known, boolean strict) throws IOException {
        List<Path> todo = files.stream().filter(f -> !known.containsKey(f)).toList();
        Map<Path, FaceCrop> crops = new LinkedHashMap<>();
        if (!todo.isEmpty()) {
            FaceCropper.Result r = crop(cropper, todo, what);
            if (strict && !r.failed().isEmpty()) {
                throw new IOException(r.failed().size() + " " + what + " could not be read, e.g. "
                        + r.failed().entrySet().iterator().next());
            }
            crops.putAll(r.crops());
        }
        for (Path f : files) {
            FaceCrop c = known.get(f);
            if (c != null) {
                crops.put(f, c);
            }
        }
        return crops;
    }

    /**
     * Holds out {@code n} people of {@code folder} spread over their difficulty for the starting model
     * ({@link PersonDifficulty}, {@link HeldOutSplit#stratified}); every image is aligned here once, for the ranking,
     * and the crops are kept for the buffer and the gate.
     */
    private HeldOutSplit byDifficulty(LabelledFolder folder, int n, FaceEngine fe, FaceModel start, FaceCropper cropper,
            TrainingLog log) throws IOException {
        aligned.putAll(alignOnce(cropper, folder.allImages(), "images (to rank the people by difficulty)", Map.of(),
                false));
        Map<String, List<float[]>> embeddings = new LinkedHashMap<>();
        for (String name : folder.names()) {
            List<FaceCrop> crops = folder.images(name).stream().map(aligned::get).filter(c -> c != null).toList();
            if (crops.size() < 2) {
                continue; // one photo gives no same-person pair: not ranked, not held out, still trained on
            }
            List<float[]> rows = new ArrayList<>();
            for (Embedding e : fe.embedCrops(start, crops)) {
                rows.add(e.values());
            }
            embeddings.put(name, rows);
        }
        if (embeddings.size() < n + 2) {
            throw new IllegalArgumentException("only " + embeddings.size() + " of the " + folder.names().size()
                    + " people have two or more photos to rank by difficulty, too few to hold out " + n
                    + " and train on 2; hold out fewer (--holdout) or choose them by --holdout-by shuffle");
        }
        Map<String, Double> difficulty = PersonDifficulty.of(embeddings);
        HeldOutSplit split = HeldOutSplit.stratified(folder.names(), difficulty, n);
        StringBuilder ranking = new StringBuilder();
        difficulty.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> ranking.append(String.format(Locale.ROOT, " %s%s %.3f", e.getKey(),
                        split.heldOut().contains(e.getKey()) ? "*" : "", e.getValue())));
        System.out.println("train: people by difficulty for " + start + " (held out: *):" + ranking);
        log.setting("difficulty", difficulty);
        return split;
    }

    static FaceCropper.Result crop(FaceCropper cropper, List<Path> files, String what) {
        int[] done = {0};
        FaceCropper.Result r = cropper.crop(files, n -> {
            done[0] += n;
            if (done[0] % 200 < n || done[0] == files.size()) {
                System.err.printf("\rtrain: aligning %s: %d/%d", what, done[0], files.size());
            }
        });
        System.err.println();
        System.out.printf(Locale.ROOT, "train: %s: %d aligned in %.1f s, %d with the fallback crop (no face found)%s%n",
                what, r.crops().size(), r.seconds(), r.noFace().size(),
                r.failed().isEmpty() ? "" : ", " + r.failed().size() + " unreadable");
        return r;
    }

    private static Set<String> peopleOf(PairsFile pairs) {
        Set<String> names = new HashSet<>();
        for (Path p : pairs.images()) {
            names.add(p.getParent().getFileName().toString());
        }
        return names;
    }

    /** Prints a progress line every few steps and one line per evaluation. */
    static class Progress implements TrainingRun.Listener {
        private final int every;

        Progress(int steps) {
            this.every = Math.max(1, Math.min(10, steps / 50));
        }

        @Override
        public void onStep(StepResult s, int total, double imagesPerSecond, double eta) {
            if (s.step() % every == 0 || s.step() == total) {
                System.out.printf(Locale.ROOT, "step %5d/%d  loss %.4f  active %5.1f%%  (%d triplets, %d semi-hard)"
                        + "  drift %.4f%s  %.1f img/s  ETA %s%n", s.step(), total, s.loss(), 100 * s.activeFraction(),
                        s.triplets(), s.semiHard(), s.drift(), s.keptDrift() > 0
                                ? String.format(Locale.ROOT, "  kept drift %.4f", s.keptDrift()) : "",
                        imagesPerSecond, duration(eta));
            }
        }

        @Override
        public void onEvaluation(Evaluation e) {
            System.out.printf(Locale.ROOT, "gate  step %d: %s%s%s -> %s%s%n", e.step(), e.target(),
                    e.general() == null ? "" : "; " + e.general(),
                    e.generalDrift() == null ? "" : String.format(Locale.ROOT, "; general drift %.4f", e.generalDrift()),
                    e.passed() ? "kept" : "refused", e.saved() == null ? " (" + e.reason() + ")" : " as " + e.saved());
        }

        @Override
        public void onCollapse(String reason) {
            System.out.println("train: " + reason + "; stopping, nothing more is kept");
        }

        private static String duration(double s) {
            long t = Math.round(s);
            return t >= 3600 ? String.format("%dh%02dm", t / 3600, t / 60 % 60) : String.format("%dm%02ds", t / 60, t % 60);
        }
    }
}
