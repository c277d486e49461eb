package io.facestream.app;

import io.facestream.train.buffer.BufferOptions;
import io.facestream.train.data.FaceCropper;
import io.facestream.train.data.LabelledFolder;
import io.facestream.train.distill.KeptFaces;
import io.facestream.train.distill.FaceJitter;
import io.facestream.train.sample.Augmenter;
import io.facestream.train.trainer.TrainerOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The trainer's options, shared by offline training, the continuous service ({@code train --bootstrap}) and {@code demo --train}. */
final class TrainingMixin {

    /** Steps of an offline run when --steps is not given. */
    static final int OFFLINE_STEPS = 1000;
    /** Steps of a continuous round when --steps is not given. */
    static final int ROUND_STEPS = 150;

    @Option(names = "--val-pairs", paramLabel = "PAIRS.txt", description = {"Held-out target-domain pairs (LFW format) for the",
        "gate; their people are not trained on. Offline, default: pairs made from --holdout people of --images."})
    Path valPairs;

    @Option(names = "--val-images", paramLabel = "DIR", description = "Images of --val-pairs (default: --images).")
    Path valImages;

    @Option(names = "--general-pairs", paramLabel = "PAIRS.txt", description = "General pairs the model must not regress on.")
    Path generalPairs;

    @Option(names = "--general-images", paramLabel = "DIR", description = "Images of --general-pairs.")
    Path generalImages;

    @Option(names = "--general-tolerance", paramLabel = "F", defaultValue = "0.001",
            description = "Largest accepted drop of general accuracy, a fraction (default: ${DEFAULT-VALUE} = 0.1 point).")
    double generalTolerance;

    @Option(names = "--steps", paramLabel = "N", description = "Training steps (default: " + OFFLINE_STEPS + " offline, "
            + ROUND_STEPS + " per round of the continuous trainer).")
    Integer steps;

    @Option(names = "--eval-every", paramLabel = "M", description = "Steps between gate evaluations and checkpoints"
            + " (default: 100 offline, 50 per round).")
    Integer evalEvery;

    @Option(names = "--round-every", paramLabel = "N", defaultValue = "200",
            description = "Continuous trainer: new faces from the stream between rounds (default: ${DEFAULT-VALUE}).")
    int roundEvery;

    @Option(names = "--p", paramLabel = "P", defaultValue = "8", description = "Identities per batch (default: ${DEFAULT-VALUE}).")
    int p;

    @Option(names = "--k", paramLabel = "K", defaultValue = "4", description = "Faces per identity (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--lr", paramLabel = "RATE", defaultValue = "1e-4", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "adam",
            description = {"adam; lamb, Adam with each layer's step scaled to --lr times the layer's norm (the same",
                "relative change for every layer); or sgd (momentum 0.9), which moves each weight in proportion to its",
                "gradient rather than every weight by about the learning rate (default: ${DEFAULT-VALUE})."})
    String optimizer;

    @Option(names = "--brightness", paramLabel = "F", defaultValue = "0.2",
            description = "Brightness jitter of augmentation, +-F (default: ${DEFAULT-VALUE}; 0 = none).")
    double brightness;

    @Option(names = "--directional-light", paramLabel = "F", defaultValue = "0",
            description = {"Augment with a light from a random side: gain 1 +- up to F from the centre to the",
                "edges (default: ${DEFAULT-VALUE} = none)."})
    double directionalLight;

    @Option(names = "--no-flip", description = "Do not mirror half of the training crops.")
    boolean noFlip;

    @Option(names = "--train-from", paramLabel = "LAYER", defaultValue = TrainerOptions.DEFAULT_FIRST_TRAINED_LAYER,
            description = {"First MobileFaceNet layer to train; earlier ones stay frozen (default: ${DEFAULT-VALUE},",
                "the 14x14 stage on; 'stem' trains all)."})
    String trainFrom;

    @Option(names = "--train-to", paramLabel = "LAYER",
            description = {"Last MobileFaceNet layer to train; later ones keep their starting parameters (default: the",
                "last layer). bneck14_project keeps the head (1x1 expansion, GDC, embedding) as published."})
    String trainTo;

    @Option(names = "--train-params", paramLabel = "WHICH", defaultValue = "all",
            description = {"Which parameters of the trained layers learn: all; biases (one per channel; the",
                "convolution weights and PReLU slopes stay as published); or pointwise (the 1x1 convolutions' weights;",
                "the depthwise weights, biases and slopes stay as published; default: ${DEFAULT-VALUE})."})
    String trainParams;

    @Option(names = "--distill", paramLabel = "LAMBDA", defaultValue = "0",
            description = {"Weight of the distillation term LAMBDA * mean |f(x) - f0(x)|^2 that keeps each training crop's",
                "unit embedding near the public (or starting) model's (learning without forgetting; default:",
                "${DEFAULT-VALUE} = off). The drift |f(x) - f0(x)|^2 is logged at every step either way."})
    double distill;

    @Option(names = "--keep-faces", paramLabel = "DIR",
            description = {"General-domain faces (a folder with one sub-folder per person, as LFW; labels are not used)",
                "whose unit embeddings every step holds where the public model puts them: a term",
                "MU * mean |f(g) - f0(g)|^2 over --keep-per-step of them, so the model can change how it sees the",
                "target domain but pays for changing how it sees other faces. Not the gate's --general-images."})
    Path keepFaces;

    @Option(names = "--keep-weight", paramLabel = "MU", defaultValue = "1",
            description = "Weight MU of the --keep-faces term (default: ${DEFAULT-VALUE}).")
    double keepWeight;

    @Option(names = "--keep-per-step", paramLabel = "M", defaultValue = "16",
            description = "--keep-faces faces drawn at each step (default: ${DEFAULT-VALUE}).")
    int keepPerStep;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "0",
            description = {"Raise the learning rate linearly from 0 over the first N updates (default: ${DEFAULT-VALUE},",
                "none). Adam's first updates move every trained weight by about the rate whatever its gradient."})
    int warmup;

    @Option(names = "--keep-relit", paramLabel = "F", defaultValue = "0",
            description = {"Share F of the --keep-faces faces shown to the trained network under the training light",
                "(--brightness, --directional-light), their target staying the public model's embedding of the",
                "unlit face: a general face lit from one side must stay the same face (default: ${DEFAULT-VALUE})."})
    double keepRelit;

    @Option(names = "--keep-jitter", paramLabel = "S", defaultValue = "0",
            description = {"Show each --keep-faces face to the trained and the public model alike as a random view of",
                "strength S in (0, 1]: turned up to 15S degrees, scaled by a factor within 1 +- 0.15S, shifted by up to 0.1S of",
                "the side, each colour channel's gain within 1 +- 0.2S and blended toward grey by up to S; the term then holds each",
                "face's neighbourhood, not the face alone (default: ${DEFAULT-VALUE}, off)."})
    double keepJitter;

    @Option(names = "--distill-to", paramLabel = "TARGET", defaultValue = "crop",
            description = {"What the distillation term pulls each crop toward: crop (the public model's embedding of the",
                "same crop) or centre (its person's centre in the public model's space, the mean of that model's",
                "embeddings of every crop of the person seen so far; default: ${DEFAULT-VALUE})."})
    String distillTo;

    @Option(names = "--mix", paramLabel = "A[,A...]", split = ",",
            description = {"At each gate evaluation also judge these weight mixes with the starting model, (1 - A) x start",
                "+ A x trained, each A in (0, 1), and keep the passing candidate with the best held-out target accuracy",
                "(WiSE-FT; default: none). Training goes on from the trained weights."})
    List<Double> mixes = new ArrayList<>();

    @Option(names = "--positive-pool", paramLabel = "N", defaultValue = "1",
            description = {"Hard positives: each identity's K faces in a batch are a random anchor and the K - 1 farthest",
                "from it under the model being trained, among N x K random faces of that identity (default: ${DEFAULT-VALUE},",
                "K random faces)."})
    int positivePool;

    @Option(names = "--join-lineages",
            description = {"Train the tracks of one lineage as one person: a track that opened in the place of a live track",
                "it could not continue (the face had changed too much) is taken to be that person. Without it (the",
                "default) such tracks are only kept from being each other's negatives."})
    boolean joinLineages;

    @Option(names = "--publish-when-kept",
            description = {"Continuous trainer: publish each model as soon as the gate keeps it, not the round's last kept",
                "model when the round ends. Brings the first model forward; see train/README.md before using it in one JVM",
                "with the job (demo --train)."})
    boolean publishWhenKept;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "2015", description = "Seed of split, sampling and augmentation.")
    long seed;

    @Option(names = "--buffer-faces", paramLabel = "N", defaultValue = "8192", description = "Replay buffer size (default: ${DEFAULT-VALUE}).")
    int bufferFaces;

    @Option(names = "--buffer-per-identity", paramLabel = "N", defaultValue = "128",
            description = "Replay buffer faces per identity (default: ${DEFAULT-VALUE}).")
    int bufferPerIdentity;

    /** The trainer's options; {@code continuous} picks the round defaults of steps and evaluation interval. */
    TrainerOptions options(boolean continuous) {
        int n = steps != null ? steps : continuous ? ROUND_STEPS : OFFLINE_STEPS;
        int every = evalEvery != null ? evalEvery : continuous ? 50 : 100;
        if (positivePool < 1) {
            throw new IllegalArgumentException("--positive-pool must be at least 1 (x K faces), was " + positivePool);
        }
        return TrainerOptions.defaults().withSteps(n, every).withBatch(p, k).withLearningRate(lr).withOptimizer(optimizer)
                .withAugmentation(!noFlip, brightness).withDirectionalLight(directionalLight).withSeed(seed)
                .withDistillation(distill).trainingFrom("stem".equals(trainFrom) ? null : trainFrom)
                .trainingTo(trainTo)
                .withParameters(trainParams).withDistillTarget(distillTo).withWarmup(warmup);
    }

    BufferOptions buffer() {
        return new BufferOptions(bufferFaces, bufferPerIdentity);
    }

    void checkGeneral() throws IOException {
        if ((generalPairs == null) != (generalImages == null)) {
            throw new IllegalArgumentException("--general-pairs and --general-images go together");
        }
        if (keepRelit != 0 && keepFaces == null) {
            throw new IllegalArgumentException("--keep-relit relights faces of --keep-faces; give --keep-faces DIR as well");
        }
        if (keepJitter != 0 && keepFaces == null) {
            throw new IllegalArgumentException("--keep-jitter shows faces of --keep-faces in random views; give --keep-faces DIR as well");
        }
        if (!(keepJitter >= 0 && keepJitter <= 1)) {
            throw new IllegalArgumentException("--keep-jitter takes a strength in (0, 1] (0 = off), was " + keepJitter);
        }
        if (keepRelit > 0 && brightness == 0 && directionalLight == 0) {
            throw new IllegalArgumentException("--keep-relit shows kept faces under the training light, and there is none:"
                    + " give --brightness F or --directional-light F above 0");
        }
        if (keepFaces != null && generalImages != null && Files.isDirectory(keepFaces) && Files.isDirectory(generalImages)
                && Files.isSameFile(keepFaces, generalImages)) {
            throw new IllegalArgumentException("--keep-faces is the gate's --general-images (" + generalImages + "): the"
                    + " gate's general check would then measure faces training held fixed; give faces of other videos or photos");
        }
    }

    /** The faces of --keep-faces, aligned by {@code cropper}, or null without the option. */
    KeptFaces keptFaces(FaceCropper cropper) throws IOException {
        if (keepFaces == null) {
            return null;
        }
        List<Path> files = LabelledFolder.open(keepFaces, null).allImages();
        if (files.isEmpty()) {
            throw new IllegalArgumentException("--keep-faces " + keepFaces + " has no images in sub-folders; give a folder"
                    + " with one sub-folder of face images per person (as 'facestream general-pairs' writes)");
        }
        FaceCropper.Result r = TrainCommand.crop(cropper, files, "faces to keep");
        return new KeptFaces(new ArrayList<>(r.crops().values()), keepWeight, keepPerStep, seed + 2)
                .relighting(new Augmenter(false, brightness, directionalLight, seed + 3), keepRelit)
                .jittering(keepJitter > 0 ? new FaceJitter(keepJitter, seed + 4) : null);
    }

    /** One line saying how the trainer trains. */
    String describe(TrainerOptions o, String from) {
        return String.format(Locale.ROOT, "%d steps of %d x %d faces from %s (layers from %s %s%s), %s lr"
                + " %.0e%s, alpha %.1f, %s, %s", o.steps(), o.p(), o.k(), from, trainFrom,
                trainTo == null ? "on" : "to " + trainTo, switch (o.trained()) {
                    case BIASES -> ", biases only";
                    case POINTWISE -> ", 1x1 weights only";
                    case ALL -> "";
                },
                "sgd".equals(o.optimizer()) ? "SGD (momentum " + TrainerOptions.SGD_MOMENTUM + ")"
                        : "lamb".equals(o.optimizer()) ? "LAMB (Adam, each layer's step relative to its norm)" : "Adam",
                o.learningRate(), o.warmupSteps() > 0 ? " after a warm-up of " + o.warmupSteps() + " updates" : "",
                o.alpha(), augmentation(o),
                o.distillWeight() > 0 ? "distillation toward the public model"
                        + (o.distillToCentre() ? "'s person centres" : "") + ", lambda " + o.distillWeight()
                        : "no distillation") + (mixes.isEmpty() ? "" : ", weight mixes " + mixes + " judged by the gate")
                + (positivePool > 1 ? ", positives the farthest of " + positivePool + " x K faces" : "")
                + (joinLineages ? ", the tracks of a lineage trained as one person" : "")
                + (keepFaces == null ? "" : String.format(Locale.ROOT, ", the faces of %s kept near the public model"
                        + " (mu %.2g, %d per step%s)", keepFaces, keepWeight, keepPerStep,
                        (keepRelit > 0 ? String.format(Locale.ROOT, ", %.0f%% relit", 100 * keepRelit) : "")
                        + (keepJitter > 0 ? String.format(Locale.ROOT, ", random views of strength %.2g", keepJitter) : "")));
    }

    private static String augmentation(TrainerOptions o) {
        return (o.flip() ? "random flip" : "no flip") + (o.brightnessJitter() > 0
                ? String.format(Locale.ROOT, ", brightness x[%.2f, %.2f]", 1 - o.brightnessJitter(), 1 + o.brightnessJitter())
                : ", no brightness jitter") + (o.directionalLight() > 0
                ? String.format(Locale.ROOT, ", directional light up to +-%.2f", o.directionalLight()) : "");
    }
}
