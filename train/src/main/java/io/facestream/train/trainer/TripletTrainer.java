package io.facestream.train.trainer;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.facestream.recognize.align.FaceCrop;
import io.facestream.recognize.embed.TrainableNetwork;
import io.facestream.train.distill.AnchorModel;
import io.facestream.train.distill.Distillation;
import io.facestream.train.distill.KeptFaces;
import io.facestream.train.distill.PersonCentres;
import io.facestream.train.mining.Mining;
import io.facestream.train.mining.SemiHardMiner;
import io.facestream.train.mining.Triplet;
import io.facestream.train.mining.TripletLoss;
import io.facestream.train.sample.Augmenter;
import io.facestream.train.sample.Batch;
import java.util.List;

/**
 * Steps a DJL {@link Trainer} on P×K batches with the triplet loss: augment, forward with gradient,
 * mine and compute the loss, backward, one optimiser update (Adam, or SGD with momentum). The parameters start as the network's (the
 * public weights or a saved model); nothing is re-initialised.
 *
 * <p>Label noise (track labels: identity switches, split tracks) is contained in three places: the
 * replay buffer caps the faces of any one label, so a wrong track is a small share of the batches;
 * the miner ignores pairs with a track label whose positive distance is above
 * {@link TrainerOptions#noisyPositiveCap()} (a wrong positive pulls two people together with the full
 * loss); and the gate keeps a model only if held-out verification does not get worse, whatever the
 * labels taught it.
 *
 * <p>Forgetting is limited by the distillation term ({@link Distillation}) when an anchor model is given:
 * the loss becomes {@code triplet + λ · mean ‖f(x) − f₀(x)‖²} on the batch's augmented crops, f₀ the frozen
 * starting model; every step reports that drift, whether or not λ is above zero. With
 * {@link TrainerOptions#distillToCentre()} the term pulls each crop toward its person's centre in the starting
 * model's space instead ({@link PersonCentres}); the drift reported stays the distance from the crop's own start
 * embedding. With {@link KeptFaces} a second term, {@code μ · mean ‖f(g) − f₀(g)‖²}, holds general-domain faces g
 * (not in the batch) where the starting model put them; those it shows relit keep the target of the unlit face.
 *
 * <p>One thread owns a trainer: PyTorch's gradient switch is per thread, and the gradient collector
 * restores the switch it found. {@link #embed} switches gradients off first, so validation between steps
 * records no graph.
 */
public final class TripletTrainer implements AutoCloseable {

    /** Crops per inference call in validation. */
    static final int EMBED_BATCH = 32;

    private final TrainableNetwork net;
    private final TripletLoss loss;
    private final Trainer trainer;
    private final Augmenter augmenter;
    private final AnchorModel anchor;
    private final Distillation distillation;
    private final PersonCentres centres;
    private final KeptFaces kept;
    private final int trainableLayers;
    private int steps;
    private long imagesSeen;

    /** A trainer of {@code net} (which it does not close) with {@code options}, without an anchor model. */
    public TripletTrainer(TrainableNetwork net, TrainerOptions options) {
        this(net, options, null);
    }

    /**
     * A trainer of {@code net} with {@code options}; {@code anchor} (or null) holds the starting model, which
     * the distillation term pulls toward and every step's drift is measured from. Neither is closed here.
     */
    public TripletTrainer(TrainableNetwork net, TrainerOptions options, AnchorModel anchor) {
        this(net, options, anchor, null);
    }

    /**
     * A trainer of {@code net} with {@code options}, {@code anchor} (or null) and general-domain faces {@code kept}
     * (or null) held where the anchor puts them, which needs the anchor.
     */
    public TripletTrainer(TrainableNetwork net, TrainerOptions options, AnchorModel anchor, KeptFaces kept) {
        if (options.distillWeight() > 0 && anchor == null) {
            throw new IllegalArgumentException("a distillation weight of " + options.distillWeight()
                    + " needs the starting model as an anchor; pass one, or set the weight to 0");
        }
        if (kept != null && anchor == null) {
            throw new IllegalArgumentException("faces to keep need the starting model as an anchor; pass one");
        }
        this.net = net;
        this.anchor = anchor;
        this.kept = kept;
        this.distillation = new Distillation(options.distillWeight());
        this.centres = options.distillToCentre() ? new PersonCentres() : null;
        this.loss = new TripletLoss(new SemiHardMiner(options.alpha(), options.noisyPositiveCap()));
        this.augmenter = new Augmenter(options.flip(), options.brightnessJitter(), options.directionalLight(),
                options.seed() + 1);
        Device device = net.model().getNDManager().getDevice();
        DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                .optOptimizer(optimizer(options))
                .optDevices(new Device[] {device});
        this.trainer = net.model().newTrainer(config);
        // After newTrainer: DJL unfreezes every parameter of a loaded model when it makes a trainer.
        this.trainableLayers = net.freezeOutside(options.firstTrainedLayer(), options.lastTrainedLayer(),
                options.trained());
        int size = net.inputSize();
        trainer.initialize(new Shape((long) options.p() * options.k(), 3, size, size));
    }

    /** The optimiser {@code options} name, at their learning rate (after their warm-up, if any). */
    static Optimizer optimizer(TrainerOptions options) {
        Tracker fixed = Tracker.fixed((float) options.learningRate());
        Tracker rate = options.warmupSteps() == 0 ? fixed
                : Tracker.warmUp().setMainTracker(fixed).optWarmUpSteps(options.warmupSteps()).optWarmUpBeginValue(0)
                        .build();
        return switch (options.optimizer()) {
            case "sgd" -> Optimizer.sgd().setLearningRateTracker(rate).optMomentum((float) TrainerOptions.SGD_MOMENTUM)
                    .build();
            case "lamb" -> Lamb.builder().optLearningRateTracker(rate).build();
            default -> Optimizer.adam().optLearningRateTracker(rate).build();
        };
    }

    /** One step on {@code batch}. */
    public StepResult step(Batch batch) {
        long start = System.nanoTime();
        int n = batch.size();
        List<float[]> augmented = batch.faces().stream().map(augmenter::apply).toList();
        float[] noisy = new float[n];
        for (int i = 0; i < n; i++) {
            noisy[i] = batch.noisy()[i] ? 1 : 0;
        }
        double value;
        double drift = 0;
        double distillLoss = 0;
        double keptDrift = 0;
        Mining mining;
        boolean updated;
        try (NDManager scope = trainer.getManager().newSubManager()) {
            NDArray x = input(augmented, scope);
            NDList labels = new NDList(scope.create(batch.labels()), scope.create(noisy), scope.create(batch.groups()));
            // The anchor runs before the collector opens: its forward switches gradients off on this thread.
            NDArray anchorUnit = anchor == null ? null : anchor.unitEmbeddings(x);
            List<KeptFaces.Shown> shown = kept == null ? null : kept.next();
            NDArray keptX = shown == null ? null : input(shown.stream().map(KeptFaces.Shown::input).toList(), scope);
            NDArray keptAnchor = shown == null ? null : shown.stream().anyMatch(KeptFaces.Shown::relit)
                    ? anchor.unitEmbeddings(input(shown.stream().map(KeptFaces.Shown::target).toList(), scope))
                    : anchor.unitEmbeddings(keptX);
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList out = trainer.forward(new NDList(x));
                NDArray l = loss.evaluate(labels, out);
                mining = loss.lastMining();
                value = l.getFloat();
                NDArray total = l;
                if (anchorUnit != null) {
                    NDArray unit = TripletLoss.normalise(out.head());
                    NDArray d = Distillation.drift(unit, anchorUnit);
                    drift = d.getFloat();
                    if (distillation.enabled()) {
                        NDArray pull = centres == null ? d
                                : Distillation.drift(unit, centres.targets(anchorUnit, people(batch), scope));
                        NDArray term = distillation.term(pull);
                        distillLoss = term.getFloat();
                        total = l.add(term);
                    }
                }
                if (keptX != null) {
                    NDArray d = Distillation.drift(TripletLoss.normalise(trainer.forward(new NDList(keptX)).head()),
                            keptAnchor);
                    keptDrift = d.getFloat();
                    total = total.add(d.mul((float) kept.weight()));
                }
                updated = mining.active() > 0 || distillLoss > 0 || keptDrift > 0;
                if (updated) {
                    collector.backward(total);
                }
            }
            if (updated) {
                // Adam would still move the weights on zero gradients (its moments), so no step without loss.
                trainer.step();
            }
        }
        steps++;
        imagesSeen += n;
        return new StepResult(steps, value, mining.activeFraction(), mining.triplets().size(),
                mining.count(Triplet.Kind.SEMI_HARD), mining.count(Triplet.Kind.HARD), mining.meanDistance(), n,
                (System.nanoTime() - start) / 1e9, updated, drift, distillLoss, keptDrift);
    }

    /** The network input (N, 3, S, S) of N crops' 0..255 CHW pixels, normalised as inference does. */
    private NDArray input(List<float[]> crops, NDManager scope) {
        int size = net.inputSize();
        int per = 3 * size * size;
        float[] input = new float[crops.size() * per];
        for (int i = 0; i < crops.size(); i++) {
            net.normalise(crops.get(i), input, i * per);
        }
        return scope.create(input, new Shape(crops.size(), 3, size, size));
    }

    private static List<String> people(Batch batch) {
        return batch.faces().stream().map(f -> f.label()).toList();
    }

    /** Unit embeddings of {@code crops} under the current parameters (no augmentation, no gradient). */
    public float[][] embed(List<FaceCrop> crops) {
        return net.embed(crops, EMBED_BATCH);
    }

    /** The anchor model, or null. */
    public AnchorModel anchor() {
        return anchor;
    }

    /** Layers whose parameters the trainer updates. */
    public int trainableLayers() {
        return trainableLayers;
    }

    /** Steps taken. */
    public int steps() {
        return steps;
    }

    /** Crops that went through the network in training. */
    public long imagesSeen() {
        return imagesSeen;
    }

    /** The network being trained. */
    public TrainableNetwork network() {
        return net;
    }

    @Override
    public void close() {
        trainer.close();
    }
}
