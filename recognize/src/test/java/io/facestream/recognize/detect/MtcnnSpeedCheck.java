package io.facestream.recognize.detect;

import io.facestream.recognize.image.RgbImage;
import io.facestream.recognize.weights.WeightStore;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Prints the median detect time of a still resized to 640×360 and 1920×1080: default P-Net batching,
 * every level on one canvas, and one body forward per level. Usage: {@code MtcnnSpeedCheck IMAGE [REPEATS]}.
 */
public final class MtcnnSpeedCheck {

    private MtcnnSpeedCheck() {
    }

    public static void main(String[] args) throws Exception {
        RgbImage still = RgbImage.read(Path.of(args[0]));
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        System.out.printf("intra-op threads %s, MALLOC_MMAP_MAX_=%s%n", System.getProperty("ai.djl.pytorch.num_threads"),
                System.getenv("MALLOC_MMAP_MAX_"));
        try (MtcnnNetworks nets = MtcnnNetworks.load(WeightStore.defaultStore())) {
            for (int[] size : new int[][] {{640, 360}, {1920, 1080}}) {
                RgbImage frame = resize(still, size[0], size[1]);
                for (long alone : new long[] {PyramidStage.DEFAULT_ALONE_AREA, Long.MAX_VALUE, 0}) {
                    MtcnnDetector d = new MtcnnDetector(nets, false, MtcnnOptions.defaults(), alone);
                    MtcnnTrace t = d.trace(java.util.List.of(frame)).get(0);
                    int faces = t.faces().size();
                    System.out.printf("  stage-1 boxes %d, stage-2 boxes %d%n", t.stage1().size(), t.stage2().size());
                    for (int i = 0; i < 2; i++) {
                        d.detect(frame);
                    }
                    long[] ns = new long[repeats];
                    for (int i = 0; i < repeats; i++) {
                        long t0 = System.nanoTime();
                        d.detect(frame);
                        ns[i] = System.nanoTime() - t0;
                    }
                    Arrays.sort(ns);
                    System.out.printf("%dx%d %-9s faces %d  median %.1f ms  min %.1f ms  max %.1f ms%n", size[0],
                            size[1], alone == 0 ? "per-level" : alone == Long.MAX_VALUE ? "canvas" : "default", faces, ns[repeats / 2] / 1e6, ns[0] / 1e6,
                            ns[repeats - 1] / 1e6);
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
