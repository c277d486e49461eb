package io.facestream.recognize.detect;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.facestream.recognize.image.AreaResizer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Stage 1 of MTCNN: the image pyramid through P-Net, candidate boxes per level, and the NMS of
 * README §6 stage 1 (its regression and squaring are left to the caller).
 *
 * <p>conv1 and the ceil-mode pool run per level (pooling an odd-sized map pads it with −∞, which a
 * shared canvas could not reproduce). The pooled maps of the small levels of all images are then
 * packed into one zero-filled canvas and the rest of P-Net runs once for them: its convolutions are
 * VALID, so every output whose receptive field lies inside one level's region equals that level's
 * standalone output, and only those outputs are read back. The large levels run alone (see
 * {@link #DEFAULT_ALONE_AREA}).
 */
final class PyramidStage {

    /** P-Net's receptive field and stride in input pixels (the 12×12 cell of Zhang et al.). */
    static final int CELL = 12;
    static final int STRIDE = 2;
    /** conv2 and conv3 are 3×3 VALID: the body's output is 4 smaller than its input on each axis. */
    private static final int BODY_SHRINK = 4;
    private static final int STEM_CHANNELS = 10;

    /**
     * Levels whose pooled map has more pixels than this run the body alone; the smaller ones share one
     * canvas. Large levels gain nothing from sharing (per-call overhead is negligible next to their
     * convolutions), while packing them pads the canvas by a quarter. Measured with MtcnnSpeedCheck on
     * 2 shared cores (±20 % noise): one canvas for all levels was 1.2–1.5× slower at 1920×1080; this
     * split and one forward per level were within noise of each other at 640×360 and 1920×1080.
     */
    static final long DEFAULT_ALONE_AREA = 5_000;

    private PyramidStage() {
    }

    /** Pyramid scales (README §6: repeated multiplication, not powers). */
    static double[] scales(int height, int width, MtcnnOptions o) {
        List<Double> out = new ArrayList<>();
        double m = (double) CELL / o.minFaceSize();
        double minl = Math.min(height, width) * m;
        double s = m;
        while (minl >= CELL) {
            out.add(s);
            s = s * o.scaleFactor();
            minl = minl * o.scaleFactor();
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** One pyramid level of one image. */
    private static final class Level {
        final int image;
        final double scale;
        final int hs;
        final int ws;
        NDArray pooled;
        int ph;
        int pw;
        List<Candidate> found;

        Level(int image, double scale, int hs, int ws) {
            this.image = image;
            this.scale = scale;
            this.hs = hs;
            this.ws = ws;
        }
    }

    /**
     * Runs stage 1 on every image; returns per image the candidates after the within-level NMS,
     * concatenated in scale order. Levels with a pooled map larger than {@code aloneArea} pixels run
     * the body alone (0: every level alone; {@code Long.MAX_VALUE}: all levels on one canvas). The time
     * of the resizing, the network and the candidate boxes is added to {@code times}.
     */
    static List<List<Candidate>> run(MtcnnNetworks nets, MtcnnOptions o, List<AreaResizer> images, NDManager m,
            long aloneArea, DetectionTimes times) {
        return run(nets, o, images, m, aloneArea, times, level -> true);
    }

    /**
     * Which of {@code parts} parts each level of a pyramid belongs to, so that each part's P-Net work (the area of its
     * levels) is about a {@code parts}th of the whole: levels in order, a new part whenever the next level would take
     * the current one past its share. The largest level is about half the pyramid's area (the scale factor 0.709
     * halves the area per level), so with more than one part it is a part of its own, and the last parts may be
     * empty.
     */
    static int[] parts(double[] scales, int parts) {
        double total = 0;
        for (double s : scales) {
            total += s * s;
        }
        double share = total / parts;
        int[] out = new int[scales.length];
        int part = 0;
        double sum = 0;
        for (int i = 0; i < scales.length; i++) {
            double a = scales[i] * scales[i];
            if (sum > 0 && sum + a > share * 1.0001 && part < parts - 1) {
                part++;
                sum = 0;
            }
            out[i] = part;
            sum += a;
        }
        return out;
    }

    /**
     * {@link #run(MtcnnNetworks, MtcnnOptions, List, NDManager, long, DetectionTimes)} on the levels that
     * {@code accepted} takes (indices into {@link #scales}, 0 the largest).
     */
    static List<List<Candidate>> run(MtcnnNetworks nets, MtcnnOptions o, List<AreaResizer> images, NDManager m,
            long aloneArea, DetectionTimes times, IntPredicate accepted) {
        long t = System.nanoTime();
        List<Level> levels = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            AreaResizer img = images.get(i);
            double[] scales = scales(img.height(), img.width(), o);
            for (int k = 0; k < scales.length; k++) {
                if (accepted.test(k)) {
                    double s = scales[k];
                    levels.add(new Level(i, s, (int) Math.ceil(img.height() * s), (int) Math.ceil(img.width() * s)));
                }
            }
        }
        ParameterStore ps = new ParameterStore(m, false);
        for (Level l : levels) {
            AreaResizer img = images.get(l.image);
            float[] in = new float[3 * l.hs * l.ws];
            img.resize(0, 0, img.width(), img.height(), l.ws, l.hs, MtcnnDetector.PIXEL_OFFSET,
                    MtcnnDetector.PIXEL_SCALE, in, 0);
            t = times.lap(DetectionTimes.Stage.PYRAMID, t);
            NDArray x = m.create(in, new Shape(1, 3, l.hs, l.ws));
            l.pooled = nets.pnetStem().forward(ps, new NDList(x), false).singletonOrThrow();
            l.ph = (int) l.pooled.getShape().get(2);
            l.pw = (int) l.pooled.getShape().get(3);
            t = times.lap(DetectionTimes.Stage.PNET, t);
        }
        List<List<Candidate>> out = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            out.add(new ArrayList<>());
        }
        if (levels.isEmpty()) {
            return out;
        }
        List<Level> shared = new ArrayList<>();
        for (Level l : levels) {
            if ((long) l.ph * l.pw <= aloneArea) {
                shared.add(l);
            } else {
                Maps maps = Maps.of(nets.pnetBody().forward(ps, new NDList(l.pooled), false));
                t = times.lap(DetectionTimes.Stage.PNET, t);
                l.found = candidates(l, maps, 0, 0, o);
                t = times.lap(DetectionTimes.Stage.PNET_BOXES, t);
            }
        }
        if (!shared.isEmpty()) {
            int[] hs = shared.stream().mapToInt(l -> l.ph).toArray();
            int[] ws = shared.stream().mapToInt(l -> l.pw).toArray();
            MosaicLayout layout = MosaicLayout.pack(hs, ws);
            NDArray canvas = m.zeros(new Shape(1, STEM_CHANNELS, layout.height(), layout.width()));
            for (int k = 0; k < shared.size(); k++) {
                Level l = shared.get(k);
                canvas.set(new NDIndex(":, :, {}:{}, {}:{}", layout.y(k), layout.y(k) + l.ph, layout.x(k),
                        layout.x(k) + l.pw), l.pooled);
            }
            Maps maps = Maps.of(nets.pnetBody().forward(ps, new NDList(canvas), false));
            t = times.lap(DetectionTimes.Stage.PNET, t);
            for (int k = 0; k < shared.size(); k++) {
                Level l = shared.get(k);
                l.found = candidates(l, maps, layout.y(k), layout.x(k), o);
            }
            times.lap(DetectionTimes.Stage.PNET_BOXES, t);
        }
        for (Level l : levels) {
            out.get(l.image).addAll(l.found); // scale order within each image
        }
        return out;
    }

    /** The P-Net output maps copied to Java: channel-planar, {@code h × w} per channel. */
    record Maps(float[] logits, float[] prob, float[] reg, int h, int w) {
        static Maps of(NDList out) {
            Shape s = out.get(1).getShape();
            return new Maps(out.get(0).toFloatArray(), out.get(1).toFloatArray(), out.get(2).toFloatArray(),
                    (int) s.get(2), (int) s.get(3));
        }
    }

    /** Candidates of one level, enumerated row-major, after the within-level NMS. */
    private static List<Candidate> candidates(Level l, Maps maps, int top, int left, MtcnnOptions o) {
        int plane = maps.h() * maps.w();
        int rows = l.ph - BODY_SHRINK;
        int cols = l.pw - BODY_SHRINK;
        double s = l.scale;
        List<Candidate> found = new ArrayList<>();
        for (int y = 0; y < rows; y++) {
            for (int x = 0; x < cols; x++) {
                int idx = (top + y) * maps.w() + left + x;
                float p = maps.prob()[plane + idx];
                if (p >= o.pnetThreshold()) {
                    Candidate c = new Candidate(BoxOps.trunc((STRIDE * x + 1) / s), BoxOps.trunc((STRIDE * y + 1) / s),
                            BoxOps.trunc((STRIDE * x + CELL) / s), BoxOps.trunc((STRIDE * y + CELL) / s));
                    c.score = p;
                    c.margin = (double) maps.logits()[plane + idx] - maps.logits()[idx];
                    for (int k = 0; k < 4; k++) {
                        c.reg[k] = maps.reg()[k * plane + idx];
                    }
                    found.add(c);
                }
            }
        }
        return BoxOps.nms(found, o.pnetScaleNms(), BoxOps.Overlap.IOU);
    }
}
