package io.facestream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class OptionsTest {

    @Test
    void sourcesAreRecognisedByTheirShape() {
        assertInstanceOf(SourceSpec.Device.class, SourceSpec.parse("/dev/video0"));
        assertInstanceOf(SourceSpec.StreamUrl.class, SourceSpec.parse("rtsp://user:pw@10.0.0.5:554/stream1"));
        assertInstanceOf(SourceSpec.StreamUrl.class, SourceSpec.parse("http://cam.local/mjpeg"));
        assertInstanceOf(SourceSpec.VideoFile.class, SourceSpec.parse("clips/door.mp4"));
        assertInstanceOf(SourceSpec.VideoFile.class, SourceSpec.parse("file:///data/door.mp4"));
        assertEquals("stream rtsp://10.0.0.5:554/stream1", SourceSpec.parse("rtsp://user:pw@10.0.0.5:554/stream1")
                .toString(), "credentials stay out of descriptions");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SourceSpec.parse("ftp://x/y"));
        assertTrue(e.getMessage().startsWith("source scheme \"ftp\" is not supported"), e.getMessage());
    }

    @Test
    void defaultsAndValidation() {
        IngestOptions o = IngestOptions.of("door-1", "clip.mp4");
        assertEquals(90, o.jpegQuality());
        assertEquals(0, o.maxFps());
        assertEquals(Backoff.DEFAULT, o.backoff());
        IllegalArgumentException q = assertThrows(IllegalArgumentException.class, () -> o.withJpegQuality(0));
        assertEquals("JPEG quality of camera door-1 must be 1-100, was 0; 90 is the default", q.getMessage());
        IllegalArgumentException id = assertThrows(IllegalArgumentException.class,
                () -> IngestOptions.of("front door", "clip.mp4"));
        assertTrue(id.getMessage().contains("was \"front door\""), id.getMessage());
        IllegalArgumentException loop = assertThrows(IllegalArgumentException.class,
                () -> IngestOptions.of("cam", "rtsp://h/s").withLoop(true));
        assertTrue(loop.getMessage().startsWith("loop and realtime pacing apply to video files only"), loop.getMessage());
    }

    @Test
    void theRecordLimitDefaultsToTheFramesTopicsAndCannotExceedIt() {
        IngestOptions o = IngestOptions.of("door-1", "clip.mp4");
        assertEquals(10 * 1024 * 1024, o.maxRecordBytes());
        assertEquals(20_000, o.withMaxRecordBytes(20_000).maxRecordBytes());
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> o.withMaxRecordBytes(11 * 1024 * 1024));
        assertEquals("largest frame record of camera door-1 must be 1024-10485760 bytes (the frames topic takes no "
                + "more), was 11534336; 10485760 is the default", big.getMessage());
        assertThrows(IllegalArgumentException.class, () -> o.withMaxRecordBytes(1023));
    }

    @Test
    void backoffDoublesFromOneSecondUpToThirty() {
        List<Long> delays = IntStream.rangeClosed(1, 8).mapToObj(i -> Backoff.DEFAULT.delay(i).toSeconds()).toList();
        assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 30L, 30L, 30L), delays);
        assertEquals(Duration.ofSeconds(30), Backoff.DEFAULT.delay(Integer.MAX_VALUE));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(1)));
    }
}
