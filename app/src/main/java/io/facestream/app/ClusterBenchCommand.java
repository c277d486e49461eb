package io.facestream.app;

import io.facestream.app.cluster.Cluster;
import io.facestream.app.cluster.ClusterSpec;
import io.facestream.app.cluster.MatchWatch;
import io.facestream.ingest.FramesProducer;
import io.facestream.ingest.IngestOptions;
import io.facestream.ingest.Ingestor;
import io.facestream.recognize.engine.FaceModel;
import io.facestream.recognize.job.RecognizeSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.connector.base.DeliveryGuarantee;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The cluster against the one-JVM stack at the same load: the same job at the same parallelism, the same
 * ingest loop per camera, read by the same {@code read_committed} reader; only where the parts run differs.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = {"Start time, resident memory, frames/s and frame-to-event latency of a cluster of this machine"
            + " ('cluster up': 3 Kafka nodes, a JobManager and 2 TaskManagers, the job, the gallery service, one ingestor"
            + " process per camera) at 1, 2, 4 cameras playing the sample video, then of the one-JVM stack (an embedded"
            + " broker, a MiniCluster and in-process ingestors, as 'demo' runs) at the same cameras. Cameras are added"
            + " one by one to the running stack; each count is measured after a warm-up."})
final class ClusterBenchCommand implements Callable<Integer> {

    @Option(names = "--cameras", paramLabel = "N[,N...]", defaultValue = "1,2,4", split = ",",
            description = "Camera counts, ascending (default: ${DEFAULT-VALUE}).")
    List<Integer> cameras;

    @Option(names = "--fps", paramLabel = "FPS", defaultValue = "4",
            description = "Frames a second of each camera (default: ${DEFAULT-VALUE}).")
    double fps;

    @Option(names = "--warm-up", paramLabel = "SECONDS", defaultValue = "10",
            description = "Seconds after cameras are added before measuring (default: ${DEFAULT-VALUE}).")
    int warmUp;

    @Option(names = "--seconds", paramLabel = "SECONDS", defaultValue = "30",
            description = "Seconds measured at each camera count (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "target/bench/cluster",
            description = "The cluster's folder and the one-JVM broker's, emptied first (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--base-port", paramLabel = "PORT", defaultValue = "19390",
            description = "Port range of the cluster, see 'cluster up' (default: ${DEFAULT-VALUE}).")
    int basePort;

    @Option(names = "--parallelism", paramLabel = "N", defaultValue = "2",
            description = "The job's parallelism in both (default: ${DEFAULT-VALUE}).")
    int parallelism;

    private static final Duration FIRST_EVENT = Duration.ofSeconds(300);

    /** Adds cameras to a running stack. */
    private interface Stack extends AutoCloseable {
        void addCamera(String camera) throws Exception;

        String bootstrap();

        /** Resident memory per process, in bytes. */
        Map<String, Long> residentBytes();
    }

    @Override
    public Integer call() throws Exception {
        if (cameras.isEmpty() || cameras.get(0) < 1 || !cameras.stream().sorted().toList().equals(cameras)) {
            throw new IllegalArgumentException("--cameras must be ascending counts of 1 or more, was " + cameras);
        }
        if (!(fps > 0) || warmUp < 0 || seconds < 1) {
            throw new IllegalArgumentException("--fps must be above 0, --warm-up 0 or more and --seconds 1 or more");
        }
        Path video = SampleMedia.defaults().video();
        PrintStream out = System.out;
        out.printf(Locale.ROOT, "facestream cluster benchmark: %d cores, parallelism %d, %s at %.1f fps per camera,"
                + " exactly-once, checkpoint every 1000 ms; %d s warm-up, %d s measured per camera count%n",
                Runtime.getRuntime().availableProcessors(), parallelism, video.getFileName(), fps, warmUp, seconds);
        List<String> rows = new ArrayList<>();
        long t0 = System.nanoTime();
        Cluster cluster = null;
        try {
            cluster = Cluster.up(new ClusterSpec(dir.resolve("cluster"), 3, 2, parallelism, 1, basePort, video, true,
                    fps, null, Duration.ofMillis(1000), null, null), System.err);
            double up = (System.nanoTime() - t0) / 1e9;
            Cluster c = cluster;
            rows.addAll(measure("cluster", up, new Stack() {
                @Override
                public void addCamera(String camera) throws IOException {
                    c.addCamera(camera, video.toString(), true, fps);
                }

                @Override
                public String bootstrap() {
                    return c.bootstrap();
                }

                @Override
                public Map<String, Long> residentBytes() {
                    return c.residentBytes();
                }

                @Override
                public void close() {
                }
            }));
        } finally {
            if (cluster != null) {
                cluster.down(System.err);
            }
        }
        t0 = System.nanoTime();
        try (LocalStack stack = LocalStack.start(dir.resolve("one-jvm"), parallelism, DeliveryGuarantee.EXACTLY_ONCE,
                Duration.ofMillis(1000), RecognizeSettings.defaults(FaceModel.MOBILEFACENET));
                InProcessCameras local = new InProcessCameras(stack, video, fps)) {
            double up = (System.nanoTime() - t0) / 1e9;
            local.addCamera("cam-1");
            rows.addAll(measure("one JVM", up, local));
        }
        out.println();
        out.printf("%-8s %5s %8s %8s %10s %8s %8s %8s %8s %9s  %s%n", "stack", "cams", "start s", "offered", "frames/s",
                "events", "p50 ms", "p99 ms", "max ms", "RSS MiB", "load (1, 5, 15 min)");
        rows.forEach(out::println);
        return 0;
    }

    /** Measures each camera count on a stack running one camera, adding the others as it goes. */
    private List<String> measure(String name, double startSeconds, Stack stack) throws Exception {
        List<String> rows = new ArrayList<>();
        try (MatchWatch watch = new MatchWatch(stack.bootstrap())) {
            // The first frames wait for every subtask's engines to load and run once: not what is measured.
            if (watch.await(s -> true, FIRST_EVENT).isEmpty()) {
                throw new IllegalStateException("no match event within " + FIRST_EVENT.toSeconds() + " s of the "
                        + name + " stack starting");
            }
            int running = 1;
            for (int n : cameras) {
                for (; running < n; running++) {
                    stack.addCamera("cam-" + (running + 1));
                }
                Thread.sleep(warmUp * 1000L);
                Instant from = Instant.now();
                Thread.sleep(seconds * 1000L);
                Instant to = Instant.now();
                long[] latencies = watch.seen().stream()
                        .filter(s -> !s.receivedAt().isBefore(from) && s.receivedAt().isBefore(to))
                        .mapToLong(s -> Duration.between(s.event().captureTime(), s.receivedAt()).toMillis())
                        .sorted().toArray();
                long rss = stack.residentBytes().values().stream().mapToLong(Long::longValue).sum();
                double rate = latencies.length / (Duration.between(from, to).toMillis() / 1e3);
                String row = String.format(Locale.ROOT, "%-8s %5d %8.1f %8.1f %10.1f %8d %8s %8s %8s %9d  %s", name, n,
                        startSeconds, n * fps, rate, latencies.length, pct(latencies, 50), pct(latencies, 99),
                        pct(latencies, 100), rss >> 20, loadAverage());
                System.err.println("bench cluster: " + row);
                rows.add(row);
            }
        }
        return rows;
    }

    private static String pct(long[] sorted, double p) {
        return sorted.length == 0 ? "-" : Long.toString(StreamStats.percentile(sorted, p));
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return String.join(", ", Arrays.copyOf(f, 3));
        } catch (IOException e) {
            return "?";
        }
    }

    /** The one-JVM stack with in-process ingestors, each on its own thread, as {@code demo} runs one. */
    private static final class InProcessCameras implements Stack {
        private final LocalStack stack;
        private final Path video;
        private final double fps;
        private final List<Ingestor> ingestors = new ArrayList<>();
        private final List<FramesProducer> producers = new ArrayList<>();
        private final List<Thread> threads = new ArrayList<>();

        InProcessCameras(LocalStack stack, Path video, double fps) {
            this.stack = stack;
            this.video = video;
            this.fps = fps;
        }

        @Override
        public void addCamera(String camera) {
            FramesProducer producer = Ingestor.createProducer(stack.bootstrap());
            Ingestor ingestor = new Ingestor(IngestOptions.of(camera, video.toString()).withLoop(true)
                    .withRealtime(true).withMaxFps(fps), producer);
            Thread t = new Thread(ingestor, "ingest-" + camera);
            t.setDaemon(true);
            t.start();
            producers.add(producer);
            ingestors.add(ingestor);
            threads.add(t);
        }

        @Override
        public String bootstrap() {
            return stack.bootstrap();
        }

        @Override
        public Map<String, Long> residentBytes() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        return Map.of("one-jvm", 1024 * Long.parseLong(line.replaceAll("[^0-9]", "")));
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // no /proc
            }
            return Map.of();
        }

        @Override
        public void close() throws InterruptedException {
            ingestors.forEach(Ingestor::stop);
            for (Thread t : threads) {
                t.join(10_000);
            }
            producers.forEach(FramesProducer::close);
        }
    }
}
