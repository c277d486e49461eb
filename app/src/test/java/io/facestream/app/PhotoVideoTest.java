package io.facestream.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.ingest.DecodedFrame;
import io.facestream.ingest.GrabberFrameSource;
import io.facestream.ingest.SourceSpec;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/** A video rendered from LFW photos decodes back, through the ingest's own source, to the pictures that went in. */
class PhotoVideoTest {

    @TempDir Path dir;

    @ParameterizedTest
    @EnumSource(PhotoVideo.Encoder.class)
    void aRenderedVideoDecodesToItsFramesInOrder(PhotoVideo.Encoder encoder) throws Exception {
        List<Path> photos = LfwImages.get("George_W_Bush_0001", "Colin_Powell_0001", "Tony_Blair_0001");
        List<PhotoVideo.Shot> shots = List.of(
                PhotoVideo.shot(6, photos.get(0)),
                PhotoVideo.shot(5, photos.get(1)),
                PhotoVideo.shot(4),
                PhotoVideo.shot(7, photos.get(1), photos.get(2)));
        Path video = PhotoVideo.render(dir.resolve("people." + encoder.container), shots, 25, encoder);

        List<BufferedImage> frames = new ArrayList<>();
        List<Long> timestamps = new ArrayList<>();
        try (GrabberFrameSource source = GrabberFrameSource.open(new SourceSpec.VideoFile(video), false, false,
                Duration.ofSeconds(5))) {
            assertEquals(25, source.frameRate(), 0.01, "frame rate of " + video);
            assertEquals(PhotoVideo.WIDTH, source.width());
            assertEquals(PhotoVideo.HEIGHT, source.height());
            for (Optional<DecodedFrame> f = source.next(); f.isPresent(); f = source.next()) {
                // The source reuses its picture: keep a copy.
                frames.add(copy(f.get().image()));
                timestamps.add(f.get().timestampMicros());
            }
        }
        assertEquals(22, frames.size(), "frames decoded from " + encoder + " video");
        for (int i = 0; i < timestamps.size(); i++) {
            assertEquals(i * 40_000L, timestamps.get(i), 1_000, "timestamp of frame " + i);
        }
        // Every frame looks like the picture of its own shot, and unlike the pictures of the others.
        List<BufferedImage> pictures = shots.stream().map(s -> PhotoVideo.canvas(s.photos())).toList();
        int frame = 0;
        for (int s = 0; s < shots.size(); s++) {
            for (int i = 0; i < shots.get(s).frames(); i++, frame++) {
                double own = meanAbsDiff(frames.get(frame), pictures.get(s));
                assertTrue(own < 4, encoder + " frame " + frame + " differs from its shot " + s + " by " + own);
                for (int other = 0; other < shots.size(); other++) {
                    if (other != s) {
                        double d = meanAbsDiff(frames.get(frame), pictures.get(other));
                        assertTrue(d > own + 5, encoder + " frame " + frame + " of shot " + s + " is as close to shot "
                                + other + " (" + d + ") as to its own (" + own + ")");
                    }
                }
            }
        }
    }

    /** Mean absolute difference per channel, 0-255. */
    private static double meanAbsDiff(BufferedImage a, BufferedImage b) {
        long sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift < 24; shift += 8) {
                    sum += Math.abs(((p >> shift) & 0xff) - ((q >> shift) & 0xff));
                }
            }
        }
        return sum / (3.0 * a.getWidth() * a.getHeight());
    }

    private static BufferedImage copy(BufferedImage image) {
        BufferedImage c = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        c.getGraphics().drawImage(image, 0, 0, null);
        return c;
    }
}
