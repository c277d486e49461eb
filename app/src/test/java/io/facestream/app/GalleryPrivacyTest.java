package io.facestream.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.facestream.app.local.EmbeddedKafka;
import io.facestream.core.BoundingBox;
import io.facestream.core.Embedding;
import io.facestream.core.Landmarks;
import io.facestream.core.Point;
import io.facestream.core.event.CurvePoint;
import io.facestream.core.event.GalleryEntry;
import io.facestream.core.event.MatchEvent;
import io.facestream.core.event.ModelRecord;
import io.facestream.core.topic.Topics;
import io.facestream.gallery.GalleryOptions;
import io.facestream.gallery.GalleryService;
import io.facestream.gallery.auth.ApiToken;
import io.facestream.gallery.auth.ApiTokens;
import io.facestream.gallery.auth.Role;
import io.facestream.gallery.ratelimit.RateLimit;
import io.facestream.gallery.stream.GalleryTopology;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gallery service's erasure and rate limits against a real in-process broker, without the recognize job: the
 * test writes the gallery entries and match events the job would write. After {@code DELETE /identities/{id}},
 * nothing of the person can be read back: the HTTP routes answer 404 or no visit, and reading every topic the
 * service keeps the person in from its beginning, the latest record of each of their keys is a tombstone (or the
 * records are gone). The console's {@code /models} answer is read here too, the test writing the models topic.
 */
class GalleryPrivacyTest {

    private static final String MODEL = "mobilefacenet-192";
    /** Short visits, so that closing one takes a second of capture time, not ten. */
    private static final Duration GAP = Duration.ofSeconds(1);
    private static final RateLimit LIMIT = new RateLimit(0.2, 100);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ApiToken ADMIN = new ApiToken("privacy-admin", Role.ADMIN, ApiTokens.newSecret());
    private static final ApiToken SCRIPT = new ApiToken("busy-script", Role.READ, ApiTokens.newSecret());
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir static Path dir;
    private static EmbeddedKafka kafka;
    private static GalleryService gallery;
    private static KafkaProducer<String, byte[]> producer;
    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(600);
    private static int sequence;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        // One partition: one task whose stream time the test moves with its own events.
        kafka.createTopics(Topics.newTopics(1, (short) 1));
        gallery = GalleryService.start(GalleryOptions.defaults(kafka.bootstrapServers()).withHttpPort(0)
                .withStateDir(dir.resolve("state")).withSessions(GAP, Duration.ZERO, Duration.ofHours(1))
                .withTokens(List.of(ADMIN, SCRIPT)).withRateLimit(LIMIT));
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_FRAME_BYTES), new StringSerializer(),
                new ByteArraySerializer());
    }

    @AfterAll
    static void stop() {
        if (producer != null) {
            producer.close();
        }
        if (gallery != null) {
            gallery.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void afterADeleteNothingOfThePersonCanBeReadBackFromAnyRouteTopicOrStore() throws Exception {
        enrol("erin");
        enrol("bob");
        await("erin in the gallery store", () -> status(send("GET", "/identities/erin")) == 200);
        match("cam-1", "erin", 0);
        match("cam-2", "erin", 300);
        match("cam-1", "erin", 800);
        match("cam-1", "bob", 0);
        match("cam-1", null, 5_000); // stream time passes the visits' end
        match("cam-1", "erin", 5_100); // and erin is in view again when she is deleted
        await("erin's three visits", () -> send("GET", "/sightings?identity=erin").get("sightings").size() == 3);
        // Closed visits are published on the next record processed a second or more after the last publication
        // (Kafka Streams checks for closed windows at most once a second of wall-clock time).
        Thread.sleep(1_100);
        match("cam-1", null, 5_200);
        await("erin's closed visits on the sightings topic", () -> !latest(Topics.SIGHTINGS.name(), "erin"::equals)
                .isEmpty());
        assertEquals(200, raw("GET", "/identities/erin/faces/0", ADMIN).statusCode());

        JsonNode deleted = send("DELETE", "/identities/erin");
        assertEquals(200, status(deleted), deleted.toString());
        assertEquals("deleted", deleted.get("status").asText());
        assertEquals(Topics.ERASED_WITHIN.toString(), deleted.get("final_within").asText());
        assertTrue(deleted.get("erased").toString().contains("sightings store"), deleted.toString());
        assertTrue(deleted.get("expires_with_retention").toString().contains("matches"), deleted.toString());

        // At once: no route gives anything of erin; bob is untouched.
        assertEquals(404, status(send("GET", "/identities/erin")));
        assertEquals(404, raw("GET", "/identities/erin/faces/0", ADMIN).statusCode());
        assertEquals(0, send("GET", "/sightings?identity=erin").get("sightings").size());
        assertEquals(0, send("GET", "/sightings?identity=erin&camera=cam-1").get("sightings").size());
        assertFalse(send("GET", "/sightings").toString().contains("erin"));
        assertEquals(1, send("GET", "/sightings?identity=bob").get("sightings").size());

        // The topics, read from their beginning: the latest record of each of erin's keys is a tombstone.
        assertTombstones(Topics.GALLERY.name(), "erin"::equals);
        assertTombstones(Topics.SIGHTINGS.name(), "erin"::equals);
        String app = GalleryOptions.DEFAULT_APPLICATION_ID;
        String changelog = app + "-" + GalleryTopology.SIGHTINGS_STORE + "-changelog";
        long t = System.nanoTime();
        await("erin's visits erased from the sightings store's changelog", () -> {
            Map<String, byte[]> visits = latest(changelog, k -> k.startsWith("erin@"));
            return !visits.isEmpty() && visits.values().stream().allMatch(v -> v == null);
        });
        System.out.printf("privacy test: erin's visits left the store %d ms after the delete answered%n",
                (System.nanoTime() - t) / 1_000_000);
        assertTrue(latest(changelog, k -> k.startsWith("bob@")).values().stream().allMatch(v -> v != null),
                "bob's visit stays in the store");
        // Visits in transit: the repartition topic is purged of what was processed.
        String repartition = app + "-visits-repartition";
        await("the repartition topic purged of erin's records", () -> latest(repartition, k -> k.startsWith("erin@"))
                .isEmpty());

        // A match the job made before it saw the deletion opens no visit that is read back or published.
        match("cam-1", "erin", 6_000);
        Thread.sleep(1_100);
        match("cam-1", null, 20_000); // closes erin's new visit and the unknown face's of 5.0-5.2 s: both due now
        await("the unknown face's visit published", () -> !latest(Topics.SIGHTINGS.name(),
                "unknown:cam-1:99"::equals).isEmpty());
        assertEquals(0, send("GET", "/sightings?identity=erin").get("sightings").size());
        assertTombstones(Topics.SIGHTINGS.name(), "erin"::equals);
    }

    /**
     * One token that makes requests as fast as it can gets its burst, then 429 with Retry-After; another token is not
     * slowed down; after the wait the first may go on.
     */
    @Test
    void aTokenPastItsBurstIsToldToRetryLaterAndOtherTokensAreNot() throws Exception {
        long started = System.nanoTime();
        int ok = 0;
        HttpResponse<String> refused = null;
        while (refused == null && ok < 10 * LIMIT.burst()) {
            HttpResponse<String> r = raw("GET", "/whoami", SCRIPT);
            if (r.statusCode() == 429) {
                refused = r;
            } else {
                assertEquals(200, r.statusCode(), r.body());
                ok++;
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        assertTrue(refused != null, "no 429 after " + ok + " requests");
        assertTrue(ok >= LIMIT.burst() && ok <= LIMIT.burst() + Math.ceil(seconds * LIMIT.perSecond()) + 1,
                ok + " requests went through in " + seconds + " s");
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= Math.ceil(1 / LIMIT.perSecond()), "Retry-After: " + retryAfter);
        JsonNode body = Json.MAPPER.readTree(refused.body());
        assertEquals(429, body.get("status").asInt());
        assertTrue(body.get("error").asText().contains("token busy-script has made too many requests"), refused.body());
        assertEquals(200, raw("GET", "/whoami", ADMIN).statusCode(), "another token has its own bucket");
        for (String probe : List.of("/health", "/health/ready", "/health/live")) {
            HttpResponse<String> r = raw("GET", probe, null);
            assertEquals(200, r.statusCode(), probe + " needs no token and is not limited: " + r.body());
            assertTrue(r.body().contains("RUNNING"), r.body());
        }
        Thread.sleep(retryAfter * 1000);
        assertEquals(200, raw("GET", "/whoami", SCRIPT).statusCode(), "after Retry-After the token may go on");
        String metrics = raw("GET", "/metrics", null).body();
        assertTrue(metrics.contains("facestream_api_refusals_total{status=\"429\"}"), metrics);
    }

    /**
     * A second service on HTTPS (a keystore keytool made) keeps the tokens issued through {@code POST /tokens} in
     * its issued-tokens file, as digests: an issued token still works after a restart, a revoked one stays revoked
     * after the next, and a token from the options cannot be revoked through the API. Plain HTTP gets no answer.
     */
    @Test
    void issuedTokensOutliveARestartAndTheServiceSpeaksTls() throws Exception {
        Path keystore = dir.resolve("gallery.p12");
        String password = ApiTokens.newSecret();
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "gallery", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", password, "-keypass", password)
                .redirectErrorStream(true).start();
        String keytoolOut = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, keytool.waitFor(), keytoolOut);
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        try (var in = java.nio.file.Files.newInputStream(keystore)) {
            trust.load(in, password.toCharArray());
        }
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        javax.net.ssl.SSLContext client = javax.net.ssl.SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);
        HttpClient https = HttpClient.newBuilder().sslContext(client).build();

        GalleryOptions options = GalleryOptions.defaults(kafka.bootstrapServers()).withHttpPort(0)
                .withStateDir(dir.resolve("tls-state")).withApplicationId("facestream-gallery-tls")
                .withTokens(List.of(ADMIN, SCRIPT)).withTls(new io.facestream.gallery.http.Tls(keystore, password));
        GalleryService tls = GalleryService.start(options);
        String kiosk;
        try {
            assertEquals("https", tls.url().getScheme());
            HttpResponse<String> issued = call(https, tls, "POST", "/tokens?name=kiosk&role=read", ADMIN.secret());
            assertEquals(201, issued.statusCode(), issued.body());
            kiosk = Json.MAPPER.readTree(issued.body()).get("token").asText();
            assertEquals(200, call(https, tls, "GET", "/whoami", kiosk).statusCode());
            URI plain = URI.create("http://127.0.0.1:" + tls.port() + "/health");
            assertThrows(java.io.IOException.class, () -> HTTP.send(HttpRequest.newBuilder(plain)
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()), "no plain HTTP");
        } finally {
            tls.close();
        }
        String kept = java.nio.file.Files.readString(options.issuedTokensFile());
        assertFalse(kept.contains(kiosk), "no secret in the issued tokens' file");
        assertTrue(kept.contains("kiosk read " + java.util.HexFormat.of().formatHex(java.security.MessageDigest
                .getInstance("SHA-256").digest(kiosk.getBytes(StandardCharsets.UTF_8)))), kept);

        tls = GalleryService.start(options);
        try {
            HttpResponse<String> who = call(https, tls, "GET", "/whoami", kiosk);
            assertEquals(200, who.statusCode(), "the issued token outlived the restart: " + who.body());
            assertTrue(who.body().contains("\"name\":\"kiosk\""), who.body());
            HttpResponse<String> optionToken = call(https, tls, "DELETE", "/tokens/busy-script", ADMIN.secret());
            assertEquals(409, optionToken.statusCode(), optionToken.body());
            assertTrue(optionToken.body().contains("comes from the service's options"), optionToken.body());
            assertEquals(403, call(https, tls, "DELETE", "/tokens/kiosk", kiosk).statusCode(), "a read token revokes nothing");
            assertEquals(200, call(https, tls, "DELETE", "/tokens/kiosk", ADMIN.secret()).statusCode());
            assertEquals(401, call(https, tls, "GET", "/whoami", kiosk).statusCode(), "revoked at once");
        } finally {
            tls.close();
        }
        tls = GalleryService.start(options);
        try {
            assertEquals(401, call(https, tls, "GET", "/whoami", kiosk).statusCode(), "and after the next restart");
            assertEquals(200, call(https, tls, "GET", "/whoami", ADMIN.secret()).statusCode());
        } finally {
            tls.close();
        }
        String audit = java.nio.file.Files.readString(options.auditLogFile());
        assertTrue(audit.contains("\"action\":\"issue-token\"") && audit.contains("\"action\":\"revoke-token\""), audit);
        assertFalse(audit.contains(kiosk), "no secret in the audit log");
    }

    /**
     * The console's {@code /models} answer carries each model's training curve from the {@code models} topic, point by
     * point with its missing values, and an empty one for a record published before curves were recorded.
     */
    @Test
    void theModelsAnswerCarriesEachModelsTrainingCurve() throws Exception {
        ModelRecord trained = new ModelRecord("mfn-curve", MODEL, null, URI.create("file:///models/mfn-curve"),
                Map.of("target_accuracy", 0.95), List.of(new CurvePoint(0, null, null, 0.93),
                        CurvePoint.step(1, 0.3125, 0.75), new CurvePoint(2, 0.28125, 0.5, 0.95)));
        producer.send(new ProducerRecord<>(Topics.MODELS.name(), trained.modelId(),
                Topics.MODELS.valueSerde().serializer().serialize(Topics.MODELS.name(), trained))).get();
        // Written as the topic held records before curves: no curve field at all.
        String old = "{\"model_id\":\"mfn-old\",\"parent_id\":null,\"weights\":null,"
                + "\"weights_uri\":\"file:///models/mfn-old\",\"metrics\":{\"threshold\":1.05}}";
        producer.send(new ProducerRecord<>(Topics.MODELS.name(), "mfn-old", old.getBytes(StandardCharsets.UTF_8))).get();
        Map<String, JsonNode> byId = new HashMap<>();
        await("both models in /models", () -> {
            byId.clear();
            send("GET", "/models").path("models").forEach(m -> byId.put(m.get("model_id").asText(), m));
            return byId.containsKey("mfn-curve") && byId.containsKey("mfn-old");
        });
        JsonNode curve = byId.get("mfn-curve").get("curve");
        assertEquals(3, curve.size(), curve.toString());
        assertEquals(0, curve.get(0).get("step").asLong());
        assertTrue(curve.get(0).get("loss").isNull(), "the starting model has no step: " + curve.get(0));
        assertEquals(0.93, curve.get(0).get("accuracy").asDouble());
        assertEquals(0.3125, curve.get(1).get("loss").asDouble());
        assertEquals(0.75, curve.get(1).get("active").asDouble());
        assertTrue(curve.get(1).get("accuracy").isNull(), "no evaluation at step 1");
        assertEquals(2, curve.get(2).get("step").asLong());
        assertEquals(0.28125, curve.get(2).get("loss").asDouble());
        assertEquals(0.95, curve.get(2).get("accuracy").asDouble());
        assertEquals(0, byId.get("mfn-old").get("curve").size(), "no curve: " + byId.get("mfn-old"));
        assertEquals(1.05, byId.get("mfn-old").get("metrics").get("threshold").asDouble(), "the old record is read whole");
    }

    private static HttpResponse<String> call(HttpClient client, GalleryService service, String method, String path,
            String token) throws Exception {
        return client.send(HttpRequest.newBuilder(service.url().resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void enrol(String id) throws Exception {
        BufferedImage face = new BufferedImage(112, 112, BufferedImage.TYPE_3BYTE_BGR);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(face, "png", png);
        GalleryEntry entry = new GalleryEntry(id, id.toUpperCase(), List.of(png.toByteArray()),
                Map.of(MODEL, List.of(new Embedding(MODEL, new float[] {1, 0, 0, 0}))), T0);
        producer.send(new ProducerRecord<>(Topics.GALLERY.name(), id,
                Topics.GALLERY.valueSerde().serializer().serialize(Topics.GALLERY.name(), entry))).get();
    }

    /** A face at a camera, of an identity (null: an unknown face), captured {@code atMillis} after T0. */
    private static void match(String camera, String identity, long atMillis) throws Exception {
        Instant at = T0.plusMillis(atMillis);
        Landmarks marks = new Landmarks(List.of(new Point(20, 30), new Point(40, 30), new Point(30, 40),
                new Point(22, 55), new Point(38, 55)));
        MatchEvent e = new MatchEvent(MatchEvent.eventId(camera, sequence, 0), camera, sequence++, at, at.plusMillis(50),
                identity == null ? 99 : identity.hashCode() & 0xff, new BoundingBox(10, 10, 60, 70), marks, identity,
                identity == null ? null : 0.3, 1.0, MODEL);
        producer.send(new ProducerRecord<>(Topics.MATCHES.name(), camera,
                Topics.MATCHES.valueSerde().serializer().serialize(Topics.MATCHES.name(), e))).get();
    }

    private static void assertTombstones(String topic, Predicate<String> keys) {
        Map<String, byte[]> last = latest(topic, keys);
        assertFalse(last.isEmpty(), "records of the person on " + topic);
        last.forEach((k, v) -> assertNull(v, "the latest record of " + k + " on " + topic + " is a tombstone"));
    }

    /**
     * The latest committed value of each key that {@code keys} accepts, reading the topic from its beginning to its
     * end; a key is its string, or for a session store's changelog the string before the window's 16 bytes.
     */
    private static Map<String, byte[]> latest(String topic, Predicate<String> keys) {
        Map<String, byte[]> last = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            c.partitionsFor(topic).forEach(p -> parts.add(new TopicPartition(topic, p.partition())));
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (parts.stream().anyMatch(p -> c.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    fail("could not read " + topic + " to its end");
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    String key = new String(r.key(), StandardCharsets.UTF_8);
                    String windowless = r.key().length > 16 ? new String(r.key(), 0, r.key().length - 16,
                            StandardCharsets.UTF_8) : key;
                    if (keys.test(key)) {
                        last.put(key, r.value());
                    } else if (topic.endsWith("-changelog") && keys.test(windowless)) {
                        last.put(key, r.value());
                    }
                }
            }
        }
        return last;
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void await(String what, Check check) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                fail("not within " + WAIT + ": " + what);
            }
            Thread.sleep(500);
        }
    }

    private static int status(JsonNode answer) {
        return answer.get("http").asInt();
    }

    private static JsonNode send(String method, String path) throws Exception {
        HttpResponse<String> r = raw(method, path, ADMIN);
        var node = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(r.body());
        node.put("http", r.statusCode());
        return node;
    }

    private static HttpResponse<String> raw(String method, String path, ApiToken token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(gallery.url().resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", "Bearer " + token.secret());
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
