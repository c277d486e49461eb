package io.facestream.recognize.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.BoundingBox;
import io.facestream.core.DetectedFace;
import io.facestream.recognize.detect.MtcnnDetector;
import io.facestream.recognize.detect.MtcnnOptions;
import io.facestream.recognize.image.RgbImage;
import io.facestream.recognize.testing.Images;
import io.facestream.recognize.testing.SharedData;
import io.facestream.recognize.track.KeyframeDetector.Kind;
import io.facestream.recognize.weights.WeightStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** On real faces that move, and across a cut, following finds what a full detection of every frame finds. */
class KeyframeDetectorPhotoTest {

    static MtcnnDetector mtcnn;

    @BeforeAll
    static void load() {
        mtcnn = MtcnnDetector.load(WeightStore.defaultStore(), MtcnnOptions.defaults());
    }

    @AfterAll
    static void close() {
        if (mtcnn != null) {
            mtcnn.close();
        }
    }

    static KeyframeDetector keyframes(int every) {
        return new KeyframeDetector(new KeyframeDetector.Detector() {
            @Override
            public List<DetectedFace> detect(RgbImage image) {
                return mtcnn.detect(image);
            }

            @Override
            public List<DetectedFace> redetect(RgbImage image, List<BoundingBox> near) {
                return mtcnn.redetect(image, near);
            }
        }, every);
    }

    @Test
    void movingFacesAreFollowedAndACutIsDetectedAgain() throws Exception {
        RgbImage group = RgbImage.read(SharedData.require("data/stills/facenet-pytorch_multiface.jpg"));
        RgbImage selfie = RgbImage.read(SharedData.require("data/stills/retinaface_worlds_largest_selfie.jpg"));
        List<RgbImage> frames = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            frames.add(Images.shifted(group, 2 * i, -i)); // a slow pan
        }
        RgbImage cut = Images.shifted(selfie, 0, 0);
        if (cut.width() != group.width() || cut.height() != group.height()) {
            cut = crop(selfie, group.width(), group.height());
        }
        frames.add(cut);
        KeyframeDetector d = keyframes(5);
        List<Kind> kinds = new ArrayList<>();
        int atKeyFrame = 0;
        for (int i = 0; i < frames.size(); i++) {
            KeyframeDetector.Result r = d.detect("cam", i + 1, frames.get(i));
            kinds.add(r.kind());
            List<DetectedFace> full = mtcnn.detect(frames.get(i));
            if (r.kind() == Kind.FULL) {
                assertEquals(full, r.faces(), "frame " + (i + 1) + " was detected fully");
                atKeyFrame = full.size();
                continue;
            }
            // Every face of the last key frame is still followed, and each is where a full detection puts one
            // (a face that the pan brings over the detector's threshold waits for the next key frame).
            assertEquals(atKeyFrame, r.faces().size(), "faces followed in frame " + (i + 1));
            for (DetectedFace f : r.faces()) {
                double best = full.stream().mapToDouble(k -> k.box().iou(f.box())).max().orElse(0);
                assertTrue(best > 0.7, "frame " + (i + 1) + ": followed " + f.box() + " is off a full detection's box,"
                        + " IoU " + best);
            }
        }
        // 1: first frame, 5: key frame, 9: the cut to another picture
        assertEquals(List.of(Kind.FULL, Kind.FOLLOWED, Kind.FOLLOWED, Kind.FOLLOWED, Kind.FULL, Kind.FOLLOWED,
                Kind.FOLLOWED, Kind.FOLLOWED, Kind.FULL), kinds);
    }

    /** The top-left {@code w}×{@code h} of the image, padded with black where it is smaller. */
    static RgbImage crop(RgbImage in, int w, int h) {
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < Math.min(h, in.height()); y++) {
            System.arraycopy(in.pixels(), 3 * y * in.width(), out, 3 * y * w, 3 * Math.min(w, in.width()));
        }
        return new RgbImage(w, h, out);
    }
}
