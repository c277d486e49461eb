package io.facestream.recognize.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.facestream.recognize.image.AreaResizer;
import io.facestream.recognize.image.RgbImage;
import io.facestream.recognize.testing.SharedData;
import io.facestream.recognize.weights.WeightStore;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shared P-Net canvas gives the same stage-1 candidates as running every pyramid level alone. */
class PnetMosaicTest {

    static MtcnnNetworks nets;

    @BeforeAll
    static void load() {
        nets = MtcnnNetworks.load(WeightStore.defaultStore());
    }

    @AfterAll
    static void close() {
        if (nets != null) {
            nets.close();
        }
    }

    @Test
    void canvasEqualsPerLevelRuns() throws Exception {
        RgbImage a = RgbImage.read(SharedData.require("data/stills/dlib_faces/2008_002470.jpg"));
        RgbImage b = RgbImage.read(SharedData.require("data/stills/dlib_faces/2009_004587.jpg"));
        // a low threshold keeps many candidates, so many output positions of every level are compared
        MtcnnOptions o = MtcnnOptions.defaults().withThresholds(0.05, 0.7, 0.7);
        List<AreaResizer> imgs = List.of(new AreaResizer(a), new AreaResizer(b));
        try (NDManager m = NDManager.newBaseManager()) {
            List<List<Candidate>> canvas = PyramidStage.run(nets, o, imgs, m, Long.MAX_VALUE, new DetectionTimes());
            List<List<Candidate>> alone = PyramidStage.run(nets, o, imgs, m, 0, new DetectionTimes());
            double maxReg = 0;
            double maxScore = 0;
            double maxMargin = 0;
            int total = 0;
            for (int i = 0; i < imgs.size(); i++) {
                assertEquals(alone.get(i).size(), canvas.get(i).size(), "candidates of image " + i);
                for (int k = 0; k < alone.get(i).size(); k++) {
                    Candidate x = alone.get(i).get(k);
                    Candidate y = canvas.get(i).get(k);
                    assertEquals(x.x1, y.x1);
                    assertEquals(x.y1, y.y1);
                    assertEquals(x.x2, y.x2);
                    assertEquals(x.y2, y.y2);
                    maxScore = Math.max(maxScore, Math.abs(x.score - y.score));
                    maxMargin = Math.max(maxMargin, Math.abs(x.margin - y.margin));
                    for (int r = 0; r < 4; r++) {
                        maxReg = Math.max(maxReg, Math.abs(x.reg[r] - y.reg[r]));
                    }
                }
                total += alone.get(i).size();
            }
            System.out.printf("canvas vs per level: %d candidates, max diff prob %.3g, margin %.3g, reg %.3g%n",
                    total, maxScore, maxMargin, maxReg);
            assertTrue(total > 100, "too few candidates to compare: " + total);
            assertTrue(maxScore <= 1e-5 && maxReg <= 1e-5 && maxMargin <= 1e-4);
        }
    }

    @Test
    void layoutHasNoOverlaps() {
        int[] hs = {107, 76, 54, 38, 27, 19, 14, 10, 7, 5, 150, 5};
        int[] ws = {191, 136, 96, 68, 48, 34, 24, 17, 12, 8, 20, 6};
        MosaicLayout l = MosaicLayout.pack(hs, ws);
        long area = 0;
        for (int i = 0; i < hs.length; i++) {
            area += (long) hs[i] * ws[i];
            assertTrue(l.x(i) >= 0 && l.y(i) >= 0 && l.x(i) + ws[i] <= l.width() && l.y(i) + hs[i] <= l.height());
            for (int j = 0; j < i; j++) {
                boolean apart = l.x(i) + ws[i] <= l.x(j) || l.x(j) + ws[j] <= l.x(i)
                        || l.y(i) + hs[i] <= l.y(j) || l.y(j) + hs[j] <= l.y(i);
                assertTrue(apart, "rectangles " + i + " and " + j + " overlap");
            }
        }
        System.out.printf("canvas %dx%d, fill %.2f%n", l.width(), l.height(), area / (double) (l.width() * l.height()));
    }
}
