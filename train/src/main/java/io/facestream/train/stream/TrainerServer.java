package io.facestream.train.stream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The continuous trainer's HTTP endpoint, for Prometheus and Kubernetes (no face is served, so no token):
 *
 * <pre>
 * GET /metrics       the trainer's figures in the Prometheus text format, plus the JVM's:
 *                    facestream_trainer_faces_added_total       hard examples put into the replay buffer
 *                    facestream_trainer_records_skipped_total   records of hard-examples that were not one
 *                    facestream_trainer_faces_erased_total      faces taken out because their label was erased
 *                    facestream_trainer_buffer_faces            faces in the replay buffer
 *                    facestream_trainer_buffer_identities       labels in the replay buffer
 *                    facestream_trainer_rounds_total            rounds of training run
 *                    facestream_trainer_models_published_total  models the gate kept and published to models
 * GET /health/live   200 while the process answers
 * GET /health/ready  200 once the service reads its topics (it is subscribed), 503 before
 * </pre>
 */
public final class TrainerServer implements AutoCloseable {

    private final HttpServer http;
    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final TrainerService service;

    private TrainerServer(HttpServer http, TrainerService service) {
        this.http = http;
        this.service = service;
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        gc.bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        FunctionCounter.builder("facestream.trainer.faces.added", service, TrainerService::added)
                .description("hard examples put into the replay buffer").register(registry);
        FunctionCounter.builder("facestream.trainer.records.skipped", service, TrainerService::skipped)
                .description("records of hard-examples that were not a readable hard example").register(registry);
        FunctionCounter.builder("facestream.trainer.faces.erased", service, TrainerService::erased)
                .description("faces taken out of the buffer because their person or unknown group was erased")
                .register(registry);
        Gauge.builder("facestream.trainer.buffer.faces", service, s -> s.trainer().bufferSize())
                .description("faces in the replay buffer").register(registry);
        Gauge.builder("facestream.trainer.buffer.identities", service, s -> s.trainer().bufferIdentities())
                .description("labels in the replay buffer").register(registry);
        FunctionCounter.builder("facestream.trainer.rounds", service, s -> s.trainer().rounds())
                .description("rounds of training run").register(registry);
        FunctionCounter.builder("facestream.trainer.models.published", service, TrainerService::published)
                .description("models the gate kept, published to models").register(registry);
    }

    /** Serves {@code service}'s metrics and probes on {@code host:port} (0: any free port). */
    public static TrainerServer start(String host, int port, TrainerService service) {
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(host, port), 0);
        } catch (BindException e) {
            throw new IllegalStateException("the trainer's HTTP endpoint cannot listen on " + host + ":" + port
                    + " because the port is in use; choose another with --http-port (0 picks a free one)", e);
        } catch (IOException e) {
            throw new IllegalStateException("the trainer's HTTP endpoint cannot listen on " + host + ":" + port + ": "
                    + e.getMessage(), e);
        }
        TrainerServer server = new TrainerServer(http, service);
        http.createContext("/", server::handle);
        http.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "trainer-http");
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
                case "/metrics" -> answer(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
                case "/health/live" -> answer(ex, 200, "application/json", "{\"status\":\"alive\"}\n");
                case "/health/ready" -> {
                    boolean ready = service.subscribed();
                    answer(ex, ready ? 200 : 503, "application/json", "{\"status\":\"" + (ready ? "ready" : "not ready")
                            + "\",\"buffer_faces\":" + service.trainer().bufferSize() + "}\n");
                }
                default -> answer(ex, 404, "text/plain", "no resource at " + path
                        + "; the trainer serves /metrics, /health/live and /health/ready\n");
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
        gc.close();
        registry.close();
    }
}
