package io.facestream.recognize.detect;

import ai.djl.ndarray.NDManager;
import io.facestream.recognize.image.AreaResizer;
import io.facestream.recognize.image.RgbImage;
import io.facestream.recognize.weights.WeightStore;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Prints median detect times of a still resized to 640×360 and 1920×1080 for three P-Net batchings
 * (default, every level on one canvas, one body forward per level), measured in interleaved rounds so
 * that load from other processes hits all alike, plus the time of stage 1 alone.
 * Usage: {@code MtcnnSpeedCheck IMAGE [ROUNDS]}.
 */
public final class MtcnnSpeedCheck {

    private static final long[] ALONE = {PyramidStage.DEFAULT_ALONE_AREA, Long.MAX_VALUE, 0};
    private static final String[] NAMES = {"default", "canvas", "per-level", "stage 1 only"};

    private MtcnnSpeedCheck() {
    }

    public static void main(String[] args) throws Exception {
        RgbImage still = RgbImage.read(Path.of(args[0]));
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        System.out.printf("intra-op threads %s, MALLOC_MMAP_MAX_=%s%n", System.getProperty("ai.djl.pytorch.num_threads"),
                System.getenv("MALLOC_MMAP_MAX_"));
        try (MtcnnNetworks nets = MtcnnNetworks.load(WeightStore.defaultStore())) {
            for (int[] size : new int[][] {{640, 360}, {1920, 1080}}) {
                RgbImage frame = resize(still, size[0], size[1]);
                MtcnnDetector[] d = new MtcnnDetector[ALONE.length];
                for (int k = 0; k < ALONE.length; k++) {
                    d[k] = new MtcnnDetector(nets, false, MtcnnOptions.defaults(), ALONE[k]);
                }
                MtcnnTrace t = d[0].trace(List.of(frame)).get(0);
                System.out.printf("%dx%d: %d stage-1 boxes, %d stage-2 boxes, %d faces%n", size[0], size[1],
                        t.stage1().size(), t.stage2().size(), t.faces().size());
                long[][] ns = new long[NAMES.length][rounds];
                for (int r = -2; r < rounds; r++) {
                    for (int k = 0; k < NAMES.length; k++) {
                        long t0 = System.nanoTime();
                        if (k < ALONE.length) {
                            d[k].detect(frame);
                        } else {
                            try (NDManager m = NDManager.newBaseManager()) {
                                PyramidStage.run(nets, MtcnnOptions.defaults(), List.of(new AreaResizer(frame)), m,
                                        PyramidStage.DEFAULT_ALONE_AREA, new DetectionTimes());
                            }
                        }
                        if (r >= 0) {
                            ns[k][r] = System.nanoTime() - t0;
                        }
                    }
                }
                for (int k = 0; k < NAMES.length; k++) {
                    Arrays.sort(ns[k]);
                    System.out.printf("  %-12s median %6.1f ms  min %6.1f ms%n", NAMES[k], ns[k][rounds / 2] / 1e6,
                            ns[k][0] / 1e6);
                }
            }
        }
    }

    static RgbImage resize(RgbImage img, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        var g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(img.toBufferedImage(), 0, 0, w, h, null);
        g.dispose();
        return RgbImage.fromBufferedImage(out);
    }
}
