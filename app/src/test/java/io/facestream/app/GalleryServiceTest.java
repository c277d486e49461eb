package io.facestream.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.facestream.core.event.Frame;
import io.facestream.core.event.MatchEvent;
import io.facestream.core.topic.Topic;
import io.facestream.core.topic.Topics;
import io.facestream.gallery.GalleryOptions;
import io.facestream.gallery.GalleryService;
import io.facestream.recognize.engine.FaceModel;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gallery's HTTP API end to end: a real in-process broker, the real recognize job on a MiniCluster doing the
 * enrolments and the matching, and real photos and video frames.
 */
class GalleryServiceTest {

    /** Small enough to test the 413 cheaply, large enough for the sample photos (at most 100 KB). */
    private static final int UPLOAD_LIMIT = 256 * 1024;
    private static final Duration RESULT_TIMEOUT = Duration.ofSeconds(60);
    private static final FaceModel MODEL = FaceModel.MOBILEFACENET;

    @TempDir static Path dir;
    private static final String CAMERA = "test-cam";
    private static LocalStack stack;
    private static GalleryService gallery;
    private static SampleMedia media;
    private static Path photos;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        long t0 = System.nanoTime();
        // The sample gallery setup made (made now if it is missing): real photos with one face each.
        media = SampleMedia.defaults();
        photos = media.gallery();
        // The demo's own stack: broker with every topic, the recognize job on a MiniCluster (one subtask here).
        stack = LocalStack.start(dir.resolve("kafka"), 1, DeliveryGuarantee.EXACTLY_ONCE, Duration.ofMillis(500), MODEL);
        gallery = GalleryService.start(options());
        System.out.printf("gallery test: broker, recognize job and service up in %d ms at %s%n",
                (System.nanoTime() - t0) / 1_000_000, gallery.url());
    }

    private static GalleryOptions options() {
        return GalleryOptions.defaults(stack.bootstrap()).withHttpPort(0)
                .withStateDir(dir.resolve("gallery-state")).withMaxUploadBytes(UPLOAD_LIMIT);
    }

    @AfterAll
    static void stop() throws Exception {
        if (gallery != null) {
            gallery.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void enrolTwoPeopleListThemMatchOneDeleteTheOtherAndSeeItGoneAlsoAfterARestart() throws Exception {
        byte[] dancer = Files.readAllBytes(photos.resolve("dancer").resolve("video-frame-10.jpg"));
        byte[] woman = Files.readAllBytes(photos.resolve("sample-1").resolve("sample1-face.jpg"));

        JsonNode accepted = post("/identities/dancer/faces?name=The%20Dancer", dancer, Map.of());
        assertEquals(202, accepted.get("http").asInt(), accepted.toString());
        assertEquals("pending", accepted.get("status").asText());
        String dancerRequest = accepted.get("request_id").asText();
        JsonNode second = post("/identities/sample-1/faces", woman, Map.of("X-Display-Name", "Woman of sample 1"));
        assertEquals(202, second.get("http").asInt(), second.toString());
        assertNotEquals(dancerRequest, second.get("request_id").asText());

        assertEquals("ok", awaitResult(dancerRequest).get("status").asText());
        assertEquals("ok", awaitResult(second.get("request_id").asText()).get("status").asText());

        // Four men in one photo: the enrolment fails and says why.
        JsonNode group = post("/identities/four-men/faces", Files.readAllBytes(media.picture()), Map.of());
        JsonNode refused = awaitResult(group.get("request_id").asText());
        assertEquals("error", refused.get("status").asText());
        assertTrue(refused.get("reason").asText().contains("4 faces"), refused.toString());

        JsonNode list = get("/identities");
        assertEquals(200, list.get("http").asInt());
        assertEquals(List.of("dancer", "sample-1"), ids(list));
        JsonNode one = get("/identities/dancer");
        assertEquals("The Dancer", one.get("display_name").asText());
        assertEquals(1, one.get("faces").asInt());
        assertEquals(MODEL.modelId(), one.get("model_ids").get(0).asText());
        assertTrue(Instant.parse(one.get("enrolled_at").asText()).isAfter(Instant.now().minusSeconds(600)));
        assertEquals("Woman of sample 1", get("/identities/sample-1").get("display_name").asText());
        JsonNode page = get("/identities?limit=1");
        assertEquals(List.of("dancer"), ids(page));
        assertEquals("dancer", page.get("next_after").asText());
        JsonNode next = get("/identities?limit=1&after=dancer");
        assertEquals(List.of("sample-1"), ids(next));
        assertTrue(next.get("next_after").isNull(), "the last page");

        // Match: two other frames of the video go through the job; the dancer is named in both, one visit.
        Instant at = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        int[] stills = {5, 15};
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrap(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_FRAME_BYTES), new StringSerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < stills.length; i++) {
                BufferedImage still = SampleMedia.still(media.video(), stills[i]);
                Frame frame = new Frame(CAMERA, i, at.plusMillis(stills[i] * 30L), still.getWidth(), still.getHeight(),
                        jpeg(still));
                producer.send(new ProducerRecord<>(Topics.FRAMES.name(), CAMERA,
                        Topics.FRAMES.valueSerde().serializer().serialize(Topics.FRAMES.name(), frame))).get();
            }
        }
        List<MatchEvent> events = read(Topics.MATCHES, stills.length);
        double best = Double.MAX_VALUE;
        for (MatchEvent e : events) {
            assertEquals("dancer", e.identityId(), e.toString());
            best = Math.min(best, e.distance());
        }
        JsonNode visit = awaitSightings("/sightings?identity=dancer", stills.length);
        JsonNode s = visit.get("sightings").get(0);
        assertEquals(CAMERA, s.get("camera_id").asText());
        assertEquals(2, s.get("frames").asInt());
        assertEquals(best, s.get("best_distance").asDouble(), 1e-9);
        assertTrue(best <= MODEL.threshold(), "best distance " + best);
        assertEquals(at.plusMillis(150), Instant.parse(s.get("first_seen").asText()));
        assertEquals(at.plusMillis(450), Instant.parse(s.get("last_seen").asText()));
        assertEquals(0, get("/sightings?identity=dancer&camera=other-cam").get("sightings").size());
        assertEquals(1, get("/sightings?camera=" + CAMERA + "&since=PT10M").get("sightings").size());

        JsonNode deleted = delete("/identities/sample-1");
        assertEquals(200, deleted.get("http").asInt(), deleted.toString());
        assertEquals("deleted", deleted.get("status").asText());
        assertEquals(404, get("/identities/sample-1").get("http").asInt());
        assertEquals(List.of("dancer"), ids(get("/identities")));
        assertNull(lastGalleryValue("sample-1"), "the latest record of sample-1 on the compacted topic is a"
                + " tombstone: compaction drops the crops and embeddings before it");

        // A restart whose stores came from another cluster (a fresh demo broker) rebuilds them from the topics.
        gallery.close();
        Files.writeString(dir.resolve("gallery-state").resolve(GalleryOptions.DEFAULT_APPLICATION_ID + ".cluster-id"),
                "another-cluster");
        gallery = GalleryService.start(options());
        assertEquals(List.of("dancer"), ids(get("/identities")));
        assertEquals(2, awaitSightings("/sightings?identity=dancer", 2).get("sightings").get(0).get("frames").asInt());
    }

    @Test
    void badRequestsGetA4xxWithAReason() throws Exception {
        byte[] text = "name,face\nada,smile\n".getBytes(StandardCharsets.UTF_8);
        byte[] oversized = new byte[UPLOAD_LIMIT + 1];
        oversized[0] = (byte) 0xff;
        oversized[1] = (byte) 0xd8;
        oversized[2] = (byte) 0xff;
        byte[] truncatedJpeg = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 0, 16, 'J', 'F', 'I', 'F'};

        expect(404, get("/identities/nobody"), "no identity \"nobody\"");
        expect(404, delete("/identities/nobody"), "no identity \"nobody\"");
        expect(404, get("/enrolments/not-a-request"), "no enrolment request not-a-request");
        expect(400, post("/identities/ada/faces", new byte[0], Map.of()), "no body");
        expect(415, post("/identities/ada/faces", text, Map.of()), "not a JPEG or PNG", "name,face");
        expect(413, post("/identities/ada/faces", oversized, Map.of()), "limit is " + UPLOAD_LIMIT);
        expect(422, post("/identities/ada/faces", truncatedJpeg, Map.of()), "truncated");
        expect(400, post("/identities/a:b/faces", text, Map.of()), "identity id \"a:b\" is not valid");
        expect(400, get("/identities?limit=0"), "limit must be a whole number from 1 to");
        expect(400, get("/identities?color=red"), "unknown query parameter \"color\"");
        expect(400, get("/sightings?since=yesterday"), "since must be an instant");
        expect(405, send(HttpRequest.newBuilder(uri("/identities")).DELETE()), "use GET");
        expect(404, get("/faces"), "no resource at /faces");
        assertEquals(200, get("/health").get("http").asInt());
    }

    private static void expect(int status, JsonNode answer, String... phrases) {
        assertEquals(status, answer.get("http").asInt(), answer.toString());
        assertEquals(status, answer.get("status").asInt(), "the body repeats the status: " + answer);
        for (String p : phrases) {
            assertTrue(answer.get("error").asText().contains(p), "\"" + p + "\" in " + answer);
        }
    }

    private static JsonNode awaitResult(String requestId) throws Exception {
        long deadline = System.nanoTime() + RESULT_TIMEOUT.toNanos();
        while (true) {
            JsonNode r = get("/enrolments/" + requestId);
            assertEquals(200, r.get("http").asInt(), r.toString());
            if (!r.get("status").asText().equals("pending")) {
                return r;
            }
            if (System.nanoTime() > deadline) {
                stack.requireJobRunning();
                fail("no result for " + requestId + " within " + RESULT_TIMEOUT);
            }
            Thread.sleep(50);
        }
    }

    private static JsonNode awaitSightings(String path, int frames) throws Exception {
        long deadline = System.nanoTime() + RESULT_TIMEOUT.toNanos();
        while (true) {
            JsonNode r = get(path);
            JsonNode list = r.get("sightings");
            if (list.size() == 1 && list.get(0).get("frames").asInt() == frames) {
                return r;
            }
            if (System.nanoTime() > deadline) {
                fail("no visit of " + frames + " frames at " + path + " within " + RESULT_TIMEOUT + ": " + r);
            }
            Thread.sleep(50);
        }
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("identities").forEach(n -> ids.add(n.get("identity_id").asText()));
        return ids;
    }

    /** The value of the last record with this key on {@code gallery}; null for a tombstone. */
    private static byte[] lastGalleryValue(String key) {
        Map<String, byte[]> last = new HashMap<>();
        try (KafkaConsumer<String, byte[]> c = consumer()) {
            c.subscribe(List.of(Topics.GALLERY.name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline && !(last.containsKey(key) && last.get(key) == null)) {
                c.poll(Duration.ofMillis(200)).forEach(r -> last.put(r.key(), r.value()));
            }
        }
        assertTrue(last.containsKey(key), "records of " + key + " on the gallery topic");
        return last.get(key);
    }

    /** The first {@code n} committed values of a topic. */
    private static <V> List<V> read(Topic<String, V> topic, int n) {
        List<V> values = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = consumer()) {
            c.subscribe(List.of(topic.name()));
            long deadline = System.nanoTime() + RESULT_TIMEOUT.toNanos();
            while (values.size() < n && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(r -> values.add(
                        topic.valueSerde().deserializer().deserialize(r.topic(), r.value())));
            }
        }
        assertEquals(n, values.size(), "records on " + topic.name() + ": " + values);
        return values;
    }

    private static KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "gallery-test-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    private static byte[] jpeg(BufferedImage image) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, "jpg", out));
        return out.toByteArray();
    }

    private static JsonNode post(String path, byte[] body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return send(b);
    }

    private static JsonNode get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    private static JsonNode delete(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    private static URI uri(String path) {
        return gallery.url().resolve(path);
    }

    /** The JSON answer, with its HTTP status added as {@code http}. */
    private static JsonNode send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> r = HTTP.send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.toString());
        var node = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(r.body());
        node.put("http", r.statusCode());
        return node;
    }
}
