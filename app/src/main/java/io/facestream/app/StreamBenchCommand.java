package io.facestream.app;

import io.facestream.core.DetectedFace;
import io.facestream.core.Embedding;
import io.facestream.ingest.DecodedFrame;
import io.facestream.ingest.GrabberFrameSource;
import io.facestream.ingest.IngestOptions;
import io.facestream.ingest.Ingestor;
import io.facestream.ingest.JpegEncoder;
import io.facestream.ingest.SourceSpec;
import io.facestream.recognize.engine.EngineOptions;
import io.facestream.recognize.engine.FaceEngine;
import io.facestream.recognize.engine.FaceModel;
import io.facestream.recognize.image.RgbImage;
import io.facestream.recognize.job.RecognizeSettings;
import io.facestream.recognize.track.EmbeddingReuse;
import io.facestream.recognize.track.KeyframeDetector;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.connector.base.DeliveryGuarantee;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The cost of the streaming layer, measured: for each clip, the bare engine's frames/s on the clip's frames, then
 * the whole stream (broker, job, ingest, read_committed reader) as fast as it goes, then paced at the clip's own frame
 * rate under each delivery guarantee, with frame→event latency percentiles as a consumer of {@code matches} sees them.
 */
@Command(name = "stream", mixinStandardHelpOptions = true,
        description = {"End-to-end frames/s and frame-to-event latency of the whole stream in this JVM, next to the"
            + " bare engine's frames/s on the same frames.",
            "Default clips: the 1080p street scene and the 640x360 film excerpt of ../shared/data/video."})
final class StreamBenchCommand implements Callable<Integer> {

    static final List<String> DEFAULT_CLIPS = List.of(
            "../shared/data/video/tears_of_steel_cc-by_640x360_10s.mp4",
            "../shared/data/video/street_multiface_1920x1080_4s.mp4");

    /** Frames sent before each measurement so that every subtask's engine has run once. */
    static final int WARM_UP_FRAMES = 8;

    @Parameters(paramLabel = "CLIP", arity = "0..*", description = "Video files to measure (default: the shared clips).")
    List<Path> clips;

    @Mixin
    StreamMixin stream;

    @Option(names = "--parallelism", paramLabel = "N", defaultValue = "2",
            description = "Recognize subtasks and bare-engine workers, one single-threaded engine each (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--checkpoint-interval", paramLabel = "MS", defaultValue = "1000",
            description = "Checkpoint interval of the job (default: ${DEFAULT-VALUE}).")
    long checkpointMillis;

    @Option(names = "--plays", paramLabel = "N", defaultValue = "1",
            description = "Play each clip N times in a row through the same job and count only the last N-1 plays"
                + " (the first warms the JIT, the job and the broker up); 1 plays it once and counts it"
                + " (default: ${DEFAULT-VALUE}).")
    int plays;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "target/bench/kafka",
            description = "The broker's data folder, emptied at start and deleted after each run (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        if (parallelism < 1) {
            throw new IllegalArgumentException("--parallelism must be at least 1, was " + parallelism);
        }
        if (plays < 1) {
            throw new IllegalArgumentException("--plays must be at least 1, was " + plays);
        }
        List<Path> files = clips != null && !clips.isEmpty() ? clips : defaultClips();
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw new IllegalArgumentException(f + " is not a video file; give clips as arguments");
            }
        }
        PrintStream out = System.out;
        out.printf(Locale.ROOT, "facestream stream benchmark: %d cores, %d subtask(s) x 1 thread, model %s, min face %d px,"
                + " full detection every %d frame(s), embedding kept up to %d frame(s), checkpoint every %d ms%n",
                Runtime.getRuntime().availableProcessors(), parallelism, FaceModel.MOBILEFACENET.cliName(), stream.minFace,
                stream.detectEvery, stream.embedEvery, checkpointMillis);
        if (plays > 1) {
            out.printf(Locale.ROOT, "each stream run plays the clip %d times in one job; its figures count plays 2 to %d%n",
                    plays, plays);
        }
        for (Path clip : files) {
            measure(clip, out);
        }
        return 0;
    }

    private void measure(Path clip, PrintStream out) throws Exception {
        List<byte[]> jpegs = new ArrayList<>();
        double sourceFps;
        int width;
        int height;
        long grabNanos = 0;
        long encodeNanos = 0;
        try (GrabberFrameSource source = GrabberFrameSource.open(SourceSpec.parse(clip.toString()), false, false,
                Duration.ofSeconds(10)); JpegEncoder jpeg = new JpegEncoder(JpegEncoder.DEFAULT_QUALITY)) {
            sourceFps = source.frameRate();
            Optional<DecodedFrame> next = source.next();
            width = next.map(DecodedFrame::width).orElse(0);
            height = next.map(DecodedFrame::height).orElse(0);
            while (next.isPresent()) {
                long t = CPU.getCurrentThreadCpuTime();
                jpegs.add(jpeg.encode(next.get().image()));
                long w = System.nanoTime();
                encodeNanos += CPU.getCurrentThreadCpuTime() - t;
                next = source.next();
                grabNanos += System.nanoTime() - w;
            }
        }
        out.println();
        out.printf(Locale.ROOT, "%s: %d frames of %dx%d at %.1f fps%n", clip.getFileName(), jpegs.size(), width, height,
                sourceFps);
        out.printf("  %-34s %9s %8s %9s %9s %9s %9s %13s%n", "run", "frames/s", "events", "p50 ms", "p95 ms", "p99 ms",
                "max ms", "p99 in job ms");
        Steps steps = new Steps();
        double bare = bareEngine(jpegs, steps);
        out.printf(Locale.ROOT, "  %-34s %9.1f%n", "bare engine (decode+detect+embed)", bare);
        int n = Math.max(1, jpegs.size());
        out.printf(Locale.ROOT, "  per frame: ingest grab+convert %.1f ms (wall), JPEG encode %.1f ms; job JPEG decode %.1f ms,"
                + " detect %.1f ms (p95 %.1f), embed %.1f ms (%.2f faces, %.2f embedded); CPU time of the working thread%n",
                grabNanos / 1e6 / n, encodeNanos / 1e6 / n, steps.decode.get() / 1e6 / n, steps.detect.get() / 1e6 / n,
                steps.detectP95Millis(), steps.embed.get() / 1e6 / n, steps.faces.get() / (double) n,
                steps.embedded.get() / (double) n);
        stream(clip, jpegs.size(), "stream, as fast as it goes (ALO)", DeliveryGuarantee.AT_LEAST_ONCE, false, out);
        stream(clip, jpegs.size(), "stream, paced, at-least-once", DeliveryGuarantee.AT_LEAST_ONCE, true, out);
        stream(clip, jpegs.size(), "stream, paced, exactly-once", DeliveryGuarantee.EXACTLY_ONCE, true, out);
    }

    /**
     * CPU time of each step of the bare engine, over all frames. The engine runs one intra-op thread on the caller's
     * thread, so a thread's CPU time is the step's cost however busy the machine is with other work.
     */
    private static final class Steps {
        final AtomicLong decode = new AtomicLong();
        final AtomicLong detect = new AtomicLong();
        final AtomicLong embed = new AtomicLong();
        final AtomicLong faces = new AtomicLong();
        final AtomicLong embedded = new AtomicLong();
        final List<Long> detectEach = Collections.synchronizedList(new ArrayList<>());

        double detectP95Millis() {
            List<Long> sorted = new ArrayList<>(detectEach);
            if (sorted.isEmpty()) {
                return 0;
            }
            Collections.sort(sorted);
            return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(0.95 * sorted.size()) - 1)) / 1e6;
        }
    }

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    /** Frames/s of {@code parallelism} single-threaded engines on the frames' JPEGs, as the job's subtasks see them. */
    private double bareEngine(List<byte[]> jpegs, Steps steps) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(parallelism);
        try {
            List<Future<?>> warm = new ArrayList<>();
            List<FaceEngine> engines = new ArrayList<>();
            List<KeyframeDetector> detectors = new ArrayList<>();
            List<EmbeddingReuse> reuses = new ArrayList<>();
            EngineOptions d = EngineOptions.defaults();
            for (int i = 0; i < parallelism; i++) {
                FaceEngine e = FaceEngine.open(new EngineOptions(d.weightsDir(), 1, d.device(), stream.minFace));
                engines.add(e);
                detectors.add(KeyframeDetector.of(e, stream.detectEvery, RecognizeSettings.KEY_FRAME_SCHEDULE));
                reuses.add(new EmbeddingReuse(stream.embedEvery));
                // First calls pay for native setup; the job's engines are warm after their first frames too.
                warm.add(pool.submit(() -> e.analyze(RgbImage.decode(jpegs.get(0), "warm-up"), FaceModel.MOBILEFACENET, false)));
            }
            for (Future<?> f : warm) {
                f.get();
            }
            long start = System.nanoTime();
            List<Future<?>> work = new ArrayList<>();
            for (int w = 0; w < parallelism; w++) {
                FaceEngine e = engines.get(w);
                KeyframeDetector detector = detectors.get(w);
                EmbeddingReuse reuse = reuses.get(w);
                work.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < jpegs.size(); i = next.getAndIncrement()) {
                        long t0 = CPU.getCurrentThreadCpuTime();
                        RgbImage image = RgbImage.decode(jpegs.get(i), "frame " + i);
                        long t1 = CPU.getCurrentThreadCpuTime();
                        KeyframeDetector.Result r = detector.detect("bench", i, image);
                        List<DetectedFace> faces = r.faces();
                        long t2 = CPU.getCurrentThreadCpuTime();
                        // as the job does: a followed face keeps its embedding for a few frames
                        EmbeddingReuse.Plan plan = reuse.plan("bench", i, r.continues(),
                                FaceModel.MOBILEFACENET.modelId(), faces);
                        List<DetectedFace> fresh = plan.freshOf(faces);
                        List<EmbeddingReuse.Slot> slots = plan.freshOf(plan.slots());
                        if (!fresh.isEmpty()) {
                            List<Embedding> em = e.embed(image, fresh, FaceModel.MOBILEFACENET, false);
                            for (int k = 0; k < em.size(); k++) {
                                slots.get(k).fill(em.get(k).values());
                            }
                        }
                        long t3 = CPU.getCurrentThreadCpuTime();
                        steps.decode.addAndGet(t1 - t0);
                        steps.detect.addAndGet(t2 - t1);
                        steps.detectEach.add(t2 - t1);
                        steps.embed.addAndGet(t3 - t2);
                        steps.faces.addAndGet(faces.size());
                        steps.embedded.addAndGet(fresh.size());
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            engines.forEach(FaceEngine::close);
            return jpegs.size() / seconds;
        } finally {
            pool.shutdownNow();
        }
    }

    private void stream(Path clip, int frames, String name, DeliveryGuarantee delivery, boolean paced, PrintStream out)
            throws Exception {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        IngestOptions options = IngestOptions.of("bench", clip.toString()).withRealtime(paced).withLoop(plays > 1);
        long total = (long) plays * frames;
        StreamRunner.Result r;
        try (LocalStack stack = LocalStack.start(dataDir, parallelism, delivery, Duration.ofMillis(checkpointMillis),
                stream.settings())) {
            StreamRunner.warmUp(stack, clip.toString(), WARM_UP_FRAMES, System.err);
            try (MatchFeed feed = new MatchFeed(stack.bootstrap(), LocalStack.PARTITIONS, quiet, null).onlyCamera("bench")
                    .countFrom(plays > 1 ? frames : 0)) {
                r = StreamRunner.run(stack, options, feed, true, Duration.ofSeconds(60), () -> false,
                        plays > 1 ? ingestor -> stopAfter(ingestor, total) : ingestor -> { }, System.err);
            }
        }
        StreamStats.Summary s = r.summary();
        StreamStats.Latency l = s.captureToReceived();
        if (paced) {
            // The last column: capture to the end of recognition (the event's processing time), the rest of the
            // latency is resequencing, tracking, the sink and the reader.
            out.printf(Locale.ROOT, "  %-34s %9.1f %8d %9d %9d %9d %9d %13d%n", name, s.framesPerSecond(), s.events(),
                    l.p50().toMillis(), l.p95().toMillis(), l.p99().toMillis(), l.max().toMillis(),
                    s.captureToProcessed().p99().toMillis());
        } else {
            // Unpaced capture times are stamped as fast as frames decode: their latencies say nothing.
            out.printf(Locale.ROOT, "  %-34s %9.1f %8d%n", name, s.framesPerSecond(), s.events());
        }
    }

    /** Stops a looping ingestor once it has sent {@code frames} frames. */
    private static void stopAfter(Ingestor ingestor, long frames) {
        Thread watch = new Thread(() -> {
            while (ingestor.stats().sent() < frames) {
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            ingestor.stop();
        }, "facestream-bench-plays");
        watch.setDaemon(true);
        watch.start();
    }

    private static List<Path> defaultClips() {
        List<Path> found = new ArrayList<>();
        for (String c : DEFAULT_CLIPS) {
            if (Files.isRegularFile(Path.of(c))) {
                found.add(Path.of(c));
            }
        }
        if (found.isEmpty()) {
            // A fresh machine without the shared data still has the sample video of setup.
            found.add(SampleMedia.defaults().video());
        }
        return found;
    }
}
