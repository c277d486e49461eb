package io.facestream.gallery.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.BoundingBox;
import io.facestream.core.Embedding;
import io.facestream.core.Landmarks;
import io.facestream.core.Point;
import io.facestream.core.event.EnrolmentResult;
import io.facestream.core.event.GalleryEntry;
import io.facestream.core.event.MatchEvent;
import io.facestream.core.event.Sighting;
import io.facestream.core.event.UnknownGroup;
import io.facestream.core.topic.Topic;
import io.facestream.core.topic.Topics;
import io.facestream.gallery.GalleryOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.SessionStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gallery topology on {@link TopologyTestDriver}: the stores it materialises and the visits it makes. */
class GalleryTopologyTest {

    private static final Duration GAP = Duration.ofSeconds(10);
    private static final Duration GRACE = Duration.ofSeconds(2);
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    private static final double THRESHOLD = 1.0;

    @TempDir Path state;
    private TopologyTestDriver driver;
    private TestInputTopic<String, MatchEvent> matches;
    private TestOutputTopic<String, Sighting> sightings;
    private TestInputTopic<String, GalleryEntry> gallery;
    private int events;

    @BeforeEach
    void start() {
        GalleryOptions options = GalleryOptions.defaults("localhost:9092").withStateDir(state)
                .withSessions(GAP, GRACE, Duration.ofHours(1));
        driver = new TopologyTestDriver(GalleryTopology.build(GAP, GRACE, Duration.ofHours(1)),
                options.streamsProperties());
        matches = input(Topics.MATCHES);
        sightings = driver.createOutputTopic(Topics.SIGHTINGS.name(), Topics.SIGHTINGS.keySerde().deserializer(),
                Topics.SIGHTINGS.valueSerde().deserializer());
        // The recognize job names only enrolled people; a visit lasts only as long as its person is enrolled.
        gallery = input(Topics.GALLERY);
        gallery.pipeInput("ada", entry("ada", "Ada", 1));
        gallery.pipeInput("bob", entry("bob", "Bob", 1));
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void galleryStoreFollowsTheCompactedTopicAndTombstonesRemoveThePerson() {
        gallery.pipeInput("ada", entry("ada", "Ada", 1));
        gallery.pipeInput("bob", entry("bob", "Bob", 1));
        gallery.pipeInput("ada", entry("ada", "Ada Lovelace", 2));
        gallery.pipeInput("bob", null);

        KeyValueStore<String, GalleryEntry> store = driver.getKeyValueStore(GalleryTopology.GALLERY_STORE);
        assertNull(store.get("bob"), "the tombstone removed bob");
        GalleryEntry ada = store.get("ada");
        assertEquals("Ada Lovelace", ada.displayName(), "the latest record wins");
        assertEquals(2, ada.crops().size(), "the crops are kept for re-embedding");
        assertEquals(List.of("ada"), keys(store));
    }

    @Test
    void enrolmentResultsAreLookedUpByRequestId() {
        TestInputTopic<String, EnrolmentResult> results = input(Topics.ENROLMENT_RESULTS);
        results.pipeInput("r-1", EnrolmentResult.ok("r-1", "ada"));
        results.pipeInput("r-2", EnrolmentResult.error("r-2", "bob", "2 faces found"));

        KeyValueStore<String, EnrolmentResult> store = driver.getKeyValueStore(GalleryTopology.RESULTS_STORE);
        assertTrue(store.get("r-1").succeeded());
        assertEquals("2 faces found", store.get("r-2").reason());
        assertNull(store.get("r-3"));
    }

    @Test
    void twoVisitsSeparatedByMoreThanTheGapAreTwoSightings() {
        match("cam-1", 7, "ada", 0.5, 0);
        match("cam-1", 7, "ada", 0.3, 1_000);
        match("cam-1", 8, "ada", 0.4, 2_500);   // a new track after a missed detection: same visit
        match("cam-1", 9, "ada", 0.6, 14_000);  // 11.5 s later: more than the gap, a second visit
        assertTrue(sightings.isEmpty(), "nothing is published while a visit may still grow");

        match("cam-1", 9, "ada", 0.2, 15_000);  // stream time passes the first visit's end + gap + grace
        assertEquals(List.of(KeyValue.pair("ada", new Sighting("ada", "cam-1", T0, T0.plusMillis(2_500), 3, 0.3,
                List.of(7L, 8L)))), sightings.readKeyValuesToList());

        match("cam-1", 12, "bob", 0.4, 40_000); // and now the second visit's
        assertEquals(List.of(KeyValue.pair("ada", new Sighting("ada", "cam-1", T0.plusMillis(14_000),
                T0.plusMillis(15_000), 2, 0.2, List.of(9L)))), sightings.readKeyValuesToList());
    }

    @Test
    void unknownFacesAreVisitsOfTheirTrackPerCamera() {
        unknown("cam-1", 1, 0);
        unknown("cam-1", 2, 500);
        unknown("cam-2", 1, 600);      // track 1 of another camera is someone else
        unknown("cam-1", 1, 1_000);
        match("cam-2", 3, "ada", 0.4, 1_200); // a known face at the same time is a visit of its own
        match("cam-9", 1, "bob", 0.1, 30_000);

        List<Sighting> out = sightings.readValuesToList();
        assertEquals(4, out.size(), out.toString());
        Sighting track1 = find(out, "unknown:cam-1:1");
        assertEquals(new Sighting("unknown:cam-1:1", "cam-1", T0, T0.plusSeconds(1), 2, null, List.of(1L)), track1);
        assertEquals(1, find(out, "unknown:cam-1:2").frames());
        assertEquals("cam-2", find(out, "unknown:cam-2:1").cameraId());
        assertEquals(0.4, find(out, "ada").bestDistance());
        assertTrue(out.stream().filter(s -> !s.known()).allMatch(s -> s.bestDistance() == null),
                "with an empty gallery there is no distance");
    }

    @Test
    void theSameIdentityAtTwoCamerasIsTwoVisits() {
        match("cam-1", 1, "ada", 0.5, 0);
        match("cam-2", 4, "ada", 0.4, 100);
        match("cam-1", 1, "ada", 0.3, 900);
        match("cam-2", 4, "ada", 0.45, 1_100);
        match("cam-3", 1, "bob", 0.1, 60_000);

        List<Sighting> out = sightings.readValuesToList();
        assertEquals(2, out.size(), out.toString());
        for (Sighting s : out) {
            assertEquals("ada", s.identityId());
            assertEquals(2, s.frames(), s.toString());
        }
        assertEquals(Map.of("cam-1", 0.3, "cam-2", 0.4),
                Map.of(out.get(0).cameraId(), out.get(0).bestDistance(), out.get(1).cameraId(), out.get(1).bestDistance()));
    }

    @Test
    void theSightingsStoreAnswersForVisitsStillInProgress() {
        match("cam-1", 7, "ada", 0.5, 0);
        match("cam-1", 7, "ada", 0.3, 3_000);
        unknown("cam-1", 8, 3_000);

        assertTrue(sightings.isEmpty());
        SessionStore<String, Sighting> store = driver.getSessionStore(GalleryTopology.SIGHTINGS_STORE);
        List<Sighting> open = new ArrayList<>();
        try (KeyValueIterator<Windowed<String>, Sighting> it = store.findSessions(Visits.key("ada", "cam-1"), 0, Long.MAX_VALUE)) {
            it.forEachRemaining(kv -> open.add(kv.value));
        }
        assertEquals(List.of(new Sighting("ada", "cam-1", T0, T0.plusSeconds(3), 2, 0.3, List.of(7L))), open);
    }

    /**
     * Ada is deleted while one visit of hers is closed and another still open: both leave the store within two scans
     * (not at the first, which could be a store catching up with an enrolment), tombstones reach the store's
     * changelog, and her open visit is never published; Bob's and an unknown face's visits stay.
     */
    @Test
    void theVisitsOfAPersonDeletedFromTheGalleryAreErasedAndNeverPublished() {
        match("cam-1", 1, "ada", 0.3, 0);
        match("cam-1", 2, "bob", 0.4, 500);
        unknown("cam-2", 3, 600);
        match("cam-1", 1, "ada", 0.3, 14_000);  // a second visit of ada's; the first (and bob's) closed at 12.5 s
        match("cam-1", 2, "bob", 0.4, 30_000);
        assertEquals(List.of("ada", "ada", "bob", "unknown:cam-2:3"), sightings.readValuesToList().stream()
                .map(Sighting::identityId).sorted().toList(), "published before the deletion");
        match("cam-1", 1, "ada", 0.3, 31_000);  // ada's third visit is open when she is deleted
        SessionStore<String, Sighting> store = driver.getSessionStore(GalleryTopology.SIGHTINGS_STORE);
        assertEquals(3, visitsOf(store, "ada").size());

        gallery.pipeInput("ada", null);
        driver.advanceWallClockTime(VisitErasure.SCAN_EVERY);
        assertEquals(3, visitsOf(store, "ada").size(), "one scan finds her missing, the next erases");
        driver.advanceWallClockTime(VisitErasure.SCAN_EVERY);
        assertEquals(List.of(), visitsOf(store, "ada"));
        assertEquals(2, visitsOf(store, "bob").size(), "bob's visits stay");
        assertEquals(1, visitsOf(store, "unknown:cam-2:3").size(), "an unknown face's visit stays");

        match("cam-1", 2, "bob", 0.4, 60_000); // closes ada's open visit and bob's second
        assertEquals(List.of("bob"), sightings.readValuesToList().stream().map(Sighting::identityId).toList(),
                "ada's open visit was never published");
        // Matches made before the recognize job saw the deletion: her visit is not published either.
        match("cam-1", 1, "ada", 0.3, 61_000);
        match("cam-1", 2, "bob", 0.4, 90_000);
        assertEquals(List.of("bob"), sightings.readValuesToList().stream().map(Sighting::identityId).toList());
    }

    private static List<Sighting> visitsOf(SessionStore<String, Sighting> store, String identity) {
        List<Sighting> found = new ArrayList<>();
        try (KeyValueIterator<Windowed<String>, Sighting> it = store.findSessions(null, null, 0, Long.MAX_VALUE)) {
            it.forEachRemaining(kv -> {
                if (kv.value != null && kv.value.identityId().equals(identity)) {
                    found.add(kv.value);
                }
            });
        }
        return found;
    }

    @Test
    void theUnknownsStoreFollowsTheCompactedTopicAndTombstonesRemoveTheGroup() {
        TestInputTopic<String, UnknownGroup> unknowns = input(Topics.UNKNOWNS);
        unknowns.pipeInput("unknown-1", group("unknown-1", 1, "cam-1"));
        unknowns.pipeInput("unknown-2", group("unknown-2", 1, "cam-2"));
        unknowns.pipeInput("unknown-1", group("unknown-1", 3, "cam-1", "cam-2"));
        unknowns.pipeInput("unknown-2", null);

        KeyValueStore<String, UnknownGroup> store = driver.getKeyValueStore(GalleryTopology.UNKNOWNS_STORE);
        assertEquals(List.of("unknown-1"), keys(store), "the tombstone removed unknown-2");
        assertEquals(3, store.get("unknown-1").tracks(), "the latest record wins");
        assertEquals(List.of("cam-1", "cam-2"), store.get("unknown-1").cameras());
    }

    /**
     * Two tracks the job put in one unknown group are one person's visit at a camera, and the same group at another
     * camera is another visit of that person; a track in no group stays a visit of its own.
     */
    @Test
    void theTracksOfOneUnknownGroupAreVisitsOfOnePerson() {
        input(Topics.UNKNOWNS).pipeInput("unknown-4", group("unknown-4", 3, "cam-1", "cam-2"));
        grouped("cam-1", 1, "unknown-4", 0);
        grouped("cam-1", 1, "unknown-4", 500);
        grouped("cam-1", 2, "unknown-4", 2_000);  // the tracker lost them and started a new track: same person
        unknown("cam-1", 3, 2_100);               // someone in no group yet
        grouped("cam-2", 7, "unknown-4", 2_200);  // the same person at another camera
        match("cam-9", 1, "bob", 0.1, 30_000);    // closes everything

        List<KeyValue<String, Sighting>> published = sightings.readKeyValuesToList();
        assertTrue(published.stream().allMatch(kv -> kv.key.equals(kv.value.identityId())),
                "keyed by the group's id, as a person's are: " + published);
        List<Sighting> out = published.stream().map(kv -> kv.value).toList();
        assertEquals(List.of(new Sighting("unknown-4", "cam-1", T0, T0.plusSeconds(2), 3, null, List.of(1L, 2L)),
                new Sighting("unknown-4", "cam-2", T0.plusMillis(2_200), T0.plusMillis(2_200), 1, null, List.of(7L))),
                out.stream().filter(s -> s.identityId().equals("unknown-4"))
                        .sorted(java.util.Comparator.comparing(Sighting::cameraId)).toList());
        assertEquals(new Sighting("unknown:cam-1:3", "cam-1", T0.plusMillis(2_100), T0.plusMillis(2_100), 1, null,
                List.of(3L)), find(out, "unknown:cam-1:3"));
        assertEquals(3, out.size(), out.toString());
    }

    /**
     * An operator deletes a group as they delete a person: its visits leave the store within two scans and are not
     * published; another group's stay.
     */
    @Test
    void theVisitsOfADeletedUnknownGroupAreErasedAndNeverPublished() {
        TestInputTopic<String, UnknownGroup> unknowns = input(Topics.UNKNOWNS);
        unknowns.pipeInput("unknown-1", group("unknown-1", 1, "cam-1"));
        unknowns.pipeInput("unknown-2", group("unknown-2", 1, "cam-1"));
        grouped("cam-1", 1, "unknown-1", 0);
        grouped("cam-1", 2, "unknown-2", 0);
        SessionStore<String, Sighting> store = driver.getSessionStore(GalleryTopology.SIGHTINGS_STORE);

        driver.advanceWallClockTime(VisitErasure.SCAN_EVERY);
        driver.advanceWallClockTime(VisitErasure.SCAN_EVERY);
        assertEquals(1, visitsOf(store, "unknown-1").size(), "a group in the store keeps its visits");

        unknowns.pipeInput("unknown-1", null);
        driver.advanceWallClockTime(VisitErasure.SCAN_EVERY);
        assertEquals(1, visitsOf(store, "unknown-1").size(), "one scan finds it missing, the next erases");
        driver.advanceWallClockTime(VisitErasure.SCAN_EVERY);
        assertEquals(List.of(), visitsOf(store, "unknown-1"));
        assertEquals(1, visitsOf(store, "unknown-2").size());

        grouped("cam-1", 1, "unknown-1", 1_000); // a match made before the job saw the deletion
        match("cam-9", 1, "bob", 0.1, 30_000);
        assertEquals(List.of("unknown-2"), sightings.readValuesToList().stream().map(Sighting::identityId).toList());
    }

    @Test
    void aMatchRecordNoSerdeCanReadIsSkipped() {
        TestInputTopic<String, byte[]> raw = driver.createInputTopic(Topics.MATCHES.name(), new StringSerializer(),
                new ByteArraySerializer());
        raw.pipeInput("cam-1", "not json".getBytes(StandardCharsets.UTF_8), T0);
        match("cam-1", 7, "ada", 0.5, 0);
        match("cam-1", 7, "ada", 0.5, 30_000);

        List<Sighting> out = sightings.readValuesToList();
        assertEquals(1, out.size(), "the stream goes on after the bad record: " + out);
        assertEquals(1, out.get(0).frames());
    }

    private void match(String camera, long track, String identity, double distance, long atMillis) {
        pipe(camera, track, identity, distance, atMillis);
    }

    private void unknown(String camera, long track, long atMillis) {
        pipe(camera, track, null, null, atMillis);
    }

    /** An unknown face whose track the job put in a group. */
    private void grouped(String camera, long track, String unknownId, long atMillis) {
        pipe(camera, track, null, null, atMillis, unknownId);
    }

    private void pipe(String camera, long track, String identity, Double distance, long atMillis) {
        pipe(camera, track, identity, distance, atMillis, null);
    }

    private void pipe(String camera, long track, String identity, Double distance, long atMillis, String unknownId) {
        Instant at = T0.plusMillis(atMillis);
        BoundingBox box = new BoundingBox(10, 10, 60, 70);
        Landmarks marks = new Landmarks(List.of(new Point(20, 30), new Point(40, 30), new Point(30, 40),
                new Point(22, 55), new Point(38, 55)));
        MatchEvent e = new MatchEvent(MatchEvent.eventId(camera, events, 0), camera, events++, at, at.plusMillis(80),
                track, box, marks, identity, distance, THRESHOLD, "mobilefacenet-192", unknownId);
        // The record's own timestamp is the processing time: the visits must follow the capture time instead.
        matches.pipeInput(camera, e, at.plusSeconds(3600));
    }

    private static Sighting find(List<Sighting> out, String identity) {
        return out.stream().filter(s -> s.identityId().equals(identity)).findFirst()
                .orElseThrow(() -> new AssertionError("no visit of " + identity + " in " + out));
    }

    private static GalleryEntry entry(String id, String name, int faces) {
        List<byte[]> crops = new ArrayList<>();
        List<Embedding> embeddings = new ArrayList<>();
        for (int i = 0; i < faces; i++) {
            crops.add(new byte[] {(byte) 0x89, 'P', 'N', 'G', (byte) i});
            float[] v = new float[4];
            v[i % 4] = 1;
            embeddings.add(new Embedding("mobilefacenet-192", v));
        }
        return new GalleryEntry(id, name, crops, Map.of("mobilefacenet-192", embeddings), T0);
    }

    private static UnknownGroup group(String id, int tracks, String... cameras) {
        return new UnknownGroup(id, T0, T0.plusSeconds(tracks), tracks, List.of(cameras),
                List.of(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) tracks}), "mobilefacenet-192");
    }

    private static <V> List<String> keys(KeyValueStore<String, V> store) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, V> it = store.all()) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        return keys;
    }

    private <V> TestInputTopic<String, V> input(Topic<String, V> topic) {
        return driver.createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
    }
}
