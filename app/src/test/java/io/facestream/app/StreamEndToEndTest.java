package io.facestream.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo end to end on a video made of LFW photos: a real broker, the recognize job on a MiniCluster, a gallery
 * folder enrolled through the enrolments topic from other photos of two of the people, and the matches read back
 * read_committed. The enrolled people must be named, the third person must stay unknown.
 */
class StreamEndToEndTest {

    private static final int FRAMES_PER_SHOT = 6;

    @TempDir Path dir;

    @Test
    void enrolledPeopleAreNamedAndOthersStayUnknown() throws Exception {
        List<Path> lfw = LfwImages.get("George_W_Bush_0001", "George_W_Bush_0002", "George_W_Bush_0003",
                "Tony_Blair_0001", "Tony_Blair_0002", "Colin_Powell_0001", "George_W_Bush_0004");
        Path bush1 = lfw.get(0);
        Path blair1 = lfw.get(3);
        Path powell1 = lfw.get(5);
        Path bush4 = lfw.get(6);
        // The gallery: other photos than the video's, and one file that is no image (reported, not enrolled).
        Path gallery = dir.resolve("gallery");
        Files.createDirectories(gallery.resolve("bush"));
        Files.createDirectories(gallery.resolve("blair"));
        Files.copy(lfw.get(1), gallery.resolve("bush/a.jpg"));
        Files.copy(lfw.get(2), gallery.resolve("bush/b.jpg"));
        Files.copy(lfw.get(4), gallery.resolve("blair/a.jpg"));
        Files.writeString(gallery.resolve("blair/notes.txt"), "not a photo");

        Path video = PhotoVideo.render(dir.resolve("people.mp4"), List.of(
                PhotoVideo.shot(FRAMES_PER_SHOT, bush1),
                PhotoVideo.shot(FRAMES_PER_SHOT, blair1),
                PhotoVideo.shot(FRAMES_PER_SHOT, powell1),
                PhotoVideo.shot(FRAMES_PER_SHOT, bush4, powell1)));
        Path out = dir.resolve("matches.jsonl");

        // A full detection on every frame: the shots are cut together, and the man behind Blair comes into view
        // with him, which following between key frames would find only on the next key frame (KeyframeDetector).
        CliTest.Run run = CliTest.run("demo", "--source", video.toString(), "--gallery", gallery.toString(),
                "--camera", "lobby", "--until-end", "--fast", "--detect-every", "1", "--matches-out", out.toString(),
                "--http-port", "0", "--data-dir", dir.resolve("kafka").toString());
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.err().contains("notes.txt not enrolled: "), run.err());
        assertTrue(run.err().contains("gallery: 3 of 4 photo(s) enrolled, 2 people [blair, bush]"), run.err());

        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(out)) {
            events.add(Json.MAPPER.readTree(line));
        }
        // stdout holds the same events, one JSON line each.
        assertEquals(events.size(), run.json().size());
        Map<Integer, List<JsonNode>> byShot = new HashMap<>();
        Set<String> ids = new HashSet<>();
        for (JsonNode e : events) {
            assertTrue(ids.add(e.get("event_id").asText()), "duplicate event " + e);
            assertEquals("lobby", e.get("camera_id").asText());
            byShot.computeIfAbsent((int) (e.get("frame_sequence").asLong() / FRAMES_PER_SHOT), s -> new ArrayList<>()).add(e);
        }
        // Tony_Blair_0001 has a second, smaller face behind him: every frame of that shot has two events.
        assertEquals(List.of(FRAMES_PER_SHOT, 2 * FRAMES_PER_SHOT, FRAMES_PER_SHOT, 2 * FRAMES_PER_SHOT),
                List.of(byShot.get(0).size(), byShot.get(1).size(), byShot.get(2).size(), byShot.get(3).size()));
        assertEquals(Set.of("bush"), identities(byShot.get(0)));
        for (JsonNode e : byShot.get(1)) {
            // The man behind Blair is nobody the gallery knows.
            assertEquals(width(e) > 90 ? "blair" : null, e.get("identity_id").textValue(), e.toString());
        }
        for (JsonNode e : byShot.get(2)) {
            assertNull(e.get("identity_id").textValue(), "Colin Powell is in no gallery folder: " + e);
            assertTrue(e.get("distance").asDouble() > e.get("threshold").asDouble(), e.toString());
        }
        // Side by side: Bush on the left is named, Powell on the right stays unknown.
        for (JsonNode e : byShot.get(3)) {
            double centre = (e.get("box").get("x1").asDouble() + e.get("box").get("x2").asDouble()) / 2;
            if (centre < PhotoVideo.WIDTH / 2.0) {
                assertEquals("bush", e.get("identity_id").textValue(), e.toString());
            } else {
                assertNull(e.get("identity_id").textValue(), e.toString());
            }
        }
        // One person standing still keeps one track through a shot; a new person gets a new track.
        assertEquals(1, tracks(byShot.get(0)).size());
        assertEquals(2, tracks(byShot.get(1)).size());
        assertFalse(tracks(byShot.get(0)).equals(tracks(byShot.get(1))), "Blair got Bush's track");
        assertEquals(2, tracks(byShot.get(3)).size());
        assertTrue(run.err().contains("events: " + events.size()), run.err());
    }

    private static double width(JsonNode e) {
        return e.get("box").get("x2").asDouble() - e.get("box").get("x1").asDouble();
    }

    private static Set<String> identities(List<JsonNode> events) {
        Set<String> out = new HashSet<>();
        for (JsonNode e : events) {
            out.add(e.get("identity_id").textValue());
        }
        return out;
    }

    private static Set<Long> tracks(List<JsonNode> events) {
        Set<Long> out = new HashSet<>();
        for (JsonNode e : events) {
            out.add(e.get("track_id").asLong());
        }
        return out;
    }
}
