package io.facestream.gallery;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.facestream.core.topic.Topic;
import io.facestream.core.topic.Topics;
import io.facestream.gallery.auth.ApiToken;
import io.facestream.gallery.auth.ApiTokens;
import io.facestream.gallery.auth.AuditLog;
import io.facestream.gallery.auth.IssuedTokens;
import io.facestream.gallery.auth.Role;
import io.facestream.gallery.console.ClusterFigures;
import io.facestream.gallery.console.LiveFeed;
import io.facestream.gallery.http.AccessControl;
import io.facestream.gallery.http.ConsoleApi;
import io.facestream.gallery.http.GalleryApi;
import io.facestream.gallery.metrics.GalleryMetrics;
import io.facestream.gallery.ratelimit.TokenBuckets;
import io.facestream.gallery.stream.GalleryStores;
import io.facestream.gallery.stream.GalleryTopology;
import io.facestream.gallery.stream.GalleryWriter;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gallery service in this process: the Kafka Streams topology ({@link GalleryTopology}), the HTTP API
 * ({@link GalleryApi}) and the operator's console on the JDK's HTTP server, behind {@link AccessControl}.
 * {@link #start} returns once the stores are ready and the port is bound; {@link #close} stops everything.
 *
 * <pre>{@code
 * try (GalleryService gallery = GalleryService.start(GalleryOptions.defaults(kafka.bootstrapServers()))) {
 *     System.out.println("gallery API at " + gallery.url());
 *     ...
 * }
 * }</pre>
 */
public final class GalleryService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GalleryService.class);
    /**
     * Requests are short (a store read, one produce); a few threads keep a slow upload from blocking the rest,
     * and each browser watching the live view holds one more.
     */
    private static final int HTTP_THREADS = 4 + ConsoleApi.MAX_WATCHERS;
    /** How long the gallery's size is kept between counts, for the metrics: counting reads every entry. */
    private static final Duration GALLERY_COUNT_EVERY = Duration.ofSeconds(10);
    /** The name of the admin token made at start when the options give none. */
    public static final String GENERATED_ADMIN = "admin";
    /** The topics the service reads or writes. */
    private static final List<Topic<?, ?>> TOPICS = List.of(Topics.ENROLMENTS, Topics.ENROLMENT_RESULTS, Topics.GALLERY,
            Topics.MATCHES, Topics.SIGHTINGS, Topics.UNKNOWNS);

    private final GalleryOptions options;
    private volatile KafkaStreams streams;
    private GalleryWriter writer;
    private HttpServer http;
    private ExecutorService httpThreads;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private ApiTokens tokens;
    private ApiToken generatedAdmin;
    private AuditLog audit;
    private LiveFeed feed;
    private ClusterFigures cluster;
    private GalleryMetrics metrics;

    private GalleryService(GalleryOptions options) {
        this.options = options;
    }

    /**
     * Starts the service: creates missing topics (when the options say so), starts Kafka Streams and waits
     * until its stores are ready, then opens the HTTP API. Fails with a sentence saying what went wrong.
     */
    public static GalleryService start(GalleryOptions options) {
        GalleryService s = new GalleryService(options);
        try {
            s.startAll();
            return s;
        } catch (RuntimeException e) {
            try {
                s.close();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    private void startAll() {
        long started = System.nanoTime();
        String clusterId = prepareTopics();
        try {
            Files.createDirectories(options.stateDir());
        } catch (IOException e) {
            throw new IllegalStateException("could not create the state directory " + options.stateDir() + ": " + e, e);
        }
        streams = new KafkaStreams(GalleryTopology.build(options.sessionGap(), options.sessionGrace(),
                options.sightingsRetention()), options.streamsProperties());
        forgetStateOfAnotherCluster(clusterId);
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("The gallery's Kafka Streams failed; the service stops answering from its stores", e);
            failure.compareAndSet(null, e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.start();
        awaitRunning();
        writer = new GalleryWriter(options.bootstrapServers());
        tokens = ApiTokens.of(options.tokens(), new IssuedTokens(options.issuedTokensFile()));
        if (options.tokens().isEmpty()) {
            // Not kept in the issued tokens' file: a new one is made and shown at every start. Its name steps aside
            // for a token issued earlier under the same name.
            String name = GENERATED_ADMIN;
            for (int n = 2; isTaken(name); n++) {
                name = GENERATED_ADMIN + "-" + n;
            }
            generatedAdmin = new ApiToken(name, Role.ADMIN, ApiTokens.newSecret());
            tokens.add(generatedAdmin);
        }
        metrics = new GalleryMetrics();
        audit = AuditLog.open(options.auditLogFile());
        audit.observe(metrics::change);
        feed = LiveFeed.start(options.bootstrapServers(), metrics);
        cluster = new ClusterFigures(options.bootstrapServers());
        GalleryStores stores = new GalleryStores(streams);
        metrics.gauges(GalleryMetrics.cached(stores::size, GALLERY_COUNT_EVERY), () -> cluster.now().deadLetters());
        startHttp();
        LOG.info("Gallery service at {} (Kafka at {}, state in {}) started in {} ms", url(), options.bootstrapServers(),
                options.stateDir(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    private boolean isTaken(String name) {
        return tokens.principals().stream().anyMatch(p -> p.name().equals(name));
    }

    /** The port the HTTP API listens on (the one picked when the options asked for 0). */
    public int port() {
        return http.getAddress().getPort();
    }

    /** The HTTP API's base address, e.g. {@code http://127.0.0.1:8080}. */
    public URI url() {
        String host = options.httpHost().equals("0.0.0.0") ? "127.0.0.1" : options.httpHost();
        return URI.create((options.tls() != null ? "https" : "http") + "://"
                + (host.contains(":") ? "[" + host + "]" : host) + ":" + port());
    }

    /** The Kafka Streams state: RUNNING while the service is healthy. */
    public KafkaStreams.State state() {
        KafkaStreams s = streams;
        return s == null ? KafkaStreams.State.NOT_RUNNING : s.state();
    }

    /** Why Kafka Streams stopped, empty while it runs. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure.get());
    }

    /**
     * The admin token made at start because the options gave none: its one copy, for the operator to be shown
     * once. Empty when the options gave tokens.
     */
    public Optional<ApiToken> generatedAdminToken() {
        return Optional.ofNullable(generatedAdmin);
    }

    /** The tokens accepted; an admin may issue more while the service runs. */
    public ApiTokens tokens() {
        return tokens;
    }

    /** Where the audit log is written. */
    public Path auditLog() {
        return options.auditLogFile();
    }

    public GalleryOptions options() {
        return options;
    }

    /** Stops the HTTP API, then Kafka Streams; calling it again does nothing. */
    @Override
    public synchronized void close() {
        if (http != null) {
            http.stop(0);
            http = null;
        }
        if (httpThreads != null) {
            httpThreads.shutdownNow();
            httpThreads = null;
        }
        if (feed != null) {
            feed.close();
            feed = null;
        }
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
        if (audit != null) {
            audit.close();
            audit = null;
        }
        if (writer != null) {
            writer.close();
            writer = null;
        }
        if (metrics != null) {
            metrics.close();
            metrics = null;
        }
        if (streams != null) {
            // Leave the group: a restarted service then takes its partitions at once instead of waiting for
            // the broker to time the old member out (45 s).
            streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(30)));
            streams = null;
        }
    }

    /**
     * Wipes the local stores when they were built from another Kafka cluster (a fresh demo broker reuses the
     * folder): their offsets would point past the new cluster's logs. The cluster id is kept beside them.
     */
    private void forgetStateOfAnotherCluster(String clusterId) {
        Path marker = options.stateDir().resolve(options.applicationId() + ".cluster-id");
        try {
            String before = Files.exists(marker) ? Files.readString(marker).strip() : null;
            if (before != null && !before.equals(clusterId)) {
                LOG.info("The stores in {} were built from cluster {}, this is {}: rebuilding them", options.stateDir(),
                        before, clusterId);
                streams.cleanUp();
            }
            Files.writeString(marker, clusterId);
        } catch (IOException e) {
            throw new IllegalStateException("could not read or write " + marker + ": " + e, e);
        }
    }

    private String prepareTopics() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) options.startTimeout().toMillis()))) {
            String clusterId = admin.describeCluster().clusterId().get(options.startTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
            Set<String> existing = admin.listTopics().names().get(options.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (Topic<?, ?> t : TOPICS) {
                if (!existing.contains(t.name())) {
                    // The cluster's default partitions and replication: what suits it is its operator's choice.
                    missing.add(new NewTopic(t.name(), Optional.empty(), Optional.empty()).configs(t.configs()));
                }
            }
            if (missing.isEmpty()) {
                return clusterId;
            }
            List<String> names = missing.stream().map(NewTopic::name).toList();
            if (!options.createTopics()) {
                throw new IllegalStateException("the topics " + names + " do not exist at " + options.bootstrapServers()
                        + "; create them (or let the service create them) before starting the gallery");
            }
            for (var e : admin.createTopics(missing).values().entrySet()) {
                try {
                    e.getValue().get(options.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException ex) {
                    if (!(ex.getCause() instanceof TopicExistsException)) {
                        throw ex; // another process creating it at the same moment is fine
                    }
                }
            }
            LOG.info("Created the topics {}", names);
            return clusterId;
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not reach or prepare the topics at " + options.bootstrapServers() + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the Kafka cluster at " + options.bootstrapServers() + " did not answer within "
                    + options.startTimeout().toSeconds() + " s; is it running, and is --bootstrap right?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing the gallery's topics", e);
        }
    }

    private void awaitRunning() {
        long deadline = System.nanoTime() + options.startTimeout().toNanos();
        while (true) {
            KafkaStreams.State s = streams.state();
            if (s == KafkaStreams.State.RUNNING) {
                return;
            }
            if (s == KafkaStreams.State.ERROR || s == KafkaStreams.State.PENDING_ERROR
                    || s == KafkaStreams.State.NOT_RUNNING || s == KafkaStreams.State.PENDING_SHUTDOWN) {
                Throwable why = failure.get();
                throw new IllegalStateException("the gallery's Kafka Streams stopped while starting (" + s + ")"
                        + (why == null ? "" : ": " + why.getMessage()), why);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the gallery's stores were not ready within " + options.startTimeout().toSeconds()
                        + " s (Kafka Streams is " + s + "); is the cluster at " + options.bootstrapServers() + " healthy?");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the gallery's stores", e);
            }
        }
    }

    private void startHttp() {
        InetSocketAddress address = new InetSocketAddress(options.httpHost(), options.httpPort());
        try {
            if (options.tls() != null) {
                // The keystore is opened first: a wrong password fails the start before the port is taken.
                HttpsServer https = HttpsServer.create();
                https.setHttpsConfigurator(new HttpsConfigurator(options.tls().serverContext()));
                https.bind(address, 0);
                http = https;
            } else {
                http = HttpServer.create(address, 0);
            }
        } catch (BindException e) {
            throw new IllegalStateException("the gallery API cannot listen on " + options.httpHost() + ":" + options.httpPort()
                    + " because the port is in use; stop what holds it or choose another port (0 picks a free one)", e);
        } catch (IOException e) {
            throw new IllegalStateException("the gallery API cannot listen on " + address + ": " + e.getMessage(), e);
        }
        AtomicInteger n = new AtomicInteger();
        httpThreads = Executors.newFixedThreadPool(HTTP_THREADS, r -> {
            Thread t = new Thread(r, "gallery-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(httpThreads);
        ConsoleApi console = new ConsoleApi(feed, cluster, tokens, audit, streams::state, metrics);
        http.createContext("/", new AccessControl(tokens, new TokenBuckets(options.rateLimit()),
                new GalleryApi(new GalleryStores(streams), writer, streams::state, options.maxUploadBytes(),
                        options.maxImagePixels(), audit, console), metrics::refusal));
        http.start();
    }
}
