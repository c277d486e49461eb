package io.facestream.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.facestream.core.DetectedFace;
import io.facestream.ingest.DecodedFrame;
import io.facestream.ingest.GrabberFrameSource;
import io.facestream.ingest.SourceSpec;
import io.facestream.recognize.engine.EngineOptions;
import io.facestream.recognize.engine.FaceChoice;
import io.facestream.recognize.engine.FaceEngine;
import io.facestream.recognize.image.RgbImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole stream in one JVM on the shared clip, with a gallery of one actor taken from the clip itself. */
class DemoCommandTest {

    private static final String CLIP = "tears_of_steel_cc-by_640x360_10s.mp4";

    @TempDir Path dir;

    @Test
    void everyFaceOfTheClipBecomesOneEventAndTheEnrolledActorIsNamed() throws Exception {
        Path clip = LfwImages.shared().resolve("data/video").resolve(CLIP);
        if (!Files.isRegularFile(clip)) {
            String why = "skipped: " + clip + " is absent (the shared data folder is not beside the checkout)";
            System.out.println(why);
            assumeTrue(false, why);
        }
        long enrolled = enrolFrameWithAFace(clip, dir.resolve("gallery/actor"));
        Path out = dir.resolve("matches.jsonl");

        CliTest.Run run = CliTest.run("demo", "--source", clip.toString(), "--gallery", dir.resolve("gallery").toString(),
                "--matches-out", out.toString(), "--fast", "--until-end", "--text", "--http-port", "0", "--hard-examples",
                "--data-dir", dir.resolve("kafka").toString());
        String[] lines = run.out().strip().split("\n");
        // The first line naming the actor and the summary, as the README quotes them.
        java.util.Arrays.stream(lines).filter(l -> l.contains("→ actor")).findFirst().ifPresent(System.out::println);
        String[] log = run.err().strip().split("\n");
        java.util.Arrays.stream(log).dropWhile(l -> !l.startsWith("summary:")).forEach(System.out::println);
        assertEquals(0, run.exit(), run.err());
        assertFalse(Files.exists(dir.resolve("kafka")), "the broker's data are deleted at exit");

        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(out)) {
            events.add(Json.MAPPER.readTree(line));
        }
        assertFalse(events.isEmpty(), "no events in " + out + "; stdout: " + run.out());
        Set<String> ids = new HashSet<>();
        Map<Long, Set<Integer>> facesPerFrame = new HashMap<>();
        boolean actorInEnrolledFrame = false;
        for (JsonNode e : events) {
            String id = e.get("event_id").asText();
            assertTrue(ids.add(id), "event " + id + " arrived twice under exactly-once");
            assertEquals("mobilefacenet-192", e.get("model_id").asText(), id);
            long frame = e.get("frame_sequence").asLong();
            facesPerFrame.computeIfAbsent(frame, f -> new TreeSet<>()).add(Integer.parseInt(id.substring(id.lastIndexOf(':') + 1)));
            if (frame == enrolled && "actor".equals(e.path("identity_id").asText(null))) {
                actorInEnrolledFrame = true;
            }
        }
        // No face of a frame is lost: each frame's face indices run 0..n-1.
        facesPerFrame.forEach((frame, faces) -> assertEquals(faces.size() - 1, ((TreeSet<Integer>) faces).last(),
                "faces of frame " + frame + ": " + faces));
        assertNotNull(facesPerFrame.get(enrolled), "the frame the gallery photo came from (" + enrolled + ") has events");
        assertTrue(actorInEnrolledFrame, "the face enrolled from frame " + enrolled + " is named actor there");
        assertTrue(run.out().contains(" → actor ("), "a human line names the actor");
        assertTrue(run.err().contains("summary:\n  frames: "), run.err());
        assertTrue(run.err().contains("latency capture → received: p50 "), run.err());
        // Every track sends its first face to the trainer, and no face is sent twice.
        long tracks = events.stream().map(e -> e.get("track_id").asLong()).distinct().count();
        java.util.regex.Matcher hard = java.util.regex.Pattern.compile("hard examples: (\\d+) in hard-examples")
                .matcher(run.err());
        assertTrue(hard.find(), run.err());
        long sent = Long.parseLong(hard.group(1));
        assertTrue(sent >= tracks && sent <= events.size(), sent + " hard examples for " + tracks + " tracks and "
                + events.size() + " faces");
    }

    /** Saves the first frame from ~2 s in that has a face as {@code person/frame.jpg}; returns its sequence number. */
    private static long enrolFrameWithAFace(Path clip, Path person) throws Exception {
        Files.createDirectories(person);
        EngineOptions d = EngineOptions.defaults();
        try (FaceEngine engine = FaceEngine.open(new EngineOptions(d.weightsDir(), 1, d.device(), d.minFace()));
             GrabberFrameSource source = GrabberFrameSource.open(SourceSpec.parse(clip.toString()), false, false,
                     Duration.ofSeconds(10))) {
            long index = 0;
            for (var next = source.next(); next.isPresent(); next = source.next(), index++) {
                if (index < 48) {
                    continue;
                }
                DecodedFrame frame = next.get();
                DetectedFace face = FaceChoice.largest(engine.detect(RgbImage.fromBufferedImage(frame.image())));
                if (face != null) {
                    ImageIO.write(frame.image(), "jpg", person.resolve("frame-" + index + ".jpg").toFile());
                    return index;
                }
            }
        }
        throw new AssertionError("no frame of " + clip + " from 2 s on has a face");
    }
}
