package io.facestream.train.stream;

import io.facestream.core.http.ProbeServer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

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

    private final ProbeServer http;
    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gc;

    private TrainerServer(ProbeServer http, PrometheusMeterRegistry registry, JvmGcMetrics gc) {
        this.http = http;
        this.registry = registry;
        this.gc = gc;
    }

    /** Serves {@code service}'s metrics and probes on {@code host:port} (0: any free port). */
    public static TrainerServer start(String host, int port, TrainerService service) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        JvmGcMetrics gc = new JvmGcMetrics();
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
        try {
            return new TrainerServer(ProbeServer.start(host, port, "the trainer", registry::scrape, () -> {
                boolean ready = service.subscribed();
                return new ProbeServer.Readiness(ready, "{\"status\":\"" + (ready ? "ready" : "not ready")
                        + "\",\"buffer_faces\":" + service.trainer().bufferSize() + "}\n");
            }), registry, gc);
        } catch (RuntimeException e) {
            gc.close();
            registry.close();
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
        gc.close();
        registry.close();
    }
}
