package io.facestream.gallery.metrics;

import io.facestream.core.event.MatchEvent;
import io.facestream.gallery.console.LiveFeed;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

/**
 * What the gallery service measures, in the Prometheus text format. Names follow the words of the topics and the
 * README: {@code facestream_match_events_total{outcome}}, {@code facestream_frame_to_event_latency_seconds}
 * (a histogram), {@code facestream_frames_seen_total{camera}}, {@code facestream_dead_letters},
 * {@code facestream_model_live{model_id}}, {@code facestream_gallery_identities},
 * {@code facestream_gallery_changes_total{action}}, {@code facestream_api_refusals_total{status}}, and the JVM's.
 * No label carries an identity id: the metrics may be scraped without a token.
 */
public final class GalleryMetrics implements LiveFeed.Observer, AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Counter known;
    private final Counter unknown;
    private final Timer latency;
    private final Map<String, Counter> frames = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> live = new ConcurrentHashMap<>();
    private volatile String liveModel;

    public GalleryMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        gc.bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        known = matchCounter("known");
        unknown = matchCounter("unknown");
        latency = Timer.builder("facestream.frame.to.event.latency")
                .description("capture of a frame to its face event seen by the gallery service")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofMinutes(2))
                .register(registry);
    }

    private Counter matchCounter(String outcome) {
        return Counter.builder("facestream.match.events").description("face events on matches, by outcome")
                .tag("outcome", outcome).register(registry);
    }

    /** One face event read from {@code matches}, {@code latency} after its frame was captured. */
    @Override
    public void face(MatchEvent m, Duration latency) {
        (m.known() ? known : unknown).increment();
        if (!latency.isNegative()) {
            this.latency.record(latency);
        }
        String model = m.modelId();
        if (!model.equals(liveModel)) {
            live.values().forEach(v -> v.set(0));
            live.computeIfAbsent(model, id -> {
                AtomicInteger v = new AtomicInteger();
                Gauge.builder("facestream.model.live", v, AtomicInteger::get)
                        .description("1 for the model of the newest face event, 0 for models seen before")
                        .tag("model_id", id).register(registry);
                return v;
            }).set(1);
            liveModel = model;
        }
    }

    /** One frame of a camera read from {@code frames}. */
    @Override
    public void frame(String camera) {
        frames.computeIfAbsent(camera, c -> Counter.builder("facestream.frames.seen")
                .description("frames read from the frames topic by the gallery service, by camera")
                .tag("camera", c).register(registry)).increment();
    }

    /** A change made through the API: enrol, rename, delete, issue-token. */
    public void change(String action) {
        Counter.builder("facestream.gallery.changes").description("changes made through the API, by action")
                .tag("action", action).register(registry).increment();
    }

    /** A request the API refused for want of a valid token (401) or of the admin role (403). */
    public void refusal(int status) {
        Counter.builder("facestream.api.refusals").description("requests refused by the token check or the rate limit, by status")
                .tag("status", Integer.toString(status)).register(registry).increment();
    }

    /** Gauges read when scraped: the gallery's size and the records on {@code frames.dlq}. */
    public void gauges(LongSupplier identities, LongSupplier deadLetters) {
        gauge("facestream.gallery.identities", "people in the gallery store (counted every 10 s)", identities);
        gauge("facestream.dead.letters", "records on frames.dlq (-1 when the cluster did not answer)", deadLetters);
    }

    private void gauge(String name, String description, LongSupplier value) {
        ToDoubleFunction<LongSupplier> read = s -> {
            try {
                return s.getAsLong();
            } catch (RuntimeException e) {
                return Double.NaN; // stores not ready, cluster away: no value rather than a wrong one
            }
        };
        // Micrometer holds a gauge's object weakly; nothing else holds these suppliers.
        Gauge.builder(name, value, read).description(description).strongReference(true).register(registry);
    }

    /** {@code value} asked at most once every {@code keep}; the answer in between is the last one. */
    public static LongSupplier cached(LongSupplier value, Duration keep) {
        return new LongSupplier() {
            private long last;
            private long at;
            private boolean known;

            @Override
            public synchronized long getAsLong() {
                if (!known || System.nanoTime() - at > keep.toNanos()) {
                    last = value.getAsLong();
                    at = System.nanoTime();
                    known = true;
                }
                return last;
            }
        };
    }

    /** The metrics in the Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
