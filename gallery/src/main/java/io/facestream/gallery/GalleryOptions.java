package io.facestream.gallery;

import io.facestream.core.topic.Topics;
import io.facestream.gallery.auth.ApiToken;
import io.facestream.gallery.http.ApiLimits;
import io.facestream.gallery.http.Tls;
import io.facestream.gallery.ratelimit.RateLimit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;

/**
 * Everything the gallery service is configured by, with defaults, checked once when built.
 *
 * @param bootstrapServers the Kafka cluster, {@code host:port[,host:port...]}
 * @param httpHost the address the HTTP API listens on; loopback by default
 * @param httpPort the HTTP port, 0 for any free one
 * @param stateDir where Kafka Streams keeps its stores
 * @param applicationId the Kafka Streams application id: consumer group and prefix of internal topics
 * @param sessionGap a visit ends when its person has not been seen for this long
 * @param sessionGrace how late (in capture time) a frame may arrive and still join its visit
 * @param sightingsRetention how long visits stay queryable in {@code GET /sightings}
 * @param maxUploadBytes the largest enrolment image accepted
 * @param createTopics whether to create the topics the service uses when they are missing (with the
 *     broker's default partitions and replication and the catalogue's configs)
 * @param startTimeout how long {@link GalleryService#start} waits for the stores to be ready
 * @param tokens the API tokens accepted; none: the service makes an admin token at start
 *     ({@link GalleryService#generatedAdminToken()}) for its operator to print once
 * @param auditLog the JSON-lines file of who enrolled, renamed or deleted whom; null: {@code audit.jsonl} in the
 *     state directory
 * @param maxImagePixels the most pixels (width times height, read from the header) an enrolment image may declare
 * @param rateLimit how many requests each API token may make ({@link RateLimit#OFF}: no limit)
 * @param issuedTokens where the tokens issued through {@code POST /tokens} are kept (their digests) across
 *     restarts; null: {@code issued-tokens.txt} in the state directory
 * @param tls HTTPS with this keystore; null: plain HTTP
 */
public record GalleryOptions(String bootstrapServers, String httpHost, int httpPort, Path stateDir, String applicationId,
        Duration sessionGap, Duration sessionGrace, Duration sightingsRetention, int maxUploadBytes,
        boolean createTopics, Duration startTimeout, List<ApiToken> tokens, Path auditLog, long maxImagePixels,
        RateLimit rateLimit, Path issuedTokens, Tls tls) {

    public static final String DEFAULT_HTTP_HOST = "127.0.0.1";
    public static final int DEFAULT_HTTP_PORT = 8080;
    public static final String DEFAULT_APPLICATION_ID = "facestream-gallery";
    /** Long enough to bridge a head turned away or a missed detection, short enough to tell two visits apart. */
    public static final Duration DEFAULT_SESSION_GAP = Duration.ofSeconds(10);
    /** Frames of several cameras share a partition; a few seconds absorbs their skew. */
    public static final Duration DEFAULT_SESSION_GRACE = Duration.ofSeconds(5);
    public static final Duration DEFAULT_SIGHTINGS_RETENTION = Duration.ofDays(1);
    /** A phone photo is 2-6 MB; larger ones are better resized by the client than shipped through Kafka. */
    public static final int DEFAULT_MAX_UPLOAD_BYTES = 8 * 1024 * 1024;
    /**
     * The largest upload the {@code enrolments} topic can carry: its record limit less room for the
     * request's other fields and the CBOR framing.
     */
    public static final int MAX_UPLOAD_BYTES_CEILING = Topics.MAX_FRAME_BYTES - 64 * 1024;
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);
    /**
     * 40 megapixels decode to 120 MB of 3-byte pixels in the recognize job; a larger photo is better resized by the
     * client (MTCNN works on far fewer pixels anyway).
     */
    public static final long DEFAULT_MAX_IMAGE_PIXELS = 40_000_000L;
    /** The most the pixel limit may be raised to: the longest side allowed, squared. */
    public static final long MAX_IMAGE_PIXELS_CEILING = (long) ApiLimits.MAX_IMAGE_SIDE * ApiLimits.MAX_IMAGE_SIDE;

    public GalleryOptions {
        if (bootstrapServers == null || !bootstrapServers.matches("[^\\s,]+:\\d+(,[^\\s,]+:\\d+)*")) {
            throw new IllegalArgumentException("bootstrap servers must be host:port[,host:port...], was "
                    + (bootstrapServers == null ? "null" : "\"" + bootstrapServers + "\""));
        }
        if (httpHost == null || httpHost.isBlank()) {
            throw new IllegalArgumentException("the HTTP host must be an address to listen on (e.g. 127.0.0.1 or 0.0.0.0), was "
                    + (httpHost == null ? "null" : "\"" + httpHost + "\""));
        }
        if (httpPort < 0 || httpPort > 65535) {
            throw new IllegalArgumentException("the HTTP port must be 0 (any free port) to 65535, was " + httpPort);
        }
        if (stateDir == null) {
            throw new IllegalArgumentException("the state directory is required, was null");
        }
        if (applicationId == null || !applicationId.matches("[a-zA-Z0-9._-]{1,200}")) {
            throw new IllegalArgumentException("the application id must be 1-200 of [a-zA-Z0-9._-], was \"" + applicationId + "\"");
        }
        positive(sessionGap, "session gap");
        if (sessionGrace == null || sessionGrace.isNegative()) {
            throw new IllegalArgumentException("the session grace period must be 0 or more, was " + sessionGrace);
        }
        positive(sightingsRetention, "sightings retention");
        if (sightingsRetention.compareTo(sessionGap.plus(sessionGrace)) < 0) {
            throw new IllegalArgumentException("the sightings retention (" + sightingsRetention + ") must be at least the"
                    + " session gap plus the grace period (" + sessionGap.plus(sessionGrace) + ")");
        }
        if (maxUploadBytes < 1 || maxUploadBytes > MAX_UPLOAD_BYTES_CEILING) {
            throw new IllegalArgumentException("the upload limit must be 1 to " + MAX_UPLOAD_BYTES_CEILING
                    + " bytes (what the enrolments topic carries), was " + maxUploadBytes);
        }
        positive(startTimeout, "start timeout");
        if (maxImagePixels < (long) ApiLimits.MIN_IMAGE_SIDE * ApiLimits.MIN_IMAGE_SIDE
                || maxImagePixels > MAX_IMAGE_PIXELS_CEILING) {
            throw new IllegalArgumentException("the image pixel limit must be " + ApiLimits.MIN_IMAGE_SIDE * ApiLimits.MIN_IMAGE_SIDE
                    + " to " + MAX_IMAGE_PIXELS_CEILING + " pixels, was " + maxImagePixels);
        }
        if (rateLimit == null) {
            throw new IllegalArgumentException("the rate limit is required (RateLimit.OFF for none), was null");
        }
        stateDir = stateDir.toAbsolutePath();
        tokens = List.copyOf(tokens == null ? List.of() : tokens);
        HashSet<String> names = new HashSet<>();
        for (ApiToken t : tokens) {
            if (!names.add(t.name())) {
                throw new IllegalArgumentException("two API tokens are named " + t.name() + "; give each its own name");
            }
        }
        auditLog = auditLog == null ? null : auditLog.toAbsolutePath();
        issuedTokens = issuedTokens == null ? null : issuedTokens.toAbsolutePath();
    }

    /** The file of issued tokens: the one given, or {@code issued-tokens.txt} in the state directory. */
    public Path issuedTokensFile() {
        return issuedTokens != null ? issuedTokens : stateDir.resolve("issued-tokens.txt");
    }

    /** These options keeping issued tokens in this file. */
    public GalleryOptions withIssuedTokens(Path file) {
        return new GalleryOptions(bootstrapServers, httpHost, httpPort, stateDir, applicationId, sessionGap, sessionGrace,
                sightingsRetention, maxUploadBytes, createTopics, startTimeout, tokens, auditLog, maxImagePixels, rateLimit,
                file, tls);
    }

    /** These options serving HTTPS with this keystore (null: plain HTTP). */
    public GalleryOptions withTls(Tls keystore) {
        return new GalleryOptions(bootstrapServers, httpHost, httpPort, stateDir, applicationId, sessionGap, sessionGrace,
                sightingsRetention, maxUploadBytes, createTopics, startTimeout, tokens, auditLog, maxImagePixels, rateLimit,
                issuedTokens, keystore);
    }

    /** The audit log's file: the one given, or {@code audit.jsonl} in the state directory. */
    public Path auditLogFile() {
        return auditLog != null ? auditLog : stateDir.resolve("audit.jsonl");
    }

    /** These options with these API tokens accepted (none: one admin token is made at start). */
    public GalleryOptions withTokens(List<ApiToken> list) {
        return new GalleryOptions(bootstrapServers, httpHost, httpPort, stateDir, applicationId, sessionGap, sessionGrace,
                sightingsRetention, maxUploadBytes, createTopics, startTimeout, list, auditLog, maxImagePixels, rateLimit, issuedTokens, tls);
    }

    public GalleryOptions withAuditLog(Path file) {
        return new GalleryOptions(bootstrapServers, httpHost, httpPort, stateDir, applicationId, sessionGap, sessionGrace,
                sightingsRetention, maxUploadBytes, createTopics, startTimeout, tokens, file, maxImagePixels, rateLimit, issuedTokens, tls);
    }

    /** The defaults for a cluster: HTTP on 127.0.0.1:8080, state under the temporary folder. */
    public static GalleryOptions defaults(String bootstrapServers) {
        return new GalleryOptions(bootstrapServers, DEFAULT_HTTP_HOST, DEFAULT_HTTP_PORT,
                Path.of(System.getProperty("java.io.tmpdir"), "facestream-gallery"), DEFAULT_APPLICATION_ID,
                DEFAULT_SESSION_GAP, DEFAULT_SESSION_GRACE, DEFAULT_SIGHTINGS_RETENTION, DEFAULT_MAX_UPLOAD_BYTES, true,
                DEFAULT_START_TIMEOUT, List.of(), null, DEFAULT_MAX_IMAGE_PIXELS, RateLimit.DEFAULT, null, null);
    }

    public GalleryOptions withHttp(String host, int port) {
        return new GalleryOptions(bootstrapServers, host, port, stateDir, applicationId, sessionGap, sessionGrace,
                sightingsRetention, maxUploadBytes, createTopics, startTimeout, tokens, auditLog, maxImagePixels, rateLimit, issuedTokens, tls);
    }

    public GalleryOptions withHttpPort(int port) {
        return withHttp(httpHost, port);
    }

    public GalleryOptions withStateDir(Path dir) {
        return new GalleryOptions(bootstrapServers, httpHost, httpPort, dir, applicationId, sessionGap, sessionGrace,
                sightingsRetention, maxUploadBytes, createTopics, startTimeout, tokens, auditLog, maxImagePixels, rateLimit, issuedTokens, tls);
    }

    public GalleryOptions withApplicationId(String id) {
        return new GalleryOptions(bootstrapServers, httpHost, httpPort, stateDir, id, sessionGap, sessionGrace,
                sightingsRetention, maxUploadBytes, createTopics, startTimeout, tokens, auditLog, maxImagePixels, rateLimit, issuedTokens, tls);
    }

    public GalleryOptions withSessions(Duration gap, Duration grace, Duration retention) {
        return new GalleryOptions(bootstrapServers, httpHost, httpPort, stateDir, applicationId, gap, grace, retention,
                maxUploadBytes, createTopics, startTimeout, tokens, auditLog, maxImagePixels, rateLimit, issuedTokens, tls);
    }

    public GalleryOptions withMaxUploadBytes(int bytes) {
        return new GalleryOptions(bootstrapServers, httpHost, httpPort, stateDir, applicationId, sessionGap, sessionGrace,
                sightingsRetention, bytes, createTopics, startTimeout, tokens, auditLog, maxImagePixels, rateLimit, issuedTokens, tls);
    }

    public GalleryOptions withMaxImagePixels(long pixels) {
        return new GalleryOptions(bootstrapServers, httpHost, httpPort, stateDir, applicationId, sessionGap, sessionGrace,
                sightingsRetention, maxUploadBytes, createTopics, startTimeout, tokens, auditLog, pixels, rateLimit, issuedTokens, tls);
    }

    /** These options with this limit on each API token's requests. */
    public GalleryOptions withRateLimit(RateLimit limit) {
        return new GalleryOptions(bootstrapServers, httpHost, httpPort, stateDir, applicationId, sessionGap, sessionGrace,
                sightingsRetention, maxUploadBytes, createTopics, startTimeout, tokens, auditLog, maxImagePixels, limit, issuedTokens, tls);
    }

    public GalleryOptions withCreateTopics(boolean create) {
        return new GalleryOptions(bootstrapServers, httpHost, httpPort, stateDir, applicationId, sessionGap, sessionGrace,
                sightingsRetention, maxUploadBytes, create, startTimeout, tokens, auditLog, maxImagePixels, rateLimit, issuedTokens, tls);
    }

    /** The Kafka Streams configuration of these options. */
    public Properties streamsProperties() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // The recognize job writes matches and the gallery in transactions: one visit per visit, and nothing
        // from an aborted transaction in the stores (the unprefixed setting reaches the global consumer too).
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // A record no serde can read is logged and skipped: bad input must not stop the service.
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class.getName());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Visits in transit on the repartition topic are purged this soon after they are processed (30 s by
        // default): a deleted person's records do not linger there.
        p.put(StreamsConfig.REPARTITION_PURGE_INTERVAL_MS_CONFIG, 10_000);
        return p;
    }

    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    /**
     * A duration as people write it on a command line: {@code 500ms}, {@code 10s}, {@code 5m}, {@code 2h},
     * {@code 1d} or ISO-8601 ({@code PT10S}).
     */
    public static Duration parseDuration(String text, String option) {
        if (text != null) {
            Matcher m = SIMPLE_DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            }
            try {
                return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
            } catch (RuntimeException e) {
                // fall through to the message below
            }
        }
        throw new IllegalArgumentException(option + " must be a duration such as 500ms, 10s, 5m, 2h, 1d or PT10S, was \""
                + text + "\"");
    }

    private static void positive(Duration d, String what) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException("the " + what + " must be longer than zero, was " + d);
        }
    }
}
