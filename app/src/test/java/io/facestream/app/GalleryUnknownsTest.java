package io.facestream.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.facestream.app.local.EmbeddedKafka;
import io.facestream.core.BoundingBox;
import io.facestream.core.Embedding;
import io.facestream.core.Landmarks;
import io.facestream.core.Point;
import io.facestream.core.event.EnrolmentRequest;
import io.facestream.core.event.GalleryEntry;
import io.facestream.core.event.MatchEvent;
import io.facestream.core.event.UnknownGroup;
import io.facestream.core.topic.Topic;
import io.facestream.core.topic.Topics;
import io.facestream.gallery.GalleryOptions;
import io.facestream.gallery.GalleryService;
import io.facestream.gallery.auth.ApiToken;
import io.facestream.gallery.auth.ApiTokens;
import io.facestream.gallery.auth.Role;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gallery service's unknown groups against a real in-process broker, without the recognize job: the test writes
 * the groups and match events the job would write (the faces are real loose crops of the sample gallery's photos),
 * then lists, names and deletes the groups through the API and reads back what the service put on the topics.
 */
class GalleryUnknownsTest {

    private static final String MODEL = "mobilefacenet-192";
    /** Short visits, so that closing one takes a second of capture time, not ten. */
    private static final Duration GAP = Duration.ofSeconds(1);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ApiToken ADMIN = new ApiToken("unknowns-admin", Role.ADMIN, ApiTokens.newSecret());
    private static final ApiToken READER = new ApiToken("unknowns-reader", Role.READ, ApiTokens.newSecret());
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(600);

    @TempDir static Path dir;
    private static EmbeddedKafka kafka;
    private static GalleryService gallery;
    private static KafkaProducer<String, byte[]> producer;
    /** Loose face crops of three men of the sample picture, as the job keeps them: JPEG, the face with a margin. */
    private static List<byte[]> faces;
    private static int sequence;

    @BeforeAll
    static void start() throws Exception {
        long t0 = System.nanoTime();
        Path photos = SampleMedia.defaults().gallery();
        faces = new ArrayList<>();
        for (String who : List.of("picture-1", "picture-2", "picture-3")) {
            try (var files = Files.list(photos.resolve(who))) {
                faces.add(Files.readAllBytes(files.filter(f -> f.toString().endsWith(".jpg")).findFirst()
                        .orElseThrow(() -> new AssertionError("no photo of " + who + " in " + photos))));
            }
        }
        kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        // One partition: one task whose stream time the test moves with its own events.
        kafka.createTopics(Topics.newTopics(1, (short) 1));
        gallery = GalleryService.start(GalleryOptions.defaults(kafka.bootstrapServers()).withHttpPort(0)
                .withStateDir(dir.resolve("state")).withSessions(GAP, Duration.ZERO, Duration.ofHours(1))
                .withTokens(List.of(ADMIN, READER)));
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_FRAME_BYTES), new StringSerializer(),
                new ByteArraySerializer());
        System.out.printf("unknowns test: broker and service up in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
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

    /**
     * Two groups are listed most recently seen first, page by page; a group's faces are served as they were written;
     * two tracks of one group at one camera are one visit of the group, counted in its {@code visits}.
     */
    @Test
    void groupsAreListedNewestFirstWithTheirFacesAndVisits() throws Exception {
        put(new UnknownGroup("unknown-11", T0, T0.plusSeconds(10), 2, List.of("cam-2", "cam-1"),
                faces.subList(0, 2), MODEL));
        put(new UnknownGroup("unknown-12", T0.plusSeconds(5), T0.plusSeconds(20), 1, List.of("cam-1"),
                faces.subList(2, 3), MODEL));
        await("both groups listed", () -> ids(send("GET", "/unknowns", ADMIN)).containsAll(List.of("unknown-11",
                "unknown-12")));
        List<String> all = ids(send("GET", "/unknowns", READER));
        assertTrue(all.indexOf("unknown-12") < all.indexOf("unknown-11"), "last seen later, listed first: " + all);

        JsonNode first = send("GET", "/unknowns?limit=1", READER);
        assertEquals(List.of(all.get(0)), ids(first));
        String after = first.get("next_after").asText();
        JsonNode second = send("GET", "/unknowns?limit=1&after=" + after.replace(":", "%3A"), READER);
        assertEquals(List.of(all.get(1)), ids(second), "the second page goes on after the first");
        assertEquals(400, status(send("GET", "/unknowns?after=unknown-12", READER)), "a position is not an id");

        JsonNode g = send("GET", "/unknowns/unknown-11", READER);
        assertEquals(200, status(g), g.toString());
        assertEquals(List.of("cam-1", "cam-2"), strings(g.get("cameras")));
        assertEquals(2, g.get("tracks").asInt());
        assertEquals(2, g.get("faces").asInt());
        assertEquals(T0.plusSeconds(10), Instant.parse(g.get("last_seen").asText()));
        assertEquals(MODEL, g.get("model_id").asText());
        HttpResponse<byte[]> face = bytes("/unknowns/unknown-11/faces/1", READER);
        assertEquals(200, face.statusCode());
        assertEquals("image/jpeg", face.headers().firstValue("Content-Type").orElse(""));
        assertArrayEquals(faces.get(1), face.body(), "the second face as the job wrote it");
        assertEquals(404, bytes("/unknowns/unknown-11/faces/2", READER).statusCode());
        assertEquals(404, status(send("GET", "/unknowns/unknown-99", READER)));
        assertEquals(400, status(send("GET", "/unknowns/someone", READER)));

        // Two tracks of unknown-11 at cam-1 and a track in no group: two visits, not three.
        match("cam-1", 1, "unknown-11", 0);
        match("cam-1", 2, "unknown-11", 400);
        match("cam-1", 3, null, 500);
        match("cam-1", 1, "unknown-11", 800);
        await("unknown-11's visit of 3 frames", () -> {
            JsonNode visits = send("GET", "/sightings?identity=unknown-11", READER).get("sightings");
            return visits.size() == 1 && visits.get(0).get("frames").asInt() == 3;
        });
        JsonNode visit = send("GET", "/sightings?identity=unknown-11", READER).get("sightings").get(0);
        assertEquals(List.of("1", "2"), strings(visit.get("track_ids")));
        assertEquals(1, send("GET", "/sightings?identity=unknown:cam-1:3", READER).get("sightings").size());
        assertEquals(1, send("GET", "/unknowns/unknown-11", READER).get("visits").asInt());
    }

    /**
     * Naming a group puts one enrolment request per face on {@code enrolments}, under the given identity and name,
     * each pollable at {@code /enrolments/{requestId}}; a missing group, an enrolled id, a reserved id, a bad body and
     * a read-only token are refused.
     */
    @Test
    void namingAGroupEnrolsItsFacesAndBadNamingsAreRefused() throws Exception {
        put(new UnknownGroup("unknown-21", T0, T0.plusSeconds(3), 3, List.of("cam-1"), faces, MODEL));
        enrolled("dora");
        await("unknown-21 and dora in the stores", () -> status(send("GET", "/unknowns/unknown-21", ADMIN)) == 200
                && status(send("GET", "/identities/dora", ADMIN)) == 200);

        assertEquals(403, post("/unknowns/unknown-21/name", "{\"identity_id\":\"carl\"}", READER).statusCode());
        expect(404, post("/unknowns/unknown-29/name", "{\"identity_id\":\"carl\"}", ADMIN), "no unknown group");
        expect(409, post("/unknowns/unknown-21/name", "{\"identity_id\":\"dora\"}", ADMIN), "enrolled already",
                "POST /identities/dora/faces");
        expect(400, post("/unknowns/unknown-21/name", "{\"identity_id\":\"unknown-3\"}", ADMIN), "reserved");
        expect(400, post("/unknowns/unknown-21/name", "carl", ADMIN), "not JSON", "\"identity_id\": \"ada\"");
        expect(400, post("/unknowns/unknown-21/name", "{\"name\":\"carl\"}", ADMIN), "unknown field \"name\"");
        expect(400, post("/unknowns/unknown-21/name", "{\"display_name\":\"Carl\"}", ADMIN), "no identity_id");
        expect(400, post("/unknowns/unknown-21/name", "{\"identity_id\":7}", ADMIN), "identity_id must be a string");
        expect(400, post("/unknowns/unknown-21/name", "{\"identity_id\":\"carl x\"}", ADMIN), "is not valid");
        // The upload route refuses the reserved ids too.
        HttpResponse<String> upload = HTTP.send(request("/identities/unknown-5/faces?name=X", ADMIN)
                .POST(HttpRequest.BodyPublishers.ofByteArray(faces.get(0))).build(), HttpResponse.BodyHandlers.ofString());
        expect(400, upload, "reserved for unknown groups");

        HttpResponse<String> named = post("/unknowns/unknown-21/name",
                "{\"identity_id\":\"carl\",\"display_name\":\"Carl the courier\"}", ADMIN);
        assertEquals(202, named.statusCode(), named.body());
        JsonNode body = Json.MAPPER.readTree(named.body());
        assertEquals("unknown-21", body.get("unknown_id").asText());
        List<String> requestIds = new ArrayList<>();
        body.get("requests").forEach(r -> requestIds.add(r.get("request_id").asText()));
        assertEquals(3, requestIds.size(), "one request per face: " + body);
        assertEquals("/enrolments/" + requestIds.get(0), named.headers().firstValue("Location").orElse(""));
        for (String id : requestIds) {
            JsonNode polled = send("GET", "/enrolments/" + id, READER);
            assertEquals(200, status(polled), polled.toString());
            assertEquals("pending", polled.get("status").asText(), "no recognize job runs here");
        }

        List<EnrolmentRequest> requests = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : readAll(Topics.ENROLMENTS)) {
            if ("carl".equals(r.key())) {
                requests.add(Topics.ENROLMENTS.valueSerde().deserializer().deserialize(r.topic(), r.value()));
            }
        }
        assertEquals(requestIds, requests.stream().map(EnrolmentRequest::requestId).toList());
        for (int i = 0; i < faces.size(); i++) {
            assertEquals("carl", requests.get(i).identityId());
            assertEquals("Carl the courier", requests.get(i).displayName());
            assertArrayEquals(faces.get(i), requests.get(i).image(), "face " + i + " as the group holds it");
        }
        String audit = Files.readString(GalleryOptions.defaults(kafka.bootstrapServers()).withStateDir(dir.resolve(
                "state")).auditLogFile());
        assertEquals(3, audit.lines().filter(l -> l.contains("\"identity_id\":\"carl\"")
                && l.contains("\"action\":\"enrol\"") && l.contains("of unknown-21")).count(), audit);
    }

    /** A deleted group leaves the list, its faces, its visits and (a tombstone) the compacted topic. */
    @Test
    void aDeletedGroupIsGoneFromTheListTheRoutesAndTheTopic() throws Exception {
        put(new UnknownGroup("unknown-31", T0, T0.plusSeconds(1), 1, List.of("cam-3"), faces.subList(0, 1), MODEL));
        put(new UnknownGroup("unknown-32", T0, T0.plusSeconds(1), 1, List.of("cam-3"), faces.subList(1, 2), MODEL));
        match("cam-3", 1, "unknown-31", 0);
        await("unknown-31's visit", () -> send("GET", "/sightings?identity=unknown-31", ADMIN).get("sightings")
                .size() == 1);

        assertEquals(403, HTTP.send(request("/unknowns/unknown-31", READER).DELETE().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode(), "deleting needs an admin token");
        JsonNode deleted = send("DELETE", "/unknowns/unknown-31", ADMIN);
        assertEquals(200, status(deleted), deleted.toString());
        assertEquals("deleted", deleted.get("status").asText());
        assertEquals(404, status(send("GET", "/unknowns/unknown-31", ADMIN)));
        assertEquals(404, bytes("/unknowns/unknown-31/faces/0", ADMIN).statusCode());
        assertEquals(404, status(send("DELETE", "/unknowns/unknown-31", ADMIN)));
        List<String> listed = ids(send("GET", "/unknowns?limit=500", ADMIN));
        assertFalse(listed.contains("unknown-31"), listed.toString());
        assertTrue(listed.contains("unknown-32"), listed.toString());
        assertEquals(0, send("GET", "/sightings?identity=unknown-31", ADMIN).get("sightings").size());

        Map<String, byte[]> latest = new HashMap<>();
        readAll(Topics.UNKNOWNS).forEach(r -> latest.put(r.key(), r.value()));
        assertTrue(latest.containsKey("unknown-31"));
        assertNull(latest.get("unknown-31"), "the latest record of unknown-31 is a tombstone");
        assertTrue(latest.get("unknown-32") != null);
    }

    private static void put(UnknownGroup g) throws Exception {
        producer.send(new ProducerRecord<>(Topics.UNKNOWNS.name(), g.unknownId(),
                Topics.UNKNOWNS.valueSerde().serializer().serialize(Topics.UNKNOWNS.name(), g))).get();
    }

    private static void enrolled(String id) throws Exception {
        GalleryEntry entry = new GalleryEntry(id, id.toUpperCase(), List.of(faces.get(0)),
                Map.of(MODEL, List.of(new Embedding(MODEL, new float[] {1, 0, 0, 0}))), T0);
        producer.send(new ProducerRecord<>(Topics.GALLERY.name(), id,
                Topics.GALLERY.valueSerde().serializer().serialize(Topics.GALLERY.name(), entry))).get();
    }

    /** An unknown face at a camera, in a group (or none), captured {@code atMillis} after T0. */
    private static void match(String camera, long track, String unknownId, long atMillis) throws Exception {
        Instant at = T0.plusMillis(atMillis);
        Landmarks marks = new Landmarks(List.of(new Point(20, 30), new Point(40, 30), new Point(30, 40),
                new Point(22, 55), new Point(38, 55)));
        MatchEvent e = new MatchEvent(MatchEvent.eventId(camera, sequence, 0), camera, sequence++, at, at.plusMillis(50),
                track, new BoundingBox(10, 10, 60, 70), marks, null, null, 1.0, MODEL, unknownId);
        producer.send(new ProducerRecord<>(Topics.MATCHES.name(), camera,
                Topics.MATCHES.valueSerde().serializer().serialize(Topics.MATCHES.name(), e))).get();
    }

    /** Every committed record of the topic, from its beginning to its end now. */
    private static List<ConsumerRecord<String, byte[]>> readAll(Topic<String, ?> topic) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_FRAME_BYTES), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            c.partitionsFor(topic.name()).forEach(p -> parts.add(new TopicPartition(topic.name(), p.partition())));
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (parts.stream().anyMatch(p -> c.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    fail("could not read " + topic.name() + " to its end");
                }
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
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
            Thread.sleep(100);
        }
    }

    private static void expect(int status, HttpResponse<String> answer, String... phrases) throws Exception {
        assertEquals(status, answer.statusCode(), answer.body());
        String error = Json.MAPPER.readTree(answer.body()).get("error").asText();
        for (String p : phrases) {
            assertTrue(error.contains(p), "\"" + p + "\" in: " + error);
        }
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("unknowns").forEach(n -> ids.add(n.get("unknown_id").asText()));
        return ids;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static int status(JsonNode answer) {
        return answer.get("http").asInt();
    }

    private static HttpRequest.Builder request(String path, ApiToken token) {
        return HttpRequest.newBuilder(gallery.url().resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token.secret());
    }

    private static HttpResponse<String> post(String path, String json, ApiToken token) throws Exception {
        return HTTP.send(request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<byte[]> bytes(String path, ApiToken token) throws Exception {
        return HTTP.send(request(path, token).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static JsonNode send(String method, String path, ApiToken token) throws Exception {
        HttpResponse<String> r = HTTP.send(request(path, token).method(method, HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        var node = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(r.body());
        node.put("http", r.statusCode());
        return node;
    }
}
