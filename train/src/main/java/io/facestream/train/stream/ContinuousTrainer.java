package io.facestream.train.stream;

import io.facestream.core.event.HardExample;
import io.facestream.recognize.align.FaceCrop;
import io.facestream.recognize.embed.TrainableNetwork;
import io.facestream.recognize.job.CropPng;
import io.facestream.train.buffer.BufferedFace;
import io.facestream.train.buffer.ReplayBuffer;
import io.facestream.train.distill.AnchorModel;
import io.facestream.train.distill.KeptFaces;
import io.facestream.train.gate.ValidationGate;
import io.facestream.train.sample.PkSampler;
import io.facestream.train.trainer.TrainerOptions;
import io.facestream.train.trainer.TrainingLog;
import io.facestream.train.trainer.TrainingRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Stream;

/**
 * The trainer as a service (DESIGN, "Continuous training"): faces mined from the stream go into the replay buffer;
 * when enough new ones have come in and the buffer can fill a P×K batch, a round of training starts from the last
 * published model (the public one at first), the gate judges it every few steps against that model, and a model the
 * gate keeps is handed to the publisher (the {@code models} topic). Starting each round from the last published
 * weights, not from the last round's, means a round that went wrong costs nothing: its weights are dropped and the
 * bar the next candidate must clear is still the model in use.
 *
 * <p>Two bars stay fixed over every round: general accuracy is judged against the public model's (so a chain of kept
 * models cannot each fall by the tolerance), and with a distillation weight above 0 the term pulls toward the public
 * model's embeddings, not the last round's.
 *
 * <p>Not thread-safe: one thread feeds {@link #add} and runs {@link #round} in turn (the buffer itself is safe and
 * survives a restart, so no face that was added is lost).
 */
public final class ContinuousTrainer {

    /** Publishes a kept model folder. */
    public interface Publisher {
        void publish(Path modelDir) throws Exception;
    }

    /** Opens the network a round starts from: the saved model in {@code dir}, or the public weights when null. */
    public interface Networks {
        TrainableNetwork open(Path dir) throws IOException;
    }

    /**
     * One round's result.
     *
     * @param published the id of the model published after it, null when the gate kept nothing
     * @param model the folder of that model, null when none
     */
    public record Round(int number, int bufferFaces, TrainingRun.Outcome outcome, String published, Path model) {
    }

    private final Networks networks;
    private final ReplayBuffer buffer;
    private final ValidationGate gate;
    private final TrainerOptions round;
    private final int roundEvery;
    private final Path out;
    private final Publisher publisher;

    private int newFaces;
    private int rounds;
    private Path published;
    private ValidationGate.Figures publicFigures;
    private List<Double> mixes = List.of();
    private int positivePool = 1;
    private boolean joinLineages;
    private boolean publishWhenKept;
    private KeptFaces kept;

    /**
     * @param round the options of each round (steps, P×K, gate interval, ...)
     * @param roundEvery new faces between rounds
     * @param out where each round writes its folder ({@code round-N}: best, checkpoint, log, curve); a restarted
     *     trainer numbers its rounds on from the highest N found there
     */
    public ContinuousTrainer(Networks networks, ReplayBuffer buffer, ValidationGate gate, TrainerOptions round,
            int roundEvery, Path out, Publisher publisher) {
        if (roundEvery < 1) {
            throw new IllegalArgumentException("a round needs at least 1 new face, was " + roundEvery);
        }
        this.networks = networks;
        this.buffer = buffer;
        this.gate = gate;
        this.round = round;
        this.roundEvery = roundEvery;
        this.out = out;
        this.publisher = publisher;
        this.rounds = lastRound(out);
    }

    private static int lastRound(Path out) {
        if (!Files.isDirectory(out)) {
            return 0;
        }
        try (Stream<Path> dirs = Files.list(out)) {
            return dirs.map(d -> d.getFileName().toString()).filter(n -> n.matches("round-\\d{1,9}"))
                    .mapToInt(n -> Integer.parseInt(n.substring(6))).max().orElse(0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the rounds in " + out + ": " + e.getMessage(), e);
        }
    }

    /** Adds a mined face to the replay buffer. The crop must be the aligned square PNG the job sends. */
    public void add(HardExample example) throws IOException {
        FaceCrop crop;
        try {
            crop = CropPng.decode(example.crop());
        } catch (RuntimeException e) {
            throw new IOException("the crop of a hard example of " + example.label() + " cannot be read: "
                    + e.getMessage(), e);
        }
        buffer.add(example.label(), example.labelSource(), example.lineage(), example.negatives(), crop.size(),
                BufferedFace.toBytes(crop));
        newFaces++;
    }

    /** Rounds run so far, counting those of earlier runs in the same folder. */
    public int rounds() {
        return rounds;
    }

    /** Forgets every face labelled {@code label} (an erased person or unknown group); returns how many. */
    public int forget(String label) throws IOException {
        return buffer.remove(label);
    }

    /** Faces in the replay buffer. */
    public int bufferSize() {
        return buffer.size();
    }

    /** Identities in the replay buffer. */
    public int bufferIdentities() {
        return buffer.counts().size();
    }

    /**
     * Groups of the buffer's identities once linked by lineage (tracks that may be one person); as many as
     * {@link #bufferIdentities} when no track split.
     */
    public int bufferLineageGroups() {
        return new HashSet<>(PkSampler.groupOf(buffer).values()).size();
    }

    /** Faces added since the last round. */
    public int newFaces() {
        return newFaces;
    }

    /** Whether a round should run: enough new faces, and P identities with K faces each to make a batch. */
    public boolean ready() {
        return newFaces >= roundEvery && batchable();
    }

    /** Whether the buffer can fill a P×K batch. */
    public boolean batchable() {
        long identities = buffer.counts().values().stream().filter(n -> n >= round.k()).count();
        return identities >= round.p();
    }

    /**
     * Whether a round publishes each model as soon as its gate keeps it (see {@link TrainingRun#onKept}) rather than
     * its last kept model when it ends (the default). Publishing mid-round brings the first model forward; in the
     * demo's single JVM, where the job swaps the model in while the round goes on, the three runs that did so left the
     * path of the same run without it right at the publish and then saw the kept faces drift away, as one run with no
     * publish did on its own (train/README.md, "paths that run away"): none of them kept a later model.
     */
    public ContinuousTrainer publishWhenKept(boolean early) {
        this.publishWhenKept = early;
        return this;
    }

    /** Whether each round draws the tracks of one lineage as one identity (see {@link PkSampler#joiningLineages}). */
    public ContinuousTrainer joinLineages(boolean join) {
        this.joinLineages = join;
        return this;
    }

    /** Each round's hard-positive pool (see {@link TrainingRun#positivePool}). */
    public ContinuousTrainer positivePool(int pool) {
        this.positivePool = pool;
        return this;
    }

    /** The weight mixes each round's gate also judges (see {@link TrainingRun#mixes}). */
    public ContinuousTrainer mixes(List<Double> alphas) {
        this.mixes = List.copyOf(alphas);
        return this;
    }

    /** General-domain faces each round holds where the public model puts them (see {@link KeptFaces}), or null. */
    public ContinuousTrainer keeping(KeptFaces faces) {
        this.kept = faces;
        return this;
    }

    /**
     * Continues from a model published before (a restart of the service): the next round starts from it. Its
     * figures are not the bar of the general set; the public model's are, measured at the next round.
     */
    public void resumeFrom(Path publishedModel) {
        this.published = publishedModel;
    }

    /** The folder of the last published model, null while the public model is the one in use. */
    public Path published() {
        return published;
    }

    /** Runs one round from the last published model and publishes what the gate keeps. */
    public Round round(TrainingRun.Listener listener) throws Exception {
        rounds++;
        newFaces = 0;
        Path dir = out.resolve("round-" + rounds);
        TrainingRun.Outcome o;
        TrainingLog log = new TrainingLog();
        log.setting("round", rounds);
        log.setting("buffer_faces", buffer.size());
        log.setting("buffer_identities", buffer.counts().size());
        log.setting("buffer_lineage_groups", bufferLineageGroups());
        if (publicFigures == null && published != null) {
            try (TrainableNetwork pub = networks.open(null)) {
                publicFigures = gate.measure(crops -> pub.embed(crops, 64));
            }
        }
        boolean distill = round.distillWeight() > 0 || kept != null;
        try (TrainableNetwork net = networks.open(published);
                TrainableNetwork anchorNet = distill ? networks.open(null) : null) {
            TrainingRun run = new TrainingRun(net, distill ? new AnchorModel(anchorNet) : null, buffer, gate, round, dir,
                    log).generalReference(publicFigures).mixes(mixes).positivePool(positivePool).keeping(kept)
                    .joinLineages(joinLineages);
            if (publishWhenKept) {
                run.onKept((model, best, step) -> {
                    // published as soon as the gate keeps it; a later kept step is published in its turn
                    publisher.publish(best);
                    published = best;
                    listener.onPublished(model, step);
                });
            }
            o = run.run(listener);
        }
        if (publicFigures == null) {
            publicFigures = o.start(); // the first round from the public model measured it
        }
        if (o.best() == null) {
            return new Round(rounds, buffer.size(), o, null, null);
        }
        Path best = dir.resolve(TrainingRun.BEST);
        if (!publishWhenKept) {
            publisher.publish(best);
            published = best;
            listener.onPublished(o.best(), (int) o.best().steps());
        }
        return new Round(rounds, buffer.size(), o, o.best().id(), best);
    }
}
