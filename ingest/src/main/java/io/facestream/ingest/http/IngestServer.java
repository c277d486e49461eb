package io.facestream.ingest.http;

import io.facestream.core.http.ProbeServer;
import io.facestream.ingest.Ingestor;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The ingestor's HTTP endpoint, for Prometheus and Kubernetes (no data of a camera is served, so no token):
 *
 * <pre>
 * GET /metrics       {@link IngestMetrics} in the Prometheus text format
 * GET /health/live   200 while the process answers (a stuck JVM does not)
 * GET /health/ready  200 once frames reach Kafka: the broker acknowledged a frame within the readiness window;
 *                    503 with the reason otherwise (before the first frame, or while the source or Kafka is away)
 * </pre>
 */
public final class IngestServer implements AutoCloseable {

    /** A camera at 1 frame/s and a reconnect or two fit in it; a camera or broker away longer is not ready. */
    public static final Duration DEFAULT_READY_WINDOW = Duration.ofSeconds(30);

    private final ProbeServer http;
    private final IngestMetrics metrics;

    private IngestServer(ProbeServer http, IngestMetrics metrics) {
        this.http = http;
        this.metrics = metrics;
    }

    /**
     * Serves the metrics and probes of {@code ingestor} on {@code host:port} (0: any free port).
     *
     * @param readyWindow how recently a frame must have reached Kafka for the ingestor to be ready
     */
    public static IngestServer start(String host, int port, Ingestor ingestor, Duration readyWindow) {
        IngestMetrics metrics = new IngestMetrics().watch(ingestor);
        Readiness readiness = new Readiness(() -> ingestor.stats().sent(), System::nanoTime, readyWindow);
        try {
            return new IngestServer(ProbeServer.start(host, port, "the ingestor", metrics::scrape, () -> {
                Readiness.Verdict v = readiness.check();
                return new ProbeServer.Readiness(v.ready(), "{\"status\":\"" + (v.ready() ? "ready" : "not ready")
                        + "\",\"frames_sent\":" + v.sent() + ",\"reason\":\"" + v.reason() + "\"}\n");
            }), metrics);
        } catch (RuntimeException e) {
            metrics.close();
            throw e;
        }
    }

    /** The port it listens on. */
    public int port() {
        return http.port();
    }

    @Override
    public void close() {
        http.close();
        metrics.close();
    }

    /** Whether frames reach Kafka: the sent counter moved within the window, judged at each probe. */
    static final class Readiness {
        record Verdict(boolean ready, long sent, String reason) {
        }

        private final LongSupplier sent;
        private final LongSupplier nanoTime;
        private final Duration window;
        private long lastSent;
        private long movedAt;

        Readiness(LongSupplier sent, LongSupplier nanoTime, Duration window) {
            this.sent = sent;
            this.nanoTime = nanoTime;
            this.window = window;
        }

        synchronized Verdict check() {
            long now = nanoTime.getAsLong();
            long n = sent.getAsLong();
            if (n > lastSent) {
                lastSent = n;
                movedAt = now;
            }
            if (n == 0) {
                return new Verdict(false, n, "no frame has reached Kafka yet");
            }
            if (now - movedAt > window.toNanos()) {
                return new Verdict(false, n, "no frame has reached Kafka in the last " + window.toSeconds()
                        + " s; is the source or the broker away?");
            }
            return new Verdict(true, n, "frames reach Kafka");
        }
    }
}
