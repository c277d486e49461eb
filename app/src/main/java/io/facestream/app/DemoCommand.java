package io.facestream.app;

import io.facestream.app.local.EmbeddedKafka;
import io.facestream.core.event.Frame;
import io.facestream.core.topic.Topics;
import io.facestream.ingest.IngestOptions;
import io.facestream.ingest.IngestStats;
import io.facestream.ingest.Ingestor;
import io.facestream.recognize.engine.EngineOptions;
import io.facestream.recognize.engine.FaceEngine;
import io.facestream.recognize.engine.FaceModel;
import io.facestream.recognize.job.EnrolledFace;
import io.facestream.recognize.job.RecognizeJob;
import io.facestream.recognize.job.RecognizeSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.Producer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The whole stream in one JVM: broker, recognize job, one camera's ingest and a reader of {@code matches}. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the whole stream in this JVM: an embedded Kafka broker, the recognize job on a local"
            + " Flink MiniCluster, the ingest of one video or camera, and a reader that prints every match event.")
final class DemoCommand implements Callable<Integer> {

    static final String DEFAULT_SOURCE = "../shared/data/video/tears_of_steel_cc-by_640x360_10s.mp4";
    private static final int PARTITIONS = 2;
    private static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(1);

    @Option(names = "--source", paramLabel = "FILE|URL|/dev/videoN",
            description = "Video file, stream URL or camera (default: " + DEFAULT_SOURCE + " when it exists).")
    String source;

    @Option(names = "--gallery", paramLabel = "DIR",
            description = "Folder with one sub-folder of photos per person; without it every face is unknown.")
    Path gallery;

    @Option(names = "--matches-out", paramLabel = "FILE.jsonl", description = "Also write each event's JSON here.")
    Path matchesOut;

    @Option(names = "--delivery", paramLabel = "MODE", defaultValue = "exactly-once",
            description = "exactly-once or at-least-once (default: ${DEFAULT-VALUE}).")
    String delivery;

    @Option(names = "--fast", description = "Read a file as fast as it decodes instead of at its frame rate.")
    boolean fast;

    @Option(names = "--camera", paramLabel = "ID", description = "Camera id (default: from the source's name).")
    String camera;

    @Option(names = "--parallelism", paramLabel = "N", defaultValue = "2",
            description = "Recognize subtasks, one face engine each (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "target/demo/kafka",
            description = "The broker's data folder, emptied at start and deleted at exit (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--drain-timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "After the source ends, how long to wait without progress for the last events (default: ${DEFAULT-VALUE}).")
    int drainTimeout;

    @Override
    public Integer call() throws Exception {
        DeliveryGuarantee guarantee = guarantee(delivery);
        if (parallelism < 1) {
            throw new IllegalArgumentException("--parallelism must be at least 1, was " + parallelism);
        }
        IngestOptions ingest = ingestOptions();
        List<EnrolledFace> faces = List.of();
        if (gallery != null) {
            EngineOptions d = EngineOptions.defaults();
            // One thread, as in the job's engines: PyTorch keeps the first engine's thread count for the JVM.
            try (FaceEngine engine = FaceEngine.open(new EngineOptions(d.weightsDir(), 1, d.device(), d.minFace()))) {
                faces = GalleryFolder.enrol(gallery, engine, FaceModel.MOBILEFACENET, System.err);
            }
            System.out.println("gallery: " + faces.size() + " face(s) of "
                    + faces.stream().map(EnrolledFace::identity).distinct().sorted().toList());
        } else {
            System.out.println("gallery: none given (--gallery DIR), every face will be unknown");
        }

        CountDownLatch finished = new CountDownLatch(1);
        AtomicReference<Ingestor> running = new AtomicReference<>();
        AtomicReference<JobClient> job = new AtomicReference<>();
        Thread hook = new Thread(() -> {
            // Ctrl-C: let the main thread stop the job and the broker and delete the data before the JVM goes.
            Ingestor i = running.get();
            if (i != null) {
                i.stop();
            }
            stopRequested = true;
            try {
                finished.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "facestream-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        EmbeddedKafka kafka = null;
        try {
            deleteStale(dataDir);
            kafka = EmbeddedKafka.start(dataDir);
            kafka.createTopics(Topics.newTopics(PARTITIONS, (short) 1));
            System.out.println("kafka: broker at " + kafka.bootstrapServers() + ", data in " + dataDir);
            job.set(startJob(kafka.bootstrapServers(), guarantee, faces));
            System.out.println("recognize: job " + job.get().getJobID() + " on a local MiniCluster, " + parallelism
                    + " subtask(s), " + delivery + ", checkpoint every " + CHECKPOINT_INTERVAL.toMillis() + " ms");
            return stream(kafka.bootstrapServers(), ingest, job.get(), running);
        } finally {
            JobClient j = job.get();
            if (j != null) {
                try {
                    j.cancel().get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // Cancelling a job that has already ended is refused; nothing left to stop.
                }
            }
            if (kafka != null) {
                kafka.closeAndDelete();
            }
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down (Ctrl-C): the hook is running and waits for us.
            }
        }
    }

    private volatile boolean stopRequested;

    /** Ingests, prints events until every frame has produced its events, prints the summary. */
    private int stream(String bootstrap, IngestOptions options, JobClient job, AtomicReference<Ingestor> running)
            throws Exception {
        try (Producer<String, Frame> producer = Ingestor.createProducer(bootstrap);
             MatchFeed feed = new MatchFeed(bootstrap, PARTITIONS, System.out, matchesOut)) {
            Ingestor ingestor = new Ingestor(options, producer);
            running.set(ingestor);
            AtomicReference<RuntimeException> ingestError = new AtomicReference<>();
            Thread ingestThread = new Thread(() -> {
                try {
                    ingestor.run();
                } catch (RuntimeException e) {
                    ingestError.set(e);
                }
            }, "facestream-demo-ingest");
            long started = System.nanoTime();
            ingestThread.start();
            System.out.println("ingest: camera " + options.cameraId() + " from " + options.source()
                    + (options.realtime() ? " at its frame rate" : " as fast as it decodes"));
            long lastProgress = 0;
            long lastEvents = -1;
            while (!stopRequested) {
                feed.poll(Duration.ofMillis(200));
                if (job.getJobExecutionResult().isDone()) {
                    job.getJobExecutionResult().get(); // throws the job's failure
                    throw new IllegalStateException("the recognize job ended before the stream was done");
                }
                if (ingestThread.isAlive()) {
                    continue;
                }
                if (ingestError.get() != null) {
                    throw new IllegalStateException("ingest of " + options.source() + " failed: "
                            + ingestError.get().getMessage(), ingestError.get());
                }
                if (feed.caughtUp(PARTITIONS)) {
                    break;
                }
                if (feed.events() != lastEvents) {
                    lastEvents = feed.events();
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > TimeUnit.SECONDS.toNanos(drainTimeout)) {
                    System.err.println("facestream demo: no new events for " + drainTimeout + " s after the source"
                            + " ended; summarising what arrived");
                    break;
                }
            }
            ingestor.stop();
            ingestThread.join(10_000);
            summary(ingestor.stats(), feed, started);
        }
        return 0;
    }

    private void summary(IngestStats stats, MatchFeed feed, long startedNanos) throws IOException {
        long end = feed.lastEventNanos() > 0 ? feed.lastEventNanos() : System.nanoTime();
        double seconds = Math.max(1e-3, (end - startedNanos) / 1e9);
        System.out.printf(Locale.ROOT, "summary: %d frames sent, %d with faces, %d events (%d known, %d unknown), "
                + "%d dead letters, %.1f events/s over %.1f s%n", stats.sent(), feed.framesWithFaces(), feed.events(),
                feed.known(), feed.events() - feed.known(), feed.deadLetters(PARTITIONS), feed.events() / seconds, seconds);
    }

    private JobClient startJob(String bootstrap, DeliveryGuarantee guarantee, List<EnrolledFace> faces) throws Exception {
        Configuration conf = new Configuration();
        // Flink's default with checkpoints retries forever: a job that cannot start would look like a silent demo.
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 2);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        env.enableCheckpointing(CHECKPOINT_INTERVAL.toMillis(), guarantee == DeliveryGuarantee.EXACTLY_ONCE
                ? CheckpointingMode.EXACTLY_ONCE : CheckpointingMode.AT_LEAST_ONCE);
        RecognizeJob.wireKafka(env, bootstrap, guarantee,
                RecognizeSettings.defaults(FaceModel.MOBILEFACENET).withGallery(faces));
        return env.executeAsync("facestream demo");
    }

    private IngestOptions ingestOptions() {
        String src = source;
        if (src == null) {
            if (!Files.isRegularFile(Path.of(DEFAULT_SOURCE))) {
                throw new IllegalArgumentException("no --source given and the default clip " + DEFAULT_SOURCE
                        + " is not there (run from the checkout beside the shared data, or give --source FILE|URL|/dev/videoN)");
            }
            src = DEFAULT_SOURCE;
        }
        IngestOptions o = IngestOptions.of(camera != null ? camera : cameraId(src), src);
        if (o.source().finite() && !Files.isRegularFile(Path.of(src))) {
            // Say so before a broker and a job are started for nothing.
            throw new IllegalArgumentException("--source " + src + " is not a readable video file; give a file, a"
                    + " stream URL or /dev/videoN");
        }
        return o.withRealtime(!fast && o.source().finite());
    }

    /** "tears" from tears_of_steel_….mp4, "video0" from /dev/video0: short enough to read in every line. */
    static String cameraId(String source) {
        String name = source.replaceAll("[/\\\\]+$", "");
        name = name.substring(name.lastIndexOf('/') + 1).replaceFirst("\\.[^.]*$", "");
        name = name.split("[_.\\s]")[0].replaceAll("[^A-Za-z0-9:-]", "");
        return name.isEmpty() ? "cam-1" : name;
    }

    private static DeliveryGuarantee guarantee(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "exactly-once" -> DeliveryGuarantee.EXACTLY_ONCE;
            case "at-least-once" -> DeliveryGuarantee.AT_LEAST_ONCE;
            default -> throw new IllegalArgumentException("--delivery must be exactly-once or at-least-once, was \""
                    + text + "\"");
        };
    }

    private static void deleteStale(Path dir) throws IOException {
        if (Files.exists(dir)) {
            // A previous run that was killed left its topics: they would be replayed and could not be created again.
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(dir);
    }
}
