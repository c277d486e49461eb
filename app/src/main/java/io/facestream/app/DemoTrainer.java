package io.facestream.app;

import io.facestream.recognize.engine.EngineOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/** {@code demo --train}: the continuous trainer on a thread of the demo's JVM, against its embedded broker. */
final class DemoTrainer {

    /** After the stream, how long the trainer waits for more hard examples before its last round. */
    private static final Duration QUIET = Duration.ofSeconds(5);

    private final Thread thread;
    private final AtomicBoolean streamDone = new AtomicBoolean();
    private final AtomicReference<String> result = new AtomicReference<>();
    private final boolean lastRound;

    private DemoTrainer(Thread thread, boolean lastRound) {
        this.thread = thread;
        this.lastRound = lastRound;
    }

    /**
     * Aligns the gate's pairs (before the stream starts, so the trainer is ready for its first faces) and starts the
     * trainer. With {@code lastRound} it runs a last round on what is left once the stream is done.
     */
    static DemoTrainer start(String bootstrap, TrainingMixin options, Path out, boolean lastRound, BooleanSupplier stop,
            PrintStream log) throws Exception {
        ContinuousTraining training = ContinuousTraining.fromOptions(bootstrap, options, null, out,
                EngineOptions.defaults(), log);
        AtomicReference<DemoTrainer> self = new AtomicReference<>();
        Thread t = new Thread(() -> {
            DemoTrainer d = self.get();
            try {
                d.result.set(training.runUntilStreamEnds(d.streamDone::get,
                        () -> stop.getAsBoolean() || d.streamDone.get() && !d.lastRound, QUIET));
            } catch (Exception e) {
                d.result.set("failed: " + e);
                log.println("train: stopped by an error: " + e);
            }
        }, "facestream-demo-trainer");
        DemoTrainer d = new DemoTrainer(t, lastRound);
        self.set(d);
        t.setDaemon(true);
        t.start();
        return d;
    }

    /** Tells the trainer the stream is over, waits for its last round (if any), and returns its summary. */
    String finish() throws InterruptedException {
        streamDone.set(true);
        thread.join();
        return result.get();
    }
}
