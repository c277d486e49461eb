package io.facestream.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.ingest.DecodedFrame;
import io.facestream.ingest.GrabberFrameSource;
import io.facestream.ingest.SourceSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A labelled folder rendered as a camera video: people one after another, light in small steps. */
class RenderCommandTest {

    @TempDir
    Path dir;

    @Test
    void photosWalkFromFrontalLightToTheNearestDirectionEachTime() {
        Path a = Path.of("p/p_0001.jpg");
        Path b = Path.of("p/p_0002.jpg");
        Path c = Path.of("p/p_0003.jpg");
        Path d = Path.of("p/p_0004.jpg");
        Path none = Path.of("p/p_0005.jpg");
        Map<String, double[]> light = Map.of(
                "p/p_0001.jpg", new double[] {70, 0},
                "p/p_0002.jpg", new double[] {-10, 5},
                "p/p_0003.jpg", new double[] {-60, 10},
                "p/p_0004.jpg", new double[] {20, 0});
        // frontal first (-10,5), then 20,0 (30 away; -60,10 is 50 away), then 70,0, then -60,10; no angles last
        assertEquals(List.of(b, d, a, c, none), RenderCommand.order(List.of(a, b, c, d, none), light));
    }

    @Test
    void everyPhotoIsAFrameAndEveryPersonEndsWithTheGap() throws Exception {
        List<Path> lfw = LfwImages.get("George_W_Bush_0001", "George_W_Bush_0002", "Tony_Blair_0001");
        Path images = dir.resolve("set");
        Files.createDirectories(images.resolve("bush"));
        Files.createDirectories(images.resolve("blair"));
        Files.copy(lfw.get(0), images.resolve("bush/bush_0001.jpg"));
        Files.copy(lfw.get(1), images.resolve("bush/bush_0002.jpg"));
        Files.copy(lfw.get(2), images.resolve("blair/blair_0001.jpg"));
        Files.writeString(dir.resolve("people.txt"), "bush\t2\n\nblair\t1\n");
        Path out = dir.resolve("set.mp4");
        CliTest.Run run = CliTest.run("render", "--images", images.toString(), "--people",
                dir.resolve("people.txt").toString(), "--out", out.toString(), "--frames-per-photo", "2", "--gap", "3");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("2 people, 3 photos, 12 frames of 640x360"), run.out());
        int frames = 0;
        try (GrabberFrameSource source = GrabberFrameSource.open(new SourceSpec.VideoFile(out), false, false,
                Duration.ofSeconds(10))) {
            for (Optional<DecodedFrame> f = source.next(); f.isPresent(); f = source.next()) {
                frames++;
            }
        }
        assertEquals(2 * 2 + 3 + 2 + 3, frames);
    }

    @Test
    void theCanvasAroundThePhotosHasTheGreyLevelAsked() throws Exception {
        Path images = dir.resolve("one");
        Files.createDirectories(images.resolve("bush"));
        Files.copy(LfwImages.get("George_W_Bush_0001").get(0), images.resolve("bush/bush_0001.jpg"));
        // 0 is the default: the first render leaves the option out.
        for (int level : new int[] {0, 112}) {
            Path out = dir.resolve("bg" + level + ".mp4");
            List<String> args = new java.util.ArrayList<>(List.of("render", "--images", images.toString(), "--out",
                    out.toString(), "--gap", "0"));
            if (level != 0) {
                args.addAll(List.of("--background", String.valueOf(level)));
            }
            CliTest.Run run = CliTest.run(args.toArray(String[]::new));
            assertEquals(0, run.exit(), run.err());
            try (GrabberFrameSource source = GrabberFrameSource.open(new SourceSpec.VideoFile(out), false, false,
                    Duration.ofSeconds(10))) {
                java.awt.image.BufferedImage frame = source.next().orElseThrow().image();
                int corner = frame.getRGB(5, 5) & 0xff;
                // Limited-range YUV moves a grey level by up to 3 on its way through the codec.
                assertEquals(level, corner, 4, "canvas corner for --background " + level);
            }
        }
        CliTest.Run bad = CliTest.run("render", "--images", images.toString(), "--out", dir.resolve("x.mp4").toString(),
                "--background", "300");
        assertTrue(bad.exit() != 0 && bad.err().contains("0..255"), bad.err());
    }
}
