package io.facestream.train.stream;

import io.facestream.core.event.HardExample;
import io.facestream.core.event.ModelRecord;
import io.facestream.core.topic.Topics;
import io.facestream.recognize.job.ModelFolders;
import io.facestream.train.trainer.Evaluation;
import io.facestream.train.trainer.StepResult;
import io.facestream.train.trainer.TrainingRun;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The continuous trainer on Kafka: reads {@code hard-examples} (read_committed, so only what the recognize job
 * committed), puts each face into the {@link ContinuousTrainer}'s replay buffer, commits the offsets once the buffer
 * holds the faces on disk, runs a round when one is due, and publishes each kept model to {@code models}, where the
 * recognize job takes it up live.
 *
 * <p>Nothing is lost across a restart: offsets are committed only after the faces are in the buffer (a face can come
 * twice after a crash between the two, never not at all), the buffer reopens with its contents, and the trainer
 * resumes from the newest model on {@code models}. While a round runs the consumer keeps polling with its partitions
 * paused, so the group keeps it as a member however long the round takes.
 */
public final class TrainerService implements AutoCloseable {

    /** The consumer group of the trainer. */
    public static final String GROUP = "facestream-trainer";

    /** What the service tells about its work. */
    public interface Listener extends TrainingRun.Listener {
        /** After a poll that added faces. */
        default void onFaces(int added, int skipped, int bufferFaces, int bufferIdentities) {
        }

        /** A round starts. */
        default void onRoundStart(int round, int bufferFaces, int bufferIdentities) {
        }

        /**
         * A round was abandoned because the service is stopping; nothing more of it is published (what its gate kept
         * before was published then).
         */
        default void onRoundAbandoned(int round) {
        }

        /** A round ended (with the last model it published to {@code models}, if any). */
        default void onRound(ContinuousTrainer.Round round) {
        }
    }

    private final String bootstrap;
    private final ContinuousTrainer trainer;
    private final Listener listener;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final ExecutorService rounds = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "facestream-trainer-round");
        t.setDaemon(true);
        return t;
    });

    // Written by the service's thread, read by the metrics endpoint's.
    private volatile long added;
    private volatile long skipped;
    private volatile long erased;
    private volatile long published;
    private volatile boolean subscribed;
    private ContinuousTrainer.Round lastPublished;

    private TrainerService(String bootstrap, ContinuousTrainer trainer, Listener listener) {
        this.bootstrap = bootstrap;
        this.trainer = trainer;
        this.listener = listener;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 64);
        this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Starts the service: resumes from the newest model on {@code models} (materialised under {@code modelsDir}) and
     * subscribes to {@code hard-examples}, and to the tombstones of {@code gallery} and {@code unknowns}: the faces of
     * a person or unknown group an operator erased leave the replay buffer (memory and disk).
     */
    public static TrainerService start(String bootstrap, ContinuousTrainer trainer, Path modelsDir, Listener listener)
            throws IOException {
        Map<String, ModelRecord> published = ModelsTopic.published(bootstrap);
        if (!published.isEmpty()) {
            ModelRecord newest = List.copyOf(published.values()).get(published.size() - 1);
            trainer.resumeFrom(ModelFolders.materialise(newest, modelsDir));
        }
        TrainerService s = new TrainerService(bootstrap, trainer, listener);
        s.consumer.subscribe(List.of(Topics.HARD_EXAMPLES.name(), Topics.GALLERY.name(), Topics.UNKNOWNS.name()));
        s.subscribed = true;
        return s;
    }

    /** Faces put into the buffer by this service, and records skipped as unreadable. */
    public long added() {
        return added;
    }

    /** Records that could not be read as a hard example (logged through the listener, offsets committed). */
    public long skipped() {
        return skipped;
    }

    /** The trainer the service feeds. */
    public ContinuousTrainer trainer() {
        return trainer;
    }

    /** Models this service's rounds published. */
    public long published() {
        return published;
    }

    /** Whether the service has subscribed to its topics (it reads them from then on). */
    public boolean subscribed() {
        return subscribed;
    }

    /** Faces removed from the buffer because their person or unknown group was erased. */
    public long erased() {
        return erased;
    }

    /** The last round of this service that published a model, or null. */
    public ContinuousTrainer.Round lastPublished() {
        return lastPublished;
    }

    /** Consumes and trains until {@code stop} says so (checked between polls and while a round runs). */
    public void run(BooleanSupplier stop) throws Exception {
        run(stop, stop);
    }

    /**
     * Consumes and trains until {@code done} or {@code stop}; a round that is running when {@code done} turns true
     * runs to its end, one running when {@code stop} does is abandoned at its next step.
     */
    public void run(BooleanSupplier done, BooleanSupplier stop) throws Exception {
        while (!done.getAsBoolean() && !stop.getAsBoolean()) {
            pollOnce(Duration.ofMillis(500));
            if (trainer.ready()) {
                runRound(stop);
            }
        }
    }

    /**
     * Reads what is on the topic now and then runs a last round if the buffer has new faces and can fill a batch,
     * fewer than a round's worth of new faces included: for a finite stream (a recorded video played once), so that
     * what it taught is not left unused. Returns the number of rounds run.
     */
    public int finish(Duration quiet, BooleanSupplier stop) throws Exception {
        int n = 0;
        long idleSince = System.nanoTime();
        while (!stop.getAsBoolean() && System.nanoTime() - idleSince < quiet.toNanos()) {
            if (pollOnce(Duration.ofMillis(500)) > 0) {
                idleSince = System.nanoTime();
            }
            if (trainer.ready()) {
                runRound(stop);
                n++;
                idleSince = System.nanoTime();
            }
        }
        if (!stop.getAsBoolean() && trainer.newFaces() > 0 && trainer.batchable()) {
            runRound(stop);
            n++;
        }
        return n;
    }

    private int pollOnce(Duration timeout) throws IOException {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(timeout);
        if (records.isEmpty()) {
            return 0;
        }
        int ok = 0;
        int bad = 0;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            if (!r.topic().equals(Topics.HARD_EXAMPLES.name())) {
                // Of the gallery and the unknown groups only the erasures concern the buffer.
                if (r.value() == null && r.key() != null) {
                    erased += trainer.forget(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8));
                }
                continue;
            }
            if (r.value() == null) {
                continue;
            }
            HardExample example;
            try {
                example = Topics.HARD_EXAMPLES.valueSerde().deserializer().deserialize(r.topic(), r.value());
                trainer.add(example);
                ok++;
            } catch (RuntimeException | IOException e) {
                // A record that is not a readable hard example cannot teach anything; it is counted and passed over.
                bad++;
            }
        }
        consumer.commitSync();
        added += ok;
        skipped += bad;
        listener.onFaces(ok, bad, trainer.bufferSize(), trainer.bufferIdentities());
        return ok;
    }

    private void runRound(BooleanSupplier stop) throws Exception {
        listener.onRoundStart(trainer.rounds() + 1, trainer.bufferSize(), trainer.bufferIdentities());
        List<TopicPartition> paused = List.copyOf(consumer.assignment());
        consumer.pause(paused);
        try {
            Future<ContinuousTrainer.Round> f = rounds.submit(() -> trainer.round(new Interruptible(listener,
                    () -> published++)));
            while (!f.isDone()) {
                consumer.poll(Duration.ofMillis(200)); // paused: returns nothing, keeps the membership alive
                if (stop.getAsBoolean()) {
                    f.cancel(true);
                    listener.onRoundAbandoned(trainer.rounds());
                    break;
                }
            }
            if (!f.isCancelled()) {
                ContinuousTrainer.Round r = f.get();
                if (r.published() != null) {
                    lastPublished = r;
                }
                listener.onRound(r);
            }
        } finally {
            consumer.resume(paused.stream().filter(consumer.assignment()::contains).toList());
        }
    }

    /** Ends a round at its next step once the service stops it (DJL's steps do not look at interrupts). */
    private record Interruptible(TrainingRun.Listener inner, Runnable counted) implements TrainingRun.Listener {
        @Override
        public void onStep(StepResult step, int totalSteps, double imagesPerSecond, double etaSeconds) {
            if (Thread.currentThread().isInterrupted()) {
                throw new CancellationException("the trainer is stopping; round left at step " + step.step());
            }
            inner.onStep(step, totalSteps, imagesPerSecond, etaSeconds);
        }

        @Override
        public void onEvaluation(Evaluation evaluation) {
            inner.onEvaluation(evaluation);
        }

        @Override
        public void onCollapse(String reason) {
            inner.onCollapse(reason);
        }

        @Override
        public void onPublished(io.facestream.train.model.ModelRecord model, int step) {
            counted.run();
            inner.onPublished(model, step);
        }
    }

    /**
     * The publisher to give the {@link ContinuousTrainer}: writes a kept model, with its gate figures and training
     * curve, to {@code models}, and puts a copy under {@code localModels} (this machine's published models, where face
     * commands open a model by its id; null for none).
     */
    public static ContinuousTrainer.Publisher publisher(String bootstrap, Path localModels) {
        return dir -> {
            ModelRecord r = ModelsTopic.publish(bootstrap, dir);
            if (localModels != null) {
                ModelFolders.materialise(r, localModels);
            }
        };
    }

    @Override
    public void close() {
        rounds.shutdownNow();
        try {
            rounds.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close(Duration.ofSeconds(5));
    }
}
