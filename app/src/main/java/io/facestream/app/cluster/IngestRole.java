package io.facestream.app.cluster;

import io.facestream.ingest.CameraSequence;
import io.facestream.ingest.FramesProducer;
import io.facestream.ingest.IngestOptions;
import io.facestream.ingest.Ingestor;
import io.facestream.ingest.http.IngestServer;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One camera's ingestor as a process of its own, as {@code cluster up} starts it; stops on SIGTERM. It continues the
 * camera's frame numbering from the last frame in {@code frames}, so a restart after a crash reuses no event id.
 */
@Command(name = "ingest", hidden = true, mixinStandardHelpOptions = true,
        description = "Stream one video into the frames topic of a Kafka cluster (a process of 'cluster up').")
final class IngestRole implements Callable<Integer> {

    @Option(names = "--bootstrap", required = true, paramLabel = "HOST:PORT[,...]", description = "The Kafka cluster.")
    String bootstrap;

    @Option(names = "--camera", required = true, paramLabel = "ID", description = "Camera id, the key of its frames.")
    String camera;

    @Option(names = "--source", required = true, paramLabel = "FILE|URL", description = "Video file or stream.")
    String source;

    @Option(names = "--loop", description = "Play a file again at its end.")
    boolean loop;

    @Option(names = "--max-fps", paramLabel = "FPS", defaultValue = "0",
            description = "At most this many frames a second (default: 0, the video's rate).")
    double maxFps;

    @Option(names = "--http-port", paramLabel = "N",
            description = "Serve /metrics, /health/live and /health/ready on this port (0: any free one; default: none).")
    Integer httpPort;

    @Option(names = "--http-host", paramLabel = "ADDRESS", defaultValue = "0.0.0.0",
            description = "The address --http-port listens on (default: ${DEFAULT-VALUE}, for Prometheus and probes).")
    String httpHost;

    @Override
    public Integer call() throws Exception {
        IngestOptions o = IngestOptions.of(camera, source);
        boolean file = o.source().finite();
        o = o.withLoop(loop && file).withRealtime(file).withMaxFps(maxFps);
        // A restarted ingestor carries on with its camera's numbering: event ids are made of camera and sequence.
        OptionalLong last = CameraSequence.last(bootstrap, camera, Duration.ofSeconds(30));
        o = o.withFirstSequence(last.isPresent() ? last.getAsLong() + 1 : 0);
        try (FramesProducer producer = Ingestor.createProducer(bootstrap)) {
            Ingestor ingestor = new Ingestor(o, producer);
            IngestServer http = httpPort == null ? null
                    : IngestServer.start(httpHost, httpPort, ingestor, IngestServer.DEFAULT_READY_WINDOW);
            if (http != null) {
                System.out.println("ingest: metrics and probes at http://" + httpHost + ":" + http.port() + "/metrics");
            }
            CountDownLatch done = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                // SIGTERM from 'cluster down': finish the frame in flight and flush what was sent.
                ingestor.stop();
                try {
                    done.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "facestream-ingest-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            System.out.println("ingest: camera " + camera + " from " + o.source() + " to " + bootstrap
                    + (o.loop() ? ", looped" : o.source().finite() ? ", once" : "") + ", first frame "
                    + o.firstSequence() + (last.isPresent() ? " (after the camera's last frame in frames)" : ""));
            try {
                ingestor.run();
                producer.flush();
            } finally {
                System.out.println("ingest: camera " + camera + " done: " + ingestor.stats());
                if (http != null) {
                    http.close();
                }
                done.countDown();
            }
        }
        return 0;
    }
}
