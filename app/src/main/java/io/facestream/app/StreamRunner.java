package io.facestream.app;

import io.facestream.ingest.FramesProducer;
import io.facestream.ingest.IngestOptions;
import io.facestream.ingest.IngestStats;
import io.facestream.ingest.Ingestor;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Streams one source through a running {@link LocalStack}: the ingest on its own thread, the reader of
 * {@code matches} on this one, until the source is done and every frame has produced its events (a finite run),
 * or until asked to stop.
 */
final class StreamRunner {

    /**
     * What a run did.
     *
     * @param ingest the ingest's counters
     * @param stats what the reader saw
     * @param run from the start of ingest to the moment every frame had been processed (or the stop)
     * @param deadLetters records in {@code frames.dlq}
     */
    record Result(IngestStats ingest, StreamStats stats, Duration run, long deadLetters) {

        /** The summary of the run. */
        StreamStats.Summary summary() {
            return stats.summary(ingest.sent(), run);
        }
    }

    /** Camera id of the warm-up frames, whose events no summary counts. */
    static final String WARM_UP_CAMERA = "warm-up";

    private StreamRunner() {
    }

    /**
     * Sends the first {@code frames} frames of {@code clip} under {@link #WARM_UP_CAMERA} and waits until they are
     * processed: the job's engines load their networks on the first frames, which a measurement must not count.
     */
    static void warmUp(LocalStack stack, String clip, int frames, PrintStream log) throws Exception {
        IngestOptions o = IngestOptions.of(WARM_UP_CAMERA, clip);
        try (MatchFeed feed = new MatchFeed(stack.bootstrap(), LocalStack.PARTITIONS,
                new PrintStream(java.io.OutputStream.nullOutputStream()), null)) {
            FrameLimit limit = new FrameLimit(frames);
            run(stack, o, feed, true, Duration.ofSeconds(120), limit::done, limit::watch, log);
        }
    }

    /** Stops an ingestor after a number of frames. */
    private static final class FrameLimit {
        private final int frames;
        private Ingestor ingestor;

        FrameLimit(int frames) {
            this.frames = frames;
        }

        void watch(Ingestor i) {
            ingestor = i;
        }

        boolean done() {
            if (ingestor != null && ingestor.stats().sent() >= frames) {
                ingestor.stop();
            }
            return false;
        }
    }

    /**
     * @param untilEnd stop once a finite source has ended and all its frames are processed
     * @param drainTimeout after a finite source ended, how long to wait without new events before summarising
     * @param stop polled between reads; true ends the run
     * @param started receives the ingestor once it runs (so that Ctrl-C can stop it)
     */
    static Result run(LocalStack stack, IngestOptions options, MatchFeed feed, boolean untilEnd, Duration drainTimeout,
            BooleanSupplier stop, Consumer<Ingestor> started, PrintStream log) throws Exception {
        try (FramesProducer producer = Ingestor.createProducer(stack.bootstrap())) {
            Ingestor ingestor = new Ingestor(options, producer);
            started.accept(ingestor);
            AtomicReference<RuntimeException> ingestError = new AtomicReference<>();
            Thread ingestThread = new Thread(() -> {
                try {
                    ingestor.run();
                } catch (RuntimeException e) {
                    ingestError.set(e);
                }
            }, "facestream-ingest-" + options.cameraId());
            long begin = System.nanoTime();
            long end = -1;
            ingestThread.start();
            long lastProgress = System.nanoTime();
            long lastEvents = -1;
            while (!stop.getAsBoolean()) {
                feed.poll(Duration.ofMillis(100));
                stack.requireJobRunning();
                if (ingestThread.isAlive()) {
                    continue;
                }
                if (ingestError.get() != null) {
                    throw new IllegalStateException("ingest of " + options.source() + " failed: "
                            + ingestError.get().getMessage(), ingestError.get());
                }
                if (!untilEnd && !options.source().finite()) {
                    continue; // a camera or stream that ended for good: keep printing what still arrives
                }
                if (feed.caughtUp(LocalStack.PARTITIONS)) {
                    end = System.nanoTime();
                    break;
                }
                if (feed.events() != lastEvents) {
                    lastEvents = feed.events();
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > drainTimeout.toNanos()) {
                    log.println("facestream: no new events for " + drainTimeout.toSeconds() + " s after the source"
                            + " ended; summarising what arrived");
                    break;
                }
            }
            // To the last event: frames without faces after it add nothing a consumer could see.
            if (feed.lastEventNanos() > 0) {
                end = feed.lastEventNanos();
            } else if (end < 0) {
                end = System.nanoTime();
            }
            ingestor.stop();
            ingestThread.join(TimeUnit.SECONDS.toMillis(10));
            return new Result(ingestor.stats(), feed.stats(), Duration.ofNanos(Math.max(0, end - begin)),
                    feed.deadLetters(LocalStack.PARTITIONS));
        }
    }
}
