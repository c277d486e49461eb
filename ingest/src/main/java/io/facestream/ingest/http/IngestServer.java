package io.facestream.ingest.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.facestream.ingest.Ingestor;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
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

    private final HttpServer http;
    private final IngestMetrics metrics;
    private final Readiness readiness;

    private IngestServer(HttpServer http, IngestMetrics metrics, Readiness readiness) {
        this.http = http;
        this.metrics = metrics;
        this.readiness = readiness;
    }

    /**
     * Serves the metrics and probes of {@code ingestor} on {@code host:port} (0: any free port).
     *
     * @param readyWindow how recently a frame must have reached Kafka for the ingestor to be ready
     */
    public static IngestServer start(String host, int port, Ingestor ingestor, Duration readyWindow) {
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(host, port), 0);
        } catch (BindException e) {
            throw new IllegalStateException("the ingestor's HTTP endpoint cannot listen on " + host + ":" + port
                    + " because the port is in use; choose another with --http-port (0 picks a free one)", e);
        } catch (IOException e) {
            throw new IllegalStateException("the ingestor's HTTP endpoint cannot listen on " + host + ":" + port + ": "
                    + e.getMessage(), e);
        }
        IngestMetrics metrics = new IngestMetrics().watch(ingestor);
        Readiness readiness = new Readiness(() -> ingestor.stats().sent(), System::nanoTime, readyWindow);
        IngestServer server = new IngestServer(http, metrics, readiness);
        http.createContext("/", server::handle);
        http.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ingest-http");
            t.setDaemon(true);
            return t;
        }));
        http.start();
        return server;
    }

    /** The port it listens on. */
    public int port() {
        return http.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                answer(ex, 405, "text/plain", ex.getRequestMethod() + " is not allowed; use GET\n");
                return;
            }
            switch (path) {
                case "/metrics" -> answer(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
                case "/health/live" -> answer(ex, 200, "application/json", "{\"status\":\"alive\"}\n");
                case "/health/ready" -> {
                    Readiness.Verdict v = readiness.check();
                    answer(ex, v.ready() ? 200 : 503, "application/json", "{\"status\":\"" + (v.ready() ? "ready"
                            : "not ready") + "\",\"frames_sent\":" + v.sent() + ",\"reason\":\"" + v.reason() + "\"}\n");
                }
                default -> answer(ex, 404, "text/plain", "no resource at " + path
                        + "; the ingestor serves /metrics, /health/live and /health/ready\n");
            }
        }
    }

    private static void answer(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        http.stop(0);
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
