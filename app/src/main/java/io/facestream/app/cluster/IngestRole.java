package io.facestream.app.cluster;

import io.facestream.ingest.FramesProducer;
import io.facestream.ingest.IngestOptions;
import io.facestream.ingest.Ingestor;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** One camera's ingestor as a process of its own, as {@code cluster up} starts it; stops on SIGTERM. */
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

    @Override
    public Integer call() throws Exception {
        IngestOptions o = IngestOptions.of(camera, source);
        boolean file = o.source().finite();
        o = o.withLoop(loop && file).withRealtime(file).withMaxFps(maxFps);
        try (FramesProducer producer = Ingestor.createProducer(bootstrap)) {
            Ingestor ingestor = new Ingestor(o, producer);
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
                    + (o.loop() ? ", looped" : ", once"));
            try {
                ingestor.run();
                producer.flush();
            } finally {
                System.out.println("ingest: camera " + camera + " done: " + ingestor.stats());
                done.countDown();
            }
        }
        return 0;
    }
}
