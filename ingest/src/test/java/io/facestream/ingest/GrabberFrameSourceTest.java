package io.facestream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GrabberFrameSourceTest {

    @TempDir Path tmp;

    private static GrabberFrameSource open(Path file) {
        return GrabberFrameSource.open(new SourceSpec.VideoFile(file), false, false, Duration.ofSeconds(5));
    }

    @Test
    void readsTheWholeTenSecondClipWithPlausibleSizesAndTimestamps() {
        Path clip = SharedVideos.video(SharedVideos.TEARS_640);
        List<Long> timestamps = new ArrayList<>();
        double rate;
        long started = System.nanoTime();
        try (GrabberFrameSource source = open(clip)) {
            rate = source.frameRate();
            for (Optional<DecodedFrame> f = source.next(); f.isPresent(); f = source.next()) {
                assertEquals(640, f.get().width());
                assertEquals(360, f.get().height());
                timestamps.add(f.get().timestampMicros());
            }
        }
        System.out.printf("%s: %d frames at %.3f fps, last at %.3f s, read in %d ms%n", SharedVideos.TEARS_640,
                timestamps.size(), rate, timestamps.get(timestamps.size() - 1) / 1e6,
                (System.nanoTime() - started) / 1_000_000);
        int n = timestamps.size();
        assertTrue(n >= 240 && n <= 250, "a 10 s clip at 24/25 fps has 240-250 frames, read " + n);
        assertTrue(rate >= 23.9 && rate <= 25.1, "frame rate should be 24 or 25, was " + rate);
        assertEquals(0, timestamps.get(0), "timestamps count from the first frame");
        for (int i = 1; i < n; i++) {
            long step = timestamps.get(i) - timestamps.get(i - 1);
            // One frame at 24-25 fps is 40-41.7 ms; allow a little rounding of the container's time base.
            assertTrue(step >= 39_000 && step <= 42_700, "frame " + i + " came " + step + " us after the one before");
        }
        assertTrue(timestamps.get(n - 1) < 10_100_000, "last frame at " + timestamps.get(n - 1) + " us");
    }

    @Test
    void aCapAtHalfTheFrameRateKeepsEveryOtherFrame() {
        Path clip = SharedVideos.video(SharedVideos.TEARS_640);
        int n = 0;
        FrameRateCap cap;
        try (GrabberFrameSource source = open(clip)) {
            cap = new FrameRateCap(source.frameRate() / 2);
            for (Optional<DecodedFrame> f = source.next(); f.isPresent(); f = source.next()) {
                n++;
                cap.admit(f.get().timestampMicros());
            }
        }
        // Frames 0, 2, 4, ... pass: ceil(n / 2) of them.
        assertEquals((n + 1) / 2, cap.passed(), "frames passed of " + n);
        assertEquals(n / 2, cap.dropped(), "frames dropped of " + n);
    }

    @Test
    void loopingRunsPastTheEndWithTimestampsGoingOn() {
        Path clip = SharedVideos.video(SharedVideos.TEARS_640);
        int perLoop;
        try (GrabberFrameSource source = open(clip)) {
            int n = 0;
            while (source.next().isPresent()) {
                n++;
            }
            perLoop = n;
        }
        try (GrabberFrameSource source = GrabberFrameSource.open(new SourceSpec.VideoFile(clip), true, false,
                Duration.ofSeconds(5))) {
            long last = -1;
            for (int i = 0; i < perLoop + 10; i++) {
                DecodedFrame f = source.next().orElseThrow();
                assertTrue(f.timestampMicros() > last, "frame " + i + " went back in time");
                last = f.timestampMicros();
            }
            assertTrue(last > 10_000_000, "10 frames into the second loop should be past 10 s, was " + last + " us");
        }
    }

    @Test
    void aCorruptFileFailsWithASentenceNamingIt() throws Exception {
        Path junk = tmp.resolve("junk.mp4");
        byte[] bytes = new byte[64 * 1024];
        new Random(7).nextBytes(bytes);
        Files.write(junk, bytes);
        FrameSourceException e = assertThrows(FrameSourceException.class, () -> open(junk).close());
        assertTrue(e.getMessage().startsWith("could not open video file " + junk), e.getMessage());
        assertTrue(e.getMessage().contains("ffprobe"), e.getMessage());
        assertTrue(e.permanent());
    }

    @Test
    void aCameraThatRefusesTheConnectionIsSaidSoInWords() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        URI url = URI.create("rtsp://127.0.0.1:" + port + "/cam");
        FrameSourceException e = assertThrows(FrameSourceException.class,
                () -> GrabberFrameSource.open(new SourceSpec.StreamUrl(url), false, false, Duration.ofSeconds(5)).close());
        assertEquals("could not open stream " + url + ": connection refused (nothing listens at that address and port)"
                + " (FFmpeg avformat_open_input error -111). Check that the URL, the credentials and the network path to"
                + " the camera are right", e.getMessage());
        assertFalse(e.permanent(), "a camera may come back");
    }

    @Test
    void javaCvsNotesToItsProgrammersAreDroppedAndUnknownCodesKept() {
        assertEquals("invalid data (not a video FFmpeg can read, or a damaged one) (FFmpeg avformat_open_input error -1094995529)",
                GrabberFrameSource.describe("avformat_open_input() error -1094995529: Could not open input \"/x.mp4\"."
                        + " (Has setFormat() been called?) (For more details, make sure FFmpegLogCallback.set() has been called.)"));
        assertEquals("avformat_find_stream_info() error -42: Could not find stream information",
                GrabberFrameSource.describe("avformat_find_stream_info() error -42: Could not find stream information."));
        assertEquals("FFmpeg gave no reason", GrabberFrameSource.describe(null));
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = tmp.resolve("no-such-video.mp4");
        FrameSourceException e = assertThrows(FrameSourceException.class, () -> open(missing));
        assertEquals("video file " + missing.toAbsolutePath() + " does not exist or is not a regular file; "
                + "give the path of a readable video file", e.getMessage());
    }
}
