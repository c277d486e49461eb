package io.facestream.ingest.http;

import io.facestream.ingest.IngestStats;
import io.facestream.ingest.Ingestor;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.ToDoubleFunction;

/**
 * An ingestor's counters as Prometheus metrics, each labelled with its camera, read from {@link Ingestor#stats()} at
 * each scrape (the frame loop is not touched):
 *
 * <pre>
 * facestream_frames_read_total{camera}          frames decoded from the source
 * facestream_frames_sent_total{camera}          frames the broker acknowledged on frames
 * facestream_frames_dropped_total{camera}       frames dropped by the frame-rate cap
 * facestream_frames_failed_total{camera}        frames lost (not delivered, not dead-lettered either)
 * facestream_frames_dead_letters_total{camera}  frames too large for frames, on frames.dlq instead
 * facestream_source_reconnects_total{camera}    times the source was opened again
 * </pre>
 *
 * plus the JVM's ({@code jvm_*}, {@code process_*}, {@code system_*}).
 */
public final class IngestMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public IngestMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        gc.bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** Counts what this ingestor does, under its camera id. */
    public IngestMetrics watch(Ingestor ingestor) {
        Tags camera = Tags.of("camera", ingestor.options().cameraId());
        counter("facestream.frames.read", "frames decoded from the source", ingestor, camera, IngestStats::read);
        counter("facestream.frames.sent", "frames the broker acknowledged on frames", ingestor, camera, IngestStats::sent);
        counter("facestream.frames.dropped", "frames dropped by the frame-rate cap", ingestor, camera,
                IngestStats::dropped);
        counter("facestream.frames.failed", "frames lost: not delivered and not dead-lettered either", ingestor, camera,
                IngestStats::failed);
        counter("facestream.frames.dead.letters", "frames too large for frames, written to frames.dlq instead", ingestor,
                camera, IngestStats::deadLetters);
        counter("facestream.source.reconnects", "times the source was opened again after it failed or ended", ingestor,
                camera, IngestStats::reconnects);
        return this;
    }

    private void counter(String name, String description, Ingestor ingestor, Tags tags, ToDoubleFunction<IngestStats> f) {
        FunctionCounter.builder(name, ingestor, i -> f.applyAsDouble(i.stats())).description(description).tags(tags)
                .register(registry);
    }

    /** The Prometheus text format of every metric. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
