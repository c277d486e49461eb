package io.facestream.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.facestream.recognize.eval.Pair;
import io.facestream.recognize.eval.PairsFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code facestream general-pairs} on two short real clips: LFW layout, a readable pairs file, sure negatives. */
class GeneralPairsCommandTest {

    @TempDir
    Path tmp;

    /** The two nine-frame video-call clips of the shared data (two people in one, one in the other). */
    static List<Path> smallClips() {
        String shared = System.getProperty("facestream.shared");
        Path video = Path.of(shared == null ? "../../shared" : shared, "data", "video");
        Path two = video.resolve("openh264_vt2people_320x192_9f.mp4");
        Path one = video.resolve("openh264_men_whisper_640x320_9f.mp4");
        assumeTrue(Files.isRegularFile(two) && Files.isRegularFile(one), "skipped: the shared clips are absent");
        return List.of(two, one);
    }

    @Test
    void buildsAnLfwLayoutSetFromTracks() throws Exception {
        List<Path> clips = smallClips();
        Path out = tmp.resolve("general");
        CliTest.Run r = CliTest.run("general-pairs", "--videos", clips.get(0) + "," + clips.get(1), "--out", out.toString(),
                "--min-gap", "0.2", "--folds", "2", "--per-track", "2", "--min-face-px", "20", "--threads", "2");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("openh264_vt2people_320x192_9f.mp4: 9 frames"), r.out());
        PairsFile pairs = PairsFile.read(out.resolve("pairs.txt"), out);
        pairs.requireImages();
        assertTrue(pairs.pairs().size() >= 4, r.out());
        for (Pair p : pairs.pairs()) {
            String a = p.a().getParent().getFileName().toString();
            String b = p.b().getParent().getFileName().toString();
            if (p.same()) {
                assertEquals(a, b);
            } else {
                // two labels of one clip only when seen in one frame, which the manifest shows
                assertTrue(!a.equals(b), p.toString());
            }
        }
        List<String> manifest = Files.readAllLines(out.resolve("faces.tsv"), StandardCharsets.UTF_8);
        assertEquals("label\tnumber\tclip\tframe\tseconds\tx1\ty1\tx2\ty2\tscore", manifest.get(0));
        assertTrue(Files.readString(out.resolve("people.txt")).contains("openh264_vt2people_320x192_9f_t1\t"));
        CliTest.Run again = CliTest.run("general-pairs", "--videos", clips.get(0).toString(), "--out", out.toString());
        assertEquals(1, again.exit());
        assertTrue(again.err().contains("already holds a general set"), again.err());
    }
}
