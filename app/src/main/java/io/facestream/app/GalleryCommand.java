package io.facestream.app;

import io.facestream.gallery.GalleryOptions;
import io.facestream.gallery.auth.ApiTokens;
import io.facestream.gallery.http.Tls;
import io.facestream.gallery.ratelimit.RateLimit;
import io.facestream.gallery.GalleryService;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The gallery service as its own deployable: its Kafka Streams topology and HTTP API, until stopped. */
@Command(name = "gallery", mixinStandardHelpOptions = true,
        description = "Run the gallery service against a Kafka cluster: enrol, list and delete people over HTTP,"
            + " and turn the matches into one sighting per visit. Runs until stopped (Ctrl-C).")
final class GalleryCommand implements Callable<Integer> {

    @Option(names = "--bootstrap", required = true, paramLabel = "HOST:PORT[,HOST:PORT...]",
            description = "The Kafka cluster.")
    String bootstrap;

    @Option(names = "--http-port", paramLabel = "N", defaultValue = "" + GalleryOptions.DEFAULT_HTTP_PORT,
            description = "Port of the HTTP API, 0 for any free one (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--http-host", paramLabel = "ADDRESS", defaultValue = GalleryOptions.DEFAULT_HTTP_HOST,
            description = "Address the HTTP API listens on; 0.0.0.0 for every interface (default: ${DEFAULT-VALUE})."
                + " Every route but /health and the console's files needs an API token.")
    String httpHost;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "gallery-state",
            description = "Where Kafka Streams keeps the stores; kept across restarts (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--application-id", paramLabel = "ID", defaultValue = GalleryOptions.DEFAULT_APPLICATION_ID,
            description = "Kafka Streams application id: consumer group and prefix of internal topics"
                + " (default: ${DEFAULT-VALUE}).")
    String applicationId;

    @Option(names = "--session-gap", paramLabel = "DURATION", defaultValue = "10s",
            description = "A visit ends when its person has not been seen for this long (default: ${DEFAULT-VALUE}).")
    String sessionGap;

    @Option(names = "--session-grace", paramLabel = "DURATION", defaultValue = "5s",
            description = "How late a frame may arrive and still join its visit (default: ${DEFAULT-VALUE}).")
    String sessionGrace;

    @Option(names = "--sightings-retention", paramLabel = "DURATION", defaultValue = "1d",
            description = "How long visits stay queryable in GET /sightings (default: ${DEFAULT-VALUE}).")
    String sightingsRetention;

    @Option(names = "--max-upload-bytes", paramLabel = "N", defaultValue = "" + GalleryOptions.DEFAULT_MAX_UPLOAD_BYTES,
            description = "Largest enrolment photo accepted, in bytes (default: ${DEFAULT-VALUE}).")
    int maxUploadBytes;

    @Option(names = "--max-image-pixels", paramLabel = "N", defaultValue = "" + GalleryOptions.DEFAULT_MAX_IMAGE_PIXELS,
            description = "Most pixels (width x height, read from the header before decoding) an enrolment photo may"
                    + " declare (default: ${DEFAULT-VALUE}).")
    long maxImagePixels;

    @Option(names = "--rate-limit", paramLabel = "PER_SECOND", defaultValue = "" + RateLimit.DEFAULT_PER_SECOND,
            description = "Requests per second each API token may make on average; 0 turns the limit off"
                    + " (default: ${DEFAULT-VALUE}).")
    double rateLimit;

    @Option(names = "--rate-burst", paramLabel = "N", defaultValue = "" + RateLimit.DEFAULT_BURST,
            description = "Requests each API token may make at once before --rate-limit paces it (default: ${DEFAULT-VALUE}).")
    int rateBurst;

    @Option(names = "--issued-tokens-file", paramLabel = "FILE",
            description = "Where tokens issued with POST /tokens are kept (their SHA-256, never the secret) across"
                    + " restarts (default: issued-tokens.txt in --state-dir).")
    Path issuedTokensFile;

    @Option(names = "--tls-keystore", paramLabel = "FILE",
            description = "Serve HTTPS with the key in this PKCS12 (or .jks) keystore (default: plain HTTP).")
    Path tlsKeystore;

    @Option(names = "--tls-keystore-password-file", paramLabel = "FILE",
            description = "The keystore's password, alone in a file (default: the " + TLS_PASSWORD_ENV
                    + " environment variable).")
    Path tlsPasswordFile;

    @Option(names = "--audit-log", paramLabel = "FILE",
            description = "JSON-lines file of who enrolled, renamed or deleted whom (default: audit.jsonl in --state-dir).")
    Path auditLog;

    @Mixin
    TokenMixin tokens;

    @Option(names = "--no-create-topics", negatable = false,
            description = "Fail when a topic is missing instead of creating it with the cluster's defaults.")
    boolean noCreateTopics;

    /** The environment variable that may hold the TLS keystore's password. */
    static final String TLS_PASSWORD_ENV = "FACESTREAM_TLS_KEYSTORE_PASSWORD";

    private Tls tls() {
        if (tlsKeystore == null) {
            if (tlsPasswordFile != null) {
                throw new IllegalArgumentException("--tls-keystore-password-file needs --tls-keystore");
            }
            return null;
        }
        String password = tlsPasswordFile != null ? ApiTokens.readSecret(tlsPasswordFile) : System.getenv(TLS_PASSWORD_ENV);
        if (password == null) {
            throw new IllegalArgumentException("--tls-keystore needs the keystore's password: give"
                    + " --tls-keystore-password-file FILE or set " + TLS_PASSWORD_ENV);
        }
        return new Tls(tlsKeystore, password);
    }

    @Override
    public Integer call() throws Exception {
        GalleryOptions options = GalleryOptions.defaults(bootstrap)
                .withHttp(httpHost, httpPort)
                .withStateDir(stateDir)
                .withApplicationId(applicationId)
                .withSessions(GalleryOptions.parseDuration(sessionGap, "--session-gap"),
                        GalleryOptions.parseDuration(sessionGrace, "--session-grace"),
                        GalleryOptions.parseDuration(sightingsRetention, "--sightings-retention"))
                .withMaxUploadBytes(maxUploadBytes)
                .withMaxImagePixels(maxImagePixels)
                .withRateLimit(new RateLimit(rateLimit, rateBurst))
                .withCreateTopics(!noCreateTopics)
                .withTokens(tokens.tokens())
                .withAuditLog(auditLog)
                .withIssuedTokens(issuedTokensFile)
                .withTls(tls());
        CountDownLatch closed = new CountDownLatch(1);
        GalleryService service = GalleryService.start(options);
        Thread hook = new Thread(() -> {
            // Ctrl-C: close the stores cleanly so that the next start need not restore them from the topics.
            service.close();
            closed.countDown();
        }, "facestream-gallery-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        System.out.println("gallery: API at " + service.url() + ", Kafka at " + bootstrap + ", stores in "
                + options.stateDir());
        TokenMixin.announce(service, System.out, "gallery: ");
        System.out.println("gallery: try  curl -H 'Authorization: Bearer TOKEN' " + service.url() + "/identities"
                + "   (Ctrl-C stops)");
        while (!closed.await(1, TimeUnit.SECONDS)) {
            KafkaStreams.State s = service.state();
            if (s == KafkaStreams.State.ERROR || s == KafkaStreams.State.NOT_RUNNING) {
                System.err.println("facestream gallery: Kafka Streams stopped (" + s + ")"
                        + service.failure().map(e -> ": " + e.getMessage()).orElse(""));
                Runtime.getRuntime().removeShutdownHook(hook);
                service.close();
                return 1;
            }
        }
        return 0;
    }
}
