package io.facestream.app.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.app.SampleMedia;
import io.facestream.ingest.DecodedFrame;
import io.facestream.ingest.FrameSourceException;
import io.facestream.ingest.GrabberFrameSource;
import io.facestream.ingest.JpegEncoder;
import io.facestream.ingest.SourceSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The fault run's network camera, read by the ingest's own FFmpeg source: it streams, it can be cut, it comes back. */
class MjpegCameraTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Test
    void theIngestSourceReadsTheStreamLosesItWhenCutAndReadsItAgainAfterwards() throws Exception {
        List<byte[]> frames = new ArrayList<>();
        int width;
        try (GrabberFrameSource clip = GrabberFrameSource.open(SourceSpec.parse(SampleMedia.defaults().video().toString()),
                false, false, TIMEOUT); JpegEncoder jpeg = new JpegEncoder(JpegEncoder.DEFAULT_QUALITY)) {
            width = clip.width();
            for (Optional<DecodedFrame> f = clip.next(); f.isPresent(); f = clip.next()) {
                frames.add(jpeg.encode(f.get().image()));
            }
        }
        try (MjpegCamera camera = MjpegCamera.start(frames, 20)) {
            SourceSpec spec = SourceSpec.parse(camera.url());
            try (GrabberFrameSource source = GrabberFrameSource.open(spec, false, false, TIMEOUT)) {
                for (int i = 0; i < 3; i++) {
                    assertEquals(width, source.next().orElseThrow().width());
                }
                camera.goDark();
                // What FFmpeg had buffered may still come; then the stream ends or fails.
                boolean ended = false;
                for (int i = 0; i < 200 && !ended; i++) {
                    try {
                        ended = source.next().isEmpty();
                    } catch (FrameSourceException e) {
                        ended = true;
                    }
                }
                assertTrue(ended, "the stream went on after the cut");
                assertThrows(FrameSourceException.class, () -> GrabberFrameSource.open(spec, false, false, TIMEOUT)
                        .close(), "the camera answered while cut off");
                camera.comeBack();
            }
            try (GrabberFrameSource again = GrabberFrameSource.open(spec, false, false, TIMEOUT)) {
                assertEquals(width, again.next().orElseThrow().width());
            }
            // the count follows the write a moment after the reader has the frame
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (camera.framesServed() <= 3 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(camera.framesServed() > 3, "served " + camera.framesServed());
        }
    }
}
