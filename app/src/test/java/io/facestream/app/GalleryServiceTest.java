package io.facestream.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import io.facestream.gallery.auth.ApiToken;
import io.facestream.gallery.auth.ApiTokens;
import io.facestream.gallery.auth.Role;
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
    private static final ApiToken ADMIN = new ApiToken("test-admin", Role.ADMIN, ApiTokens.newSecret());
    private static final ApiToken READER = new ApiToken("test-reader", Role.READ, ApiTokens.newSecret());
    /** The token {@link #send} sends; null for none. */
    private static String token = ADMIN.secret();

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
                .withStateDir(dir.resolve("gallery-state")).withMaxUploadBytes(UPLOAD_LIMIT)
                .withTokens(List.of(ADMIN, READER));
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
        JsonNode renamed = send(HttpRequest.newBuilder(uri("/identities/sample-1?name=Ada%20Lovelace"))
                .method("PATCH", HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, renamed.get("http").asInt(), renamed.toString());
        assertEquals("Ada Lovelace", renamed.get("display_name").asText());
        assertEquals("Ada Lovelace", get("/identities/sample-1").get("display_name").asText());
        assertEquals(1, get("/identities/sample-1").get("faces").asInt(), "a rename keeps the faces");
        HttpResponse<byte[]> crop = HTTP.send(HttpRequest.newBuilder(uri("/identities/dancer/faces/0"))
                .header("Authorization", "Bearer " + ADMIN.secret()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, crop.statusCode());
        assertEquals("image/png", crop.headers().firstValue("Content-Type").orElse(""));
        BufferedImage face = ImageIO.read(new java.io.ByteArrayInputStream(crop.body()));
        assertEquals(112, face.getWidth(), "the aligned 112x112 crop the job stored");
        expect(404, get("/identities/dancer/faces/1"), "dancer has 1 face(s)");
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

        // The service's Prometheus metrics, scraped without a token, count what it read and did.
        assertTrue(metric("facestream_match_events_total{outcome=\"known\"}") >= stills.length);
        assertEquals(stills.length, metric("facestream_frames_seen_total{camera=\"" + CAMERA + "\"}"));
        assertTrue(metric("facestream_frame_to_event_latency_seconds_count") >= stills.length);
        assertEquals(1.0, metric("facestream_model_live{model_id=\"" + MODEL.modelId() + "\"}"));
        assertTrue(metric("facestream_gallery_changes_total{action=\"enrol\"}") >= 3, "three enrolments at least");
        assertEquals(1.0, metric("facestream_gallery_changes_total{action=\"rename\"}"));
        // The gallery's size is counted at most every 10 s: an earlier scrape may have counted it before the enrolments.
        long countedBy = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (metric("facestream_gallery_identities") != 2.0 && System.nanoTime() < countedBy) {
            Thread.sleep(500);
        }
        assertEquals(2.0, metric("facestream_gallery_identities"), "dancer and sample-1");
        assertEquals(0.0, metric("facestream_dead_letters"));

        JsonNode deleted = delete("/identities/sample-1");
        assertEquals(200, deleted.get("http").asInt(), deleted.toString());
        assertEquals("deleted", deleted.get("status").asText());
        assertEquals(404, get("/identities/sample-1").get("http").asInt());
        assertEquals(List.of("dancer"), ids(get("/identities")));
        assertNull(lastGalleryValue("sample-1"), "the latest record of sample-1 on the compacted topic is a"
                + " tombstone: compaction drops the crops and embeddings before it");
        List<JsonNode> audit = new ArrayList<>();
        for (String line : Files.readAllLines(gallery.auditLog())) {
            audit.add(Json.MAPPER.readTree(line));
        }
        List<String> changes = audit.stream().filter(a -> "sample-1".equals(a.path("identity_id").asText()))
                .map(a -> a.get("actor").asText() + " " + a.get("action").asText()).toList();
        assertEquals(List.of("test-admin enrol", "test-admin rename", "test-admin delete"), changes);
        assertTrue(audit.stream().allMatch(a -> Instant.parse(a.get("time").asText()).isAfter(Instant.now().minusSeconds(600))));

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

    /**
     * Hostile uploads, each judged from its bytes before anything decodes it: too many bytes (413); a real photo cut
     * short inside its image data, its header whole (422); the photo with a ZIP appended, a JPEG that is also a ZIP
     * (422: refused, not trimmed, since the bytes would go on the enrolments topic as they came); a 70-byte PNG that
     * declares 50,000 x 50,000 pixels, a decompression bomb for whoever decodes it (422). None reaches the gallery or
     * the audit log, and a normal enrolment right after them works.
     */
    @Test
    void hostileImagesAreRefusedAndTheServiceKeepsEnrolling() throws Exception {
        byte[] photo = Files.readAllBytes(photos.resolve("sample-1").resolve("sample1-face.jpg"));
        byte[] oversized = java.util.Arrays.copyOf(photo, UPLOAD_LIMIT + 1);
        byte[] truncated = java.util.Arrays.copyOf(photo, photo.length * 2 / 3);
        java.io.ByteArrayOutputStream zip = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(zip)) {
            z.putNextEntry(new java.util.zip.ZipEntry("index.html"));
            z.write("<html><script>alert(document.cookie)</script></html>".getBytes(StandardCharsets.UTF_8));
        }
        byte[] polyglot = java.util.Arrays.copyOf(photo, photo.length + zip.size());
        System.arraycopy(zip.toByteArray(), 0, polyglot, photo.length, zip.size());
        byte[] bomb = bombPng(50_000, 50_000);

        expect(413, post("/identities/hostile/faces", oversized, Map.of()), "limit is " + UPLOAD_LIMIT);
        expect(422, post("/identities/hostile/faces", truncated, Map.of()), "JPEG ends before", "truncated");
        expect(422, post("/identities/hostile/faces", polyglot, Map.of()), "after its end-of-image marker", "plain JPEG");
        expect(422, post("/identities/hostile/faces", bomb, Map.of()), "declares 50000x50000 px", "megapixels");
        assertEquals(404, get("/identities/hostile").get("http").asInt());
        assertFalse(Files.readString(gallery.auditLog()).contains("hostile"), "refused uploads are no enrolments");

        JsonNode accepted = post("/identities/after-hostile/faces", photo, Map.of());
        assertEquals(202, accepted.get("http").asInt(), accepted.toString());
        assertEquals("ok", awaitResult(accepted.get("request_id").asText()).get("status").asText());
        // The result and the entry reach the service's global stores from two topics, in either order.
        long deadline = System.nanoTime() + RESULT_TIMEOUT.toNanos();
        while (get("/identities/after-hostile").get("http").asInt() == 404 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(1, get("/identities/after-hostile").get("faces").asInt());
        // Leave the gallery as the other tests expect it.
        assertEquals(200, delete("/identities/after-hostile").get("http").asInt());
    }

    /** A PNG of ~70 bytes, whole and valid in its structure, whose header declares this many pixels. */
    private static byte[] bombPng(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        pngChunk(out, "IHDR", java.nio.ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        java.util.zip.Deflater deflater = new java.util.zip.Deflater(9);
        deflater.setInput(new byte[8192]); // rows of zeros: how a bomb compresses its gigabytes
        deflater.finish();
        byte[] z = new byte[512];
        pngChunk(out, "IDAT", java.util.Arrays.copyOf(z, deflater.deflate(z)));
        pngChunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void pngChunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /**
     * Every route that reads or changes faces refuses a request without a token or with a wrong one (401), a
     * read-only token may read but not enrol, rename, delete or issue tokens (403); /health and the console's
     * files need no token. The changes are in the audit log under the token's name, the secrets nowhere in it.
     */
    @Test
    void everyRouteButHealthNeedsATokenAndReadOnlyTokensCannotChangeTheGallery() throws Exception {
        byte[] dancer = Files.readAllBytes(photos.resolve("dancer").resolve("video-frame-10.jpg"));
        List<HttpRequest.Builder> reads = List.of(
                HttpRequest.newBuilder(uri("/identities")).GET(),
                HttpRequest.newBuilder(uri("/identities/dancer")).GET(),
                HttpRequest.newBuilder(uri("/identities/dancer/faces/0")).GET(),
                HttpRequest.newBuilder(uri("/enrolments/some-request")).GET(),
                HttpRequest.newBuilder(uri("/sightings")).GET(),
                HttpRequest.newBuilder(uri("/models")).GET(),
                HttpRequest.newBuilder(uri("/status")).GET(),
                HttpRequest.newBuilder(uri("/whoami")).GET(),
                HttpRequest.newBuilder(uri("/live")).GET(),
                HttpRequest.newBuilder(uri("/no-such-route")).GET());
        List<HttpRequest.Builder> changes = List.of(
                HttpRequest.newBuilder(uri("/identities/intruder/faces")).POST(HttpRequest.BodyPublishers.ofByteArray(dancer)),
                HttpRequest.newBuilder(uri("/identities/dancer?name=Renamed")).method("PATCH", HttpRequest.BodyPublishers.noBody()),
                HttpRequest.newBuilder(uri("/identities/dancer")).DELETE(),
                HttpRequest.newBuilder(uri("/tokens?name=mine&role=admin")).POST(HttpRequest.BodyPublishers.noBody()),
                HttpRequest.newBuilder(uri("/tokens")).GET());
        String wrong = ApiTokens.newSecret();
        double refused = refusals(401);
        double forbidden = refusals(403);
        try {
            for (HttpRequest.Builder r : concat(reads, changes)) {
                String what = r.build().method() + " " + r.build().uri().getPath();
                token = null;
                HttpResponse<String> none = raw(r);
                assertEquals(401, none.statusCode(), what + " without a token: " + none.body());
                assertTrue(none.body().contains("needs an API token"), none.body());
                assertEquals("Bearer realm=\"facestream\"", none.headers().firstValue("WWW-Authenticate").orElse(""));
                token = wrong;
                HttpResponse<String> bad = raw(r);
                assertEquals(401, bad.statusCode(), what + " with a wrong token: " + bad.body());
                assertTrue(bad.body().contains("not valid"), bad.body());
                token = READER.secret().substring(1);
                assertEquals(401, raw(r).statusCode(), what + " with a token one character short");
            }
            token = READER.secret();
            for (HttpRequest.Builder r : changes) {
                HttpResponse<String> ro = raw(r);
                assertEquals(403, ro.statusCode(), r.build().method() + " " + r.build().uri() + ": " + ro.body());
                assertTrue(ro.body().contains("token test-reader is read-only"), ro.body());
            }
            assertEquals(refused + 3 * (reads.size() + changes.size()), refusals(401), "every 401 counted");
            assertEquals(forbidden + changes.size(), refusals(403), "every 403 counted");
            assertEquals(200, get("/identities").get("http").asInt(), "a read-only token reads");
            assertEquals("read", get("/whoami").get("role").asText());
            assertEquals(404, get("/identities/intruder").get("http").asInt(), "nothing was enrolled");
            token = null;
            assertEquals(200, get("/health").get("http").asInt(), "probes need no token");
            HttpResponse<String> console = raw(HttpRequest.newBuilder(uri("/console/")).GET());
            assertEquals(200, console.statusCode());
            assertTrue(console.body().contains("<script type=\"module\""), "the console's page needs no token");
            assertTrue(console.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'self'"));
        } finally {
            token = ADMIN.secret();
        }
        // An admin issues a read-only token; it reads and is refused a deletion.
        JsonNode issued = send(HttpRequest.newBuilder(uri("/tokens?name=viewer&role=read"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(201, issued.get("http").asInt(), issued.toString());
        String viewer = issued.get("token").asText();
        assertTrue(viewer.length() >= ApiToken.MIN_SECRET_CHARS, "a long random secret");
        token = viewer;
        try {
            assertEquals("viewer", get("/whoami").get("name").asText());
            assertEquals(403, delete("/identities/dancer").get("http").asInt());
        } finally {
            token = ADMIN.secret();
        }
        String audit = Files.readString(gallery.auditLog());
        assertTrue(audit.contains("\"actor\":\"test-admin\",\"role\":\"admin\",\"action\":\"issue-token\""), audit);
        for (String secret : List.of(ADMIN.secret(), READER.secret(), viewer, wrong)) {
            assertFalse(audit.contains(secret), "no secret in the audit log");
        }
        assertFalse(audit.contains("intruder"), "refused requests change nothing and are not changes");
    }

    private static double refusals(int status) throws Exception {
        try {
            return metric("facestream_api_refusals_total{status=\"" + status + "\"}");
        } catch (AssertionError e) {
            return 0; // none yet: the counter appears with its first refusal
        }
    }

    /** A sample's value in the text of GET /metrics (no token), by its name and labels as Prometheus writes them. */
    private static double metric(String series) throws Exception {
        String saved = token;
        token = null;
        try {
            HttpResponse<String> r = raw(HttpRequest.newBuilder(uri("/metrics")).GET());
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
            for (String line : r.body().split("\n")) {
                if (line.startsWith(series + " ")) {
                    return Double.parseDouble(line.substring(series.length() + 1).strip());
                }
            }
            throw new AssertionError("no " + series + " in:\n" + r.body());
        } finally {
            token = saved;
        }
    }

    @SafeVarargs
    private static <T> List<T> concat(List<T>... lists) {
        List<T> all = new ArrayList<>();
        for (List<T> l : lists) {
            all.addAll(l);
        }
        return all;
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

    /** The answer as text, with {@link #token} (when set) as the bearer token. */
    private static HttpResponse<String> raw(HttpRequest.Builder request) throws Exception {
        HttpRequest.Builder b = request.copy().timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.setHeader("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The JSON answer, with its HTTP status added as {@code http}. */
    private static JsonNode send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> r = raw(request);
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.toString());
        var node = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(r.body());
        node.put("http", r.statusCode());
        return node;
    }
}
