package io.facestream.train.trainer;

import io.facestream.recognize.align.FaceCrop;
import io.facestream.recognize.embed.TrainableNetwork;
import io.facestream.recognize.embed.WeightMix;
import io.facestream.train.buffer.ReplayBuffer;
import io.facestream.train.distill.AnchorModel;
import io.facestream.train.distill.KeptFaces;
import io.facestream.train.gate.SetFigures;
import io.facestream.train.gate.ValidationGate;
import io.facestream.train.model.ModelRecord;
import io.facestream.train.model.ModelWriter;
import io.facestream.train.report.TrainingCurve;
import io.facestream.train.sample.PkSampler;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * An offline training run: measures the starting model on the gate's sets, then steps the trainer on P×K
 * batches from the replay buffer; every {@code evalEvery} steps (and after the last) the gate judges the
 * current weights against the last kept model, a passing candidate is saved to {@code <out>/best} (its
 * figures become the bar) and the latest weights to {@code <out>/checkpoint}. Once the collapse guard trips
 * nothing more is kept and the run stops. The log and the curve are rewritten at every evaluation.
 */
public final class TrainingRun {

    /** Receives progress. */
    public interface Listener {
        /** After each step; {@code imagesPerSecond} over the run so far, {@code etaSeconds} to the last step. */
        default void onStep(StepResult step, int totalSteps, double imagesPerSecond, double etaSeconds) {
        }

        /** After each gate evaluation. */
        default void onEvaluation(Evaluation evaluation) {
        }

        /** When the collapse guard trips. */
        default void onCollapse(String reason) {
        }

        /** A kept model was published (by a run whose keeper publishes, see {@link #onKept}). */
        default void onPublished(ModelRecord model, int step) {
        }
    }

    /** What a run does with each model the gate keeps, once it is saved to {@code <out>/best}. */
    public interface Keeper {
        void kept(ModelRecord model, Path dir, int step) throws Exception;
    }

    /**
     * How the run ended.
     *
     * @param start the starting model's figures on the gate's sets
     */
    public record Outcome(ModelRecord best, int steps, long imagesSeen, double trainSeconds, double imagesPerSecond,
            String collapse, ValidationGate.Figures start) {
    }

    /** Folder of the best passing model inside the output folder. */
    public static final String BEST = "best";
    /** Folder of the latest weights inside the output folder (not gated). */
    public static final String CHECKPOINT = "checkpoint";
    /** The JSON log. */
    public static final String LOG = "train-log.json";
    /** The training curve. */
    public static final String CURVE = "training-curve.png";

    private final TrainableNetwork net;
    private final AnchorModel anchor;
    private final ReplayBuffer buffer;
    private final ValidationGate gate;
    private final TrainerOptions options;
    private final Path out;
    private final TrainingLog log;
    private ValidationGate.Figures generalReference;
    private List<Double> mixes = List.of();
    private int positivePool = 1;
    private boolean joinLineages;
    private Keeper keeper;
    private KeptFaces kept;
    private WeightMix.Snapshot startWeights;

    /** A run without an anchor model (no distillation, no drift reported). */
    public TrainingRun(TrainableNetwork net, ReplayBuffer buffer, ValidationGate gate, TrainerOptions options, Path out,
            TrainingLog log) {
        this(net, null, buffer, gate, options, out, log);
    }

    /**
     * A run whose steps measure drift from, and (with a distillation weight above 0) are pulled toward,
     * {@code anchor}, the frozen starting model (or null).
     */
    public TrainingRun(TrainableNetwork net, AnchorModel anchor, ReplayBuffer buffer, ValidationGate gate,
            TrainerOptions options, Path out, TrainingLog log) {
        this.net = net;
        this.anchor = anchor;
        this.buffer = buffer;
        this.gate = gate;
        this.options = options;
        this.out = out;
        this.log = log;
    }

    /**
     * Judges general accuracy against {@code reference} (a model measured on the same gate) instead of the starting
     * model: a chain of runs, each starting from the last one's model, keeps one fixed bar this way.
     */
    public TrainingRun generalReference(ValidationGate.Figures reference) {
        this.generalReference = reference;
        return this;
    }

    /**
     * At each evaluation, also judges these mixes of the weights with the starting model's (each alpha in (0, 1):
     * {@code (1 - alpha) * start + alpha * trained}, see {@link WeightMix}) and keeps, among the candidates that pass
     * the gate, the one with the highest target accuracy (on a tie the smaller alpha, the nearer the start). Training
     * goes on from the trained weights either way; the checkpoint holds them.
     */
    public TrainingRun mixes(List<Double> alphas) {
        for (double a : alphas) {
            if (!(a > 0 && a < 1)) {
                throw new IllegalArgumentException("a weight mix alpha must be in (0, 1), was " + a);
            }
        }
        this.mixes = alphas.stream().sorted().toList();
        return this;
    }

    /**
     * Draws each identity's K faces as a random anchor and the K - 1 farthest from it under the network being
     * trained, among {@code pool} × K random faces of that identity (1, the default: at random; see
     * {@link PkSampler#next(Function, int)}).
     */
    public TrainingRun positivePool(int pool) {
        if (pool < 1) {
            throw new IllegalArgumentException("the positive pool must be at least 1 (x K faces), was " + pool);
        }
        this.positivePool = pool;
        return this;
    }

    /**
     * Hands each kept model to {@code keeper} as soon as the gate keeps it, before the run goes on (the continuous
     * trainer publishes it then, rather than when the round ends). A keeper's failure ends the run.
     */
    public TrainingRun onKept(Keeper keeper) {
        this.keeper = keeper;
        return this;
    }

    /** Draws the tracks of one lineage as one identity (see {@link PkSampler#joiningLineages}). */
    public TrainingRun joinLineages(boolean join) {
        this.joinLineages = join;
        return this;
    }

    /**
     * Holds {@code faces} (or null: none) where the anchor model puts them at every step ({@link KeptFaces}); needs
     * the anchor ({@link TripletTrainer} refuses them without one).
     */
    public TrainingRun keeping(KeptFaces faces) {
        this.kept = faces;
        return this;
    }

    private void keep(ModelRecord model, int step) throws IOException {
        try {
            keeper.kept(model, out.resolve(BEST), step);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("the kept model " + model.id() + " of step " + step + " could not be handed on: "
                    + e.getMessage(), e);
        }
    }

    /** Runs to the last step or to a collapse. */
    public Outcome run(Listener listener) throws IOException {
        PkSampler sampler = new PkSampler(buffer, options.p(), options.k(), options.seed()).joiningLineages(joinLineages);
        if (joinLineages) {
            log.setting("join_lineages", true);
        }
        CollapseGuard guard = new CollapseGuard(options.collapseDistance());
        try (TripletTrainer trainer = new TripletTrainer(net, options, anchor, kept)) {
            // Every embedding the gate asks for, by crop: the general set's give its drift without a second pass.
            Map<FaceCrop, float[]> embedded = new IdentityHashMap<>();
            Function<List<FaceCrop>, float[][]> embed = crops -> {
                float[][] e = trainer.embed(crops);
                for (int i = 0; i < e.length; i++) {
                    embedded.put(crops.get(i), e[i]);
                }
                return e;
            };
            ValidationGate.Figures parent = gate.measure(embed);
            startWeights = mixes.isEmpty() ? null : WeightMix.snapshot(net);
            List<FaceCrop> generalCrops = gate.general() == null ? null : gate.general().cropsInOrder();
            float[][] startGeneral = generalCrops == null ? null : rows(embedded, generalCrops);
            ValidationGate.Figures current = parent;
            Evaluation start = new Evaluation(0, parent.target(), parent.general(), true, null,
                    "the starting model " + net.loadedId(), startGeneral == null ? null : 0.0);
            log.add(start);
            listener.onEvaluation(start);
            ModelRecord best = null;
            double trainSeconds = 0;
            for (int s = 1; s <= options.steps(); s++) {
                StepResult r = trainer.step(sampler.next(positivePool > 1 ? trainer::embed : null, positivePool));
                trainSeconds += r.seconds();
                log.add(r);
                double rate = trainer.imagesSeen() / trainSeconds;
                double eta = (options.steps() - s) * (trainSeconds / s);
                listener.onStep(r, options.steps(), rate, eta);
                if (guard.update(r)) {
                    listener.onCollapse(guard.reason());
                    log.summary("collapse", guard.reason());
                    break;
                }
                if (s % options.evalEvery() == 0 || s == options.steps()) {
                    ValidationGate.Figures reference = generalReference != null ? generalReference : parent;
                    embedded.clear();
                    Candidate chosen = candidate(1, gate.measure(embed), current, reference, embedded, generalCrops,
                            startGeneral);
                    List<Evaluation.Judged> judged = new ArrayList<>();
                    judged.add(chosen.judged());
                    ModelWriter.save(net, record(net, parent, chosen.figures(), trainer, chosen.verdict().reason(), 1),
                            out.resolve(CHECKPOINT));
                    WeightMix.Snapshot tuned = startWeights == null ? null : WeightMix.snapshot(net);
                    ModelRecord keptNow = null;
                    try {
                        for (double a : mixes) {
                            WeightMix.apply(net, startWeights, tuned, a);
                            embedded.clear();
                            Candidate c = candidate(a, gate.measure(embed), current, reference, embedded, generalCrops,
                                    startGeneral);
                            judged.add(c.judged());
                            if (c.better(chosen)) {
                                chosen = c;
                            }
                        }
                        String reason = chosen.verdict().reason() + (chosen.alpha() < 1 ? String.format(Locale.ROOT,
                                " (weights mixed: %.2f x trained + %.2f x start)", chosen.alpha(), 1 - chosen.alpha()) : "");
                        String saved = null;
                        if (chosen.verdict().passed()) {
                            if (tuned != null) {
                                WeightMix.apply(net, startWeights, tuned, chosen.alpha());
                            }
                            best = ModelWriter.save(net, record(net, parent, chosen.figures(), trainer, reason,
                                    chosen.alpha()), out.resolve(BEST));
                            saved = best.id();
                            keptNow = best;
                            current = chosen.figures();
                        }
                        Evaluation e = new Evaluation(s, chosen.figures().target(), chosen.figures().general(),
                                chosen.verdict().passed(), saved, reason, chosen.drift(), judged);
                        log.add(e);
                        listener.onEvaluation(e);
                    } finally {
                        if (tuned != null) {
                            WeightMix.apply(net, startWeights, tuned, 1); // training goes on from the trained weights
                            tuned.close();
                        }
                    }
                    writeReports();
                    if (keeper != null && keptNow != null) {
                        // after the log is written: the published record carries the curve up to this evaluation
                        keep(keptNow, s);
                    }
                }
            }
            double rate = trainSeconds > 0 ? trainer.imagesSeen() / trainSeconds : 0;
            log.summary("steps", trainer.steps());
            log.summary("images_seen", trainer.imagesSeen());
            log.summary("train_seconds", trainSeconds);
            log.summary("images_per_second", rate);
            log.summary("best", best == null ? null : best.id());
            writeReports();
            return new Outcome(best, trainer.steps(), trainer.imagesSeen(), trainSeconds, rate, guard.reason(), parent);
        } finally {
            if (startWeights != null) {
                startWeights.close();
                startWeights = null;
            }
        }
    }

    private Candidate candidate(double alpha, ValidationGate.Figures f, ValidationGate.Figures current,
            ValidationGate.Figures reference, Map<FaceCrop, float[]> embedded, List<FaceCrop> generalCrops,
            float[][] startGeneral) {
        Double drift = startGeneral == null ? null : meanSquaredDistance(rows(embedded, generalCrops), startGeneral);
        return new Candidate(alpha, f, gate.judge(f, current, reference), drift);
    }

    /** One set of weights the gate judged at an evaluation: the trained ones (alpha 1) or a mix. */
    private record Candidate(double alpha, ValidationGate.Figures figures, ValidationGate.Verdict verdict, Double drift) {
        boolean better(Candidate other) {
            if (verdict.passed() != other.verdict.passed()) {
                return verdict.passed();
            }
            double t = figures.target().accuracy();
            double o = other.figures.target().accuracy();
            return t > o || t == o && alpha < other.alpha;
        }

        Evaluation.Judged judged() {
            SetFigures g = figures.general();
            return new Evaluation.Judged(alpha, figures.target().accuracy(), figures.target().accuracyStd(),
                    g == null ? null : g.accuracy(), drift, verdict.passed());
        }
    }

    private ModelRecord record(TrainableNetwork net, ValidationGate.Figures parent, ValidationGate.Figures f,
            TripletTrainer trainer, String reason, double alpha) {
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("p", options.p());
        training.put("k", options.k());
        training.put("optimizer", options.optimizer());
        training.put("parameters", options.parameters());
        training.put("distill_to", options.distillTarget());
        training.put("learning_rate", options.learningRate());
        if (options.warmupSteps() > 0) {
            training.put("warmup_steps", options.warmupSteps());
        }
        training.put("alpha", options.alpha());
        training.put("flip", options.flip());
        training.put("brightness_jitter", options.brightnessJitter());
        training.put("directional_light", options.directionalLight());
        training.put("noisy_positive_cap", options.noisyPositiveCap());
        training.put("seed", options.seed());
        training.put("distill_weight", options.distillWeight());
        if (kept != null) {
            training.put("kept_faces", kept.size());
            training.put("kept_weight", kept.weight());
            training.put("kept_per_step", kept.perStep());
            training.put("kept_relit", kept.relitShare());
            if (kept.jitter() != null) {
                training.put("kept_jitter", kept.jitter().strength());
            }
        }
        if (alpha < 1) {
            training.put("mix_alpha", alpha);
        }
        training.put("first_trained_layer", options.firstTrainedLayer() == null ? "stem" : options.firstTrainedLayer());
        if (options.lastTrainedLayer() != null) {
            training.put("last_trained_layer", options.lastTrainedLayer());
        }
        training.putAll(log.settings());
        return new ModelRecord(null, net.loadedId(), net.architecture(), f.target().threshold(), trainer.steps(),
                trainer.imagesSeen(), f.target(), f.general(), parent.target(), parent.general(), reason, training,
                Instant.now().toString());
    }

    private static float[][] rows(Map<FaceCrop, float[]> embedded, List<FaceCrop> crops) {
        float[][] out = new float[crops.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = embedded.get(crops.get(i));
        }
        return out;
    }

    /** Mean over rows of the squared L2 distance between two row-aligned sets of embeddings. */
    static double meanSquaredDistance(float[][] a, float[][] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                double t = a[i][j] - b[i][j];
                sum += t * t;
            }
        }
        return a.length == 0 ? 0 : sum / a.length;
    }

    private void writeReports() throws IOException {
        log.write(out.resolve(LOG));
        TrainingCurve.of(log).write(out.resolve(CURVE));
    }
}
