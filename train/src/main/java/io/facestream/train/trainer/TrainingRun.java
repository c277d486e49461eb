package io.facestream.train.trainer;

import io.facestream.recognize.align.FaceCrop;
import io.facestream.recognize.embed.TrainableNetwork;
import io.facestream.train.buffer.ReplayBuffer;
import io.facestream.train.distill.AnchorModel;
import io.facestream.train.gate.ValidationGate;
import io.facestream.train.model.ModelRecord;
import io.facestream.train.model.ModelWriter;
import io.facestream.train.report.TrainingCurve;
import io.facestream.train.sample.PkSampler;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
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

    /** Runs to the last step or to a collapse. */
    public Outcome run(Listener listener) throws IOException {
        PkSampler sampler = new PkSampler(buffer, options.p(), options.k(), options.seed());
        CollapseGuard guard = new CollapseGuard(options.collapseDistance());
        try (TripletTrainer trainer = new TripletTrainer(net, options, anchor)) {
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
                StepResult r = trainer.step(sampler.next());
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
                    embedded.clear();
                    ValidationGate.Figures f = gate.measure(embed);
                    ValidationGate.Verdict v = gate.judge(f, current,
                            generalReference != null ? generalReference : parent);
                    String saved = null;
                    ModelRecord rec = record(net, parent, f, trainer, v.reason());
                    if (v.passed()) {
                        best = ModelWriter.save(net, rec, out.resolve(BEST));
                        saved = best.id();
                        current = f;
                    }
                    ModelWriter.save(net, rec, out.resolve(CHECKPOINT));
                    Double drift = startGeneral == null ? null
                            : meanSquaredDistance(rows(embedded, generalCrops), startGeneral);
                    Evaluation e = new Evaluation(s, f.target(), f.general(), v.passed(), saved, v.reason(), drift);
                    log.add(e);
                    listener.onEvaluation(e);
                    writeReports();
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
        }
    }

    private ModelRecord record(TrainableNetwork net, ValidationGate.Figures parent, ValidationGate.Figures f,
            TripletTrainer trainer, String reason) {
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("p", options.p());
        training.put("k", options.k());
        training.put("optimizer", "adam");
        training.put("learning_rate", options.learningRate());
        training.put("alpha", options.alpha());
        training.put("flip", options.flip());
        training.put("brightness_jitter", options.brightnessJitter());
        training.put("directional_light", options.directionalLight());
        training.put("noisy_positive_cap", options.noisyPositiveCap());
        training.put("seed", options.seed());
        training.put("distill_weight", options.distillWeight());
        training.put("first_trained_layer", options.firstTrainedLayer() == null ? "stem" : options.firstTrainedLayer());
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
