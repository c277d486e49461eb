package io.facestream.app;

import io.facestream.core.topic.Topics;
import io.facestream.gallery.GalleryOptions;
import io.facestream.gallery.GalleryService;
import io.facestream.ingest.IngestOptions;
import io.facestream.ingest.Ingestor;
import io.facestream.recognize.job.HardExampleOptions;
import io.facestream.recognize.job.RecognizeJobOptions;
import io.facestream.recognize.weights.FileTrees;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.connector.base.DeliveryGuarantee;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The whole stream in one JVM: broker, recognize job, the enrolment of a gallery folder, one camera's ingest and a
 * reader of {@code matches}. Events go to stdout as JSON lines; progress and the summary go to stderr.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the whole stream in this JVM: an embedded Kafka broker, the recognize job on a local"
            + " Flink MiniCluster, the enrolment of a gallery folder through the enrolments topic, the ingest of one"
            + " video or camera, and a reader that prints every match event as a JSON line (stdout).",
            "With no --source it plays the sample video fetched by setup, with its sample gallery, until Ctrl-C."})
final class DemoCommand implements Callable<Integer> {

    private static final Duration ENROL_TIMEOUT = Duration.ofSeconds(120);

    /** Frame-rate cap of the sample video (35 fps): on 2 cores the job keeps up with about 8 frames/s of it. */
    static final double SAMPLE_MAX_FPS = 8;

    @Option(names = "--source", paramLabel = "FILE|URL|/dev/videoN",
            description = "Video file, stream URL or camera (default: the sample video of setup, with its gallery).")
    String source;

    @Option(names = "--gallery", paramLabel = "DIR",
            description = "Folder with one sub-folder of photos per person (folder name = identity id); without it"
                + " every face is unknown, except with the sample video, which has its own gallery.")
    Path gallery;

    @Option(names = "--matches-out", paramLabel = "FILE.jsonl", description = "Also write each event's JSON here.")
    Path matchesOut;

    @Option(names = "--until-end", description = "Play a file once and stop when every frame has been processed;"
            + " without it a file loops until Ctrl-C.")
    boolean untilEnd;

    @Option(names = "--text", description = "Print one short line per event for people instead of its JSON.")
    boolean text;

    @Option(names = "--delivery", paramLabel = "MODE", defaultValue = "exactly-once",
            description = "exactly-once or at-least-once (default: ${DEFAULT-VALUE}).")
    String delivery;

    @Option(names = "--checkpoint-interval", paramLabel = "MS", defaultValue = "1000",
            description = "Checkpoint interval; exactly-once events become visible at each checkpoint (default: ${DEFAULT-VALUE}).")
    long checkpointMillis;

    @Option(names = "--fast", description = "Read a file as fast as it decodes instead of at its frame rate.")
    boolean fast;

    @Option(names = "--max-fps", paramLabel = "FPS",
            description = "Send at most this many frames a second, dropping the rest at the ingest (default: all; the"
                + " looped sample video: " + SAMPLE_MAX_FPS + ", what 2 cores keep up with).")
    Double maxFps;

    @Option(names = "--camera", paramLabel = "ID", description = "Camera id (default: from the source's name).")
    String camera;

    @Mixin
    StreamMixin stream;

    @Option(names = "--hard-examples",
            description = "Send faces for the trainer to hard-examples (first and every 25th face of a track, faces"
                + " near the threshold), with their aligned crops, labels and negatives.")
    boolean hardExamples;

    @Option(names = "--hard-every", paramLabel = "N", defaultValue = "25",
            description = "With --hard-examples or --train: send every Nth face of a track (default: ${DEFAULT-VALUE},"
                + " about one a second of 25 fps video).")
    int hardEvery;

    @Option(names = "--hard-lost", paramLabel = "N", defaultValue = "0",
            description = {"With --hard-examples or --train: a face the detector loses (darkness, blur, a turned head)",
                "is cut at its last box and landmarks for up to N frames, and those crops go to the trainer as its",
                "track's faces once it is found there again; dropped if it is not (default: ${DEFAULT-VALUE}, none;",
                "only a face that stays where it was lost is cut right). Not with unknown grouping."})
    int hardLost;

    @Option(names = "--train",
            description = {"Run the continuous trainer in this JVM too (implies --hard-examples; needs --val-pairs):",
                "rounds of triplet training on the faces mined from the stream, each model the gate keeps published to",
                "models and swapped into the running job. With --until-end the trainer reads what is left after the",
                "stream and runs a last round before the demo ends."})
    boolean train;

    @Option(names = "--train-out", paramLabel = "DIR", defaultValue = "target/demo/train",
            description = "The trainer's folder: replay buffer, rounds, models (default: ${DEFAULT-VALUE}).")
    Path trainOut;

    @Mixin
    TrainingMixin training;

    @Option(names = "--parallelism", paramLabel = "N", defaultValue = "2",
            description = "Recognize subtasks, one face engine each (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "8080",
            description = "Port of the gallery service's HTTP API on 127.0.0.1 (0: any free port, -1: none; default:"
                + " ${DEFAULT-VALUE}).")
    int httpPort;

    @Mixin
    TokenMixin tokens;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "target/demo/kafka",
            description = "The broker's data folder, emptied at start and deleted at exit (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--drain-timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "With --until-end: after the source ends, how long to wait without progress for the last"
                + " events (default: ${DEFAULT-VALUE}).")
    int drainTimeout;

    private volatile boolean stopRequested;

    @Override
    public Integer call() throws Exception {
        DeliveryGuarantee guarantee = RecognizeJobOptions.delivery(delivery);
        if (parallelism < 1) {
            throw new IllegalArgumentException("--parallelism must be at least 1, was " + parallelism);
        }
        if (checkpointMillis < 10) {
            throw new IllegalArgumentException("--checkpoint-interval must be at least 10 ms, was " + checkpointMillis);
        }
        PrintStream log = System.err;
        Path galleryDir = gallery;
        String src = source;
        if (src == null) {
            SampleMedia samples = SampleMedia.defaults();
            src = samples.video().toString();
            if (maxFps == null && !untilEnd) {
                // Looped at its own 35 fps it would pile up faster than 2 cores recognise it; played once it is 20 frames.
                maxFps = SAMPLE_MAX_FPS;
            }
            if (galleryDir == null) {
                galleryDir = samples.gallery();
            }
            log.println("source: the sample video " + src + " (one man dancing; he is \"" + SampleMedia.DANCER
                    + "\" in the sample gallery " + galleryDir + ")");
        }
        IngestOptions ingest = ingestOptions(src);
        if (galleryDir != null) {
            // Before the broker and the job start, not half a minute later.
            GalleryEnrolment.requireFolder(galleryDir);
        }
        if (hardLost > 0 && stream.groupUnknowns) {
            throw new IllegalArgumentException("--hard-lost " + hardLost + " needs --no-group-unknowns: grouped unknown"
                    + " tracks label their hard examples by group, which a lost face does not join");
        }
        if (hardLost < 0) {
            throw new IllegalArgumentException("--hard-lost must be 0 (none) or more frames, was " + hardLost);
        }
        if (train) {
            training.checkGeneral();
            if (training.valPairs == null) {
                throw new IllegalArgumentException("--train needs --val-pairs PAIRS.txt (and --val-images DIR): held-out"
                        + " target-domain pairs of people not in the stream, on which the gate measures each candidate");
            }
        }

        CountDownLatch finished = new CountDownLatch(1);
        AtomicReference<Ingestor> running = new AtomicReference<>();
        Thread hook = new Thread(() -> {
            // Ctrl-C: let the main thread print the summary, stop the job and the broker and delete the data.
            Ingestor i = running.get();
            if (i != null) {
                i.stop();
            }
            stopRequested = true;
            try {
                finished.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "facestream-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (LocalStack stack = LocalStack.start(dataDir, parallelism, guarantee, Duration.ofMillis(checkpointMillis),
                stream.settings().withHardExamples(hardExamples || train ? hardExampleOptions() : null))) {
            log.println("kafka: broker at " + stack.bootstrap() + ", data in " + dataDir);
            log.println("recognize: job " + stack.job().getJobID() + " on a local MiniCluster, " + parallelism
                    + " subtask(s), " + delivery + ", checkpoint every " + checkpointMillis + " ms");
            GalleryService service = null;
            Path serviceState = dataDir.resolveSibling(dataDir.getFileName() + "-gallery");
            try {
                if (httpPort >= 0) {
                    FileTrees.deleteTree(serviceState);
                    service = startGalleryService(stack.bootstrap(), serviceState);
                    log.println("gallery service: API at " + service.url() + " (GET /identities, POST /identities/{id}/faces,"
                            + " GET /sightings; see the README)");
                    TokenMixin.announce(service, log, "gallery service: ");
                }
                return enrolAndStream(stack, galleryDir, ingest, running, log);
            } finally {
                if (service != null) {
                    service.close();
                }
                FileTrees.deleteTree(serviceState);
            }
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down (Ctrl-C): the hook is running and waits for us.
            }
        }
    }

    private GalleryService startGalleryService(String bootstrap, Path state) {
        if (httpPort > 65535) {
            throw new IllegalArgumentException("--http-port must be 0 to 65535 (or -1 for none), was " + httpPort);
        }
        try {
            return GalleryService.start(GalleryOptions.defaults(bootstrap).withHttpPort(httpPort).withStateDir(state)
                    .withTokens(tokens.tokens()).withAuditLog(dataDir.resolveSibling("gallery-audit.jsonl")));
        } catch (RuntimeException e) {
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof java.net.BindException) {
                    throw new IllegalArgumentException("port " + httpPort + " is taken; give --http-port with a free"
                            + " port, 0 for any, or -1 for no HTTP API", e);
                }
            }
            throw e;
        }
    }

    private int enrolAndStream(LocalStack stack, Path galleryDir, IngestOptions ingest, AtomicReference<Ingestor> running,
            PrintStream log) throws Exception {
        if (galleryDir != null) {
            List<GalleryEnrolment.Outcome> outcomes = GalleryEnrolment.enrol(stack.bootstrap(), galleryDir,
                    ENROL_TIMEOUT, log);
            long ok = outcomes.stream().filter(o -> o.result().status()
                    == io.facestream.core.event.EnrolmentResult.Status.OK).count();
            log.println("gallery: " + ok + " of " + outcomes.size() + " photo(s) enrolled, "
                    + GalleryEnrolment.enrolled(outcomes).size() + " people " + GalleryEnrolment.enrolled(outcomes));
        } else {
            log.println("gallery: none given (--gallery DIR), every face will be unknown");
        }
        return stream(stack, ingest, running, log);
    }

    /** Ingests and prints events until the source is done (--until-end) or Ctrl-C, then the summary. */
    private int stream(LocalStack stack, IngestOptions options, AtomicReference<Ingestor> running, PrintStream log)
            throws Exception {
        DemoTrainer trainer = train ? DemoTrainer.start(stack.bootstrap(), training, trainOut, untilEnd,
                () -> stopRequested, log) : null;
        try (MatchFeed feed = new MatchFeed(stack.bootstrap(), LocalStack.PARTITIONS, System.out, matchesOut, !text)) {
            log.println("ingest: camera " + options.cameraId() + " from " + options.source()
                    + (options.realtime() ? " at its frame rate" : " as fast as it decodes")
                    + (options.maxFps() > 0 ? String.format(Locale.ROOT, ", at most %.0f frames/s", options.maxFps()) : "")
                    + (options.loop() ? ", looped (Ctrl-C stops)" : ""));
            StreamRunner.Result r = StreamRunner.run(stack, options, feed, untilEnd, Duration.ofSeconds(drainTimeout),
                    () -> stopRequested, running::set, log);
            log.println("summary:");
            for (String line : r.summary().lines()) {
                log.println("  " + line);
            }
            log.printf(Locale.ROOT, "  dead letters: %d in frames.dlq (%d sent by the ingest)%n", r.deadLetters(),
                    r.ingest().deadLetters());
            if (hardExamples || train) {
                log.printf(Locale.ROOT, "  hard examples: %d in %s%n",
                        feed.committed(Topics.HARD_EXAMPLES.name(), LocalStack.PARTITIONS), Topics.HARD_EXAMPLES.name());
            }
        } finally {
            if (trainer != null) {
                log.println("  training: " + trainer.finish());
            }
        }
        return 0;
    }

    private HardExampleOptions hardExampleOptions() {
        HardExampleOptions d = HardExampleOptions.defaults();
        return new HardExampleOptions(hardEvery, d.newTracks(), d.nearBand(), d.galleryFraction(), d.maxPerTrack(),
                hardLost);
    }

    private IngestOptions ingestOptions(String src) {
        IngestOptions o = IngestOptions.of(camera != null ? camera : cameraId(src), src);
        if (o.source().finite() && !Files.isRegularFile(Path.of(src))) {
            // Say so before a broker and a job are started for nothing.
            throw new IllegalArgumentException("--source " + src + " is not a readable video file; give a file, a"
                    + " stream URL or /dev/videoN");
        }
        boolean file = o.source().finite();
        if (maxFps != null) {
            if (!(maxFps > 0)) {
                throw new IllegalArgumentException("--max-fps must be above 0, was " + maxFps);
            }
            o = o.withMaxFps(maxFps);
        }
        return o.withRealtime(!fast && file).withLoop(file && !untilEnd);
    }

    /** "tears" from tears_of_steel_….mp4, "video0" from /dev/video0: short enough to read in every line. */
    static String cameraId(String source) {
        String name = source.replaceAll("[/\\\\]+$", "");
        name = name.substring(name.lastIndexOf('/') + 1).replaceFirst("\\.[^.]*$", "");
        name = name.split("[_.\\s]")[0].replaceAll("[^A-Za-z0-9:-]", "");
        return name.isEmpty() ? "cam-1" : name;
    }
}
