package io.facestream.recognize.detect;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.facestream.core.BoundingBox;
import io.facestream.core.DetectedFace;
import io.facestream.core.Landmarks;
import io.facestream.recognize.image.AreaResizer;
import io.facestream.recognize.image.RgbImage;
import io.facestream.recognize.weights.WeightStore;
import java.util.ArrayList;
import java.util.List;

/**
 * The MTCNN face detector: the three-stage pipeline of README §6 on {@link MtcnnNetworks}.
 *
 * <p>Thread-safe: the networks are read-only after loading and every call runs under its own
 * {@link NDManager}, closed before it returns, so nothing accumulates in the model's manager. On two
 * cores, one detector shared by two threads with one intra-op thread each
 * ({@code -Dai.djl.pytorch.num_threads=1}) is the expected layout: with two intra-op threads on two
 * cores already busy with other work, a 640×360 frame took 10× longer.
 */
public final class MtcnnDetector implements AutoCloseable {

    /** README §3: MTCNN input is {@code (v − 127.5) · 0.0078125}. */
    static final double PIXEL_OFFSET = 127.5;
    static final double PIXEL_SCALE = 0.0078125;
    private static final int RNET_SIZE = 24;
    private static final int ONET_SIZE = 48;

    private final MtcnnNetworks nets;
    private final boolean ownsNets;
    private final MtcnnOptions options;
    private final long aloneArea;

    MtcnnDetector(MtcnnNetworks nets, boolean ownsNets, MtcnnOptions options, long aloneArea) {
        this.nets = nets;
        this.ownsNets = ownsNets;
        this.options = options;
        this.aloneArea = aloneArea;
    }

    /** A detector on shared networks; closing it leaves the networks open. */
    public MtcnnDetector(MtcnnNetworks nets, MtcnnOptions options) {
        this(nets, false, options, PyramidStage.DEFAULT_ALONE_AREA);
    }

    /** The device the networks run on. */
    public Device device() {
        return nets.device();
    }

    /** Loads the weights from the store and owns them. */
    public static MtcnnDetector load(WeightStore store, MtcnnOptions options) {
        return load(store, options, null);
    }

    /** As {@link #load(WeightStore, MtcnnOptions)}, with the networks on {@code device} ({@code null}: the default). */
    public static MtcnnDetector load(WeightStore store, MtcnnOptions options, Device device) {
        return new MtcnnDetector(MtcnnNetworks.load(store, device), true, options, PyramidStage.DEFAULT_ALONE_AREA);
    }

    /**
     * A detector on the same networks whose three stages keep candidates at these thresholds; closing it leaves the
     * networks open. No weights are loaded again.
     */
    public MtcnnDetector withThresholds(double pnet, double rnet, double onet) {
        return new MtcnnDetector(nets, false, options.withThresholds(pnet, rnet, onet), aloneArea);
    }

    /** The settings in use. */
    public MtcnnOptions options() {
        return options;
    }

    /** Faces in one image, 0-based pixel coordinates, in the order of the final NMS. */
    public List<DetectedFace> detect(RgbImage image) {
        return detect(image, new DetectionTimes());
    }

    /** {@link #detect(RgbImage)}, adding the time of each stage to {@code times}. */
    public List<DetectedFace> detect(RgbImage image, DetectionTimes times) {
        return trace(List.of(image), times).get(0).faces();
    }

    /** Faces in several images at once (one P-Net canvas, shared R-Net and O-Net batches); one list per image. */
    public List<List<DetectedFace>> detect(List<RgbImage> images) {
        return trace(images, new DetectionTimes()).stream().map(MtcnnTrace::faces).toList();
    }

    /** The full pipeline with its intermediate boxes. */
    List<MtcnnTrace> trace(List<RgbImage> images) {
        return trace(images, new DetectionTimes());
    }

    private List<MtcnnTrace> trace(List<RgbImage> images, DetectionTimes times) {
        disableGradientOnThisThread();
        times.countCall();
        long t = System.nanoTime();
        List<AreaResizer> resizers = images.stream().map(AreaResizer::new).toList();
        times.lap(DetectionTimes.Stage.PYRAMID, t);
        int n = images.size();
        try (NDManager m = NDManager.newBaseManager(nets.device())) {
            List<List<Candidate>> levels = PyramidStage.run(nets, options, resizers, m, aloneArea, times);
            t = System.nanoTime();
            List<List<Candidate>> stage1 = stageOne(levels);
            times.lap(DetectionTimes.Stage.PNET_BOXES, t);
            List<List<Candidate>> stage2 = stageTwo(stage1, resizers, m, times);
            List<List<Candidate>> stage3 = stageThree(stage2, resizers, m, times);
            t = System.nanoTime();
            List<MtcnnTrace> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(new MtcnnTrace(PyramidStage.scales(images.get(i).height(), images.get(i).width(), options),
                        rows(stage1.get(i)), rows(stage2.get(i)), rows(stage3.get(i)), faces(stage3.get(i))));
            }
            times.lap(DetectionTimes.Stage.BOXES, t);
            return out;
        }
    }

    /**
     * Faces near known boxes (the faces of a recent frame of the same camera), without the P-Net pyramid: each
     * box, and the box grown by {@link #REDETECT_GROWTH} about its centre to catch a face that moved or came
     * closer, goes to R-Net and O-Net as a stage-one proposal, with the usual thresholds, regressions and NMS. A
     * face that left its box is not found, and a face that was not among {@code near} is never found: callers run
     * the full {@link #detect(RgbImage)} every few frames and {@link #searchNear} where a face is lost. Costs one
     * small R-Net and one small O-Net batch instead of the pyramid, which is most of the time of a full detection.
     */
    public List<DetectedFace> redetect(RgbImage image, List<BoundingBox> near) {
        if (near.isEmpty()) {
            return List.of();
        }
        disableGradientOnThisThread();
        DetectionTimes times = new DetectionTimes();
        List<AreaResizer> resizers = List.of(new AreaResizer(image));
        try (NDManager m = NDManager.newBaseManager(nets.device())) {
            List<List<Candidate>> stage2 = stageTwo(List.of(proposals(near)), resizers, m, times);
            return faces(stageThree(stage2, resizers, m, times).get(0));
        }
    }

    /**
     * Faces near known boxes, as {@link #redetect}, and anywhere at the scales of one part of the pyramid: P-Net runs
     * on the levels of part {@code part} of {@code parts} ({@link PyramidStage#parts}, each about a {@code parts}th of
     * the pyramid's work), and its candidates join the known boxes' proposals in R-Net and O-Net. Over {@code parts}
     * calls with parts 0 to {@code parts − 1} every scale has been searched once, so a new face is found as it would
     * be by a full detection every {@code parts} frames, without that frame's burst of work.
     */
    public List<DetectedFace> detectPart(RgbImage image, List<BoundingBox> near, int part, int parts) {
        if (parts < 1 || part < 0 || part >= parts) {
            throw new IllegalArgumentException("part " + part + " of " + parts + " is not a part of the pyramid; "
                    + "use 0 to parts - 1 of 1 or more parts");
        }
        int[] partOf = PyramidStage.parts(PyramidStage.scales(image.height(), image.width(), options), parts);
        disableGradientOnThisThread();
        DetectionTimes times = new DetectionTimes();
        List<AreaResizer> resizers = List.of(new AreaResizer(image));
        try (NDManager m = NDManager.newBaseManager(nets.device())) {
            List<Candidate> proposals = new ArrayList<>(stageOne(PyramidStage.run(nets, options, resizers, m, aloneArea,
                    times, level -> partOf[level] == part)).get(0));
            proposals.addAll(proposals(near));
            if (proposals.isEmpty()) {
                return List.of();
            }
            List<List<Candidate>> stage2 = stageTwo(List.of(proposals), resizers, m, times);
            return faces(stageThree(stage2, resizers, m, times).get(0));
        }
    }

    /**
     * Faces around boxes where faces were and were not found again ({@link #redetect} lost them: they moved past
     * their box, or left): P-Net runs on a window {@link #LOST_WINDOW} times a box's side about its centre, at the
     * scales of faces from {@link #LOST_SMALLEST} to {@link #LOST_LARGEST} times that side, and its candidates go
     * through R-Net and O-Net as in a full detection. A face that moved within the window at about its size is found
     * again at a small fraction of a full detection's cost; one that left is not, and then nothing is.
     */
    public List<DetectedFace> searchNear(RgbImage image, List<BoundingBox> lost) {
        if (lost.isEmpty()) {
            return List.of();
        }
        disableGradientOnThisThread();
        DetectionTimes times = new DetectionTimes();
        try (NDManager m = NDManager.newBaseManager(nets.device())) {
            List<Candidate> proposals = new ArrayList<>();
            for (BoundingBox b : lost) {
                proposals.addAll(searchWindow(image, b, m, times));
            }
            if (proposals.isEmpty()) {
                return List.of();
            }
            List<AreaResizer> resizers = List.of(new AreaResizer(image));
            List<List<Candidate>> stage2 = stageTwo(List.of(proposals), resizers, m, times);
            return faces(stageThree(stage2, resizers, m, times).get(0));
        }
    }

    /** Stage-one candidates of the window around {@code b}, in the image's frame. */
    private List<Candidate> searchWindow(RgbImage image, BoundingBox b, NDManager m, DetectionTimes times) {
        double side = Math.max(b.x2() - b.x1(), b.y2() - b.y1());
        int half = (int) Math.ceil(side * LOST_WINDOW / 2);
        int cx = (int) Math.floor((b.x1() + b.x2()) / 2);
        int cy = (int) Math.floor((b.y1() + b.y2()) / 2);
        int x0 = Math.max(0, cx - half);
        int y0 = Math.max(0, cy - half);
        int x1 = Math.min(image.width(), cx + half);
        int y1 = Math.min(image.height(), cy + half);
        int smallest = Math.max(options.minFaceSize(), (int) Math.floor(side * LOST_SMALLEST));
        if (x1 - x0 < smallest || y1 - y0 < smallest) {
            return List.of();
        }
        MtcnnOptions o = options.withMinFaceSize(smallest);
        double[] scales = PyramidStage.scales(y1 - y0, x1 - x0, o);
        double largest = side * LOST_LARGEST;
        List<AreaResizer> window = List.of(new AreaResizer(crop(image, x0, y0, x1 - x0, y1 - y0)));
        List<Candidate> found = stageOne(PyramidStage.run(nets, o, window, m, aloneArea, times,
                k -> PyramidStage.CELL / scales[k] <= largest)).get(0);
        for (Candidate c : found) {
            c.x1 += x0;
            c.x2 += x0;
            c.y1 += y0;
            c.y2 += y0;
        }
        return found;
    }

    private static RgbImage crop(RgbImage image, int x0, int y0, int w, int h) {
        byte[] px = new byte[3 * w * h];
        for (int y = 0; y < h; y++) {
            System.arraycopy(image.pixels(), 3 * ((y0 + y) * image.width() + x0), px, 3 * y * w, 3 * w);
        }
        return new RgbImage(w, h, px);
    }

    /** The side of {@link #searchNear}'s window about a lost box, in box sides. */
    static final double LOST_WINDOW = 3.0;
    /** The smallest face {@link #searchNear} looks for, in lost box sides. */
    static final double LOST_SMALLEST = 0.5;
    /** The largest face {@link #searchNear} looks for, in lost box sides. */
    static final double LOST_LARGEST = 2.0;

    /** Each known box, and the box grown by {@link #REDETECT_GROWTH}, as squared stage-one proposals. */
    private static List<Candidate> proposals(List<BoundingBox> near) {
        List<Candidate> proposals = new ArrayList<>();
        for (BoundingBox b : near) {
            double cx = (b.x1() + b.x2()) / 2 + 1;
            double cy = (b.y1() + b.y2()) / 2 + 1;
            double half = Math.max(b.x2() - b.x1(), b.y2() - b.y1()) / 2;
            for (double g : new double[] {1, REDETECT_GROWTH}) {
                Candidate c = new Candidate(cx - g * half, cy - g * half, cx + g * half, cy + g * half);
                BoxOps.squareAndTruncate(c);
                proposals.add(c);
            }
        }
        return proposals;
    }

    /** How much {@link #redetect} grows each known box for its second proposal. */
    static final double REDETECT_GROWTH = 1.3;

    /** The final candidates as faces in 0-based pixels, leaving out boxes that regression turned inside out. */
    private static List<DetectedFace> faces(List<Candidate> stage3) {
        List<DetectedFace> faces = new ArrayList<>();
        for (Candidate c : stage3) {
            if (c.x2 < c.x1 || c.y2 < c.y1) {
                continue; // an inverted box after regression is no face
            }
            double[] xy = new double[10];
            for (int k = 0; k < 5; k++) {
                xy[2 * k] = c.landmarks[k];
                xy[2 * k + 1] = c.landmarks[5 + k];
            }
            faces.add(new DetectedFace(new BoundingBox(c.x1 - 1, c.y1 - 1, c.x2 - 1, c.y2 - 1), c.score,
                    Landmarks.of(xy)));
        }
        return List.copyOf(faces);
    }

    /** Across-level NMS, regression without the +1, squaring and truncation. */
    private List<List<Candidate>> stageOne(List<List<Candidate>> perImage) {
        List<List<Candidate>> out = new ArrayList<>();
        for (List<Candidate> cands : perImage) {
            List<Candidate> kept = BoxOps.nms(cands, options.pnetNms(), BoxOps.Overlap.IOU);
            for (Candidate c : kept) {
                BoxOps.regress(c, 0);
                BoxOps.squareAndTruncate(c);
            }
            out.add(kept);
        }
        return out;
    }

    private List<List<Candidate>> stageTwo(List<List<Candidate>> in, List<AreaResizer> images, NDManager m,
            DetectionTimes times) {
        List<CropStage.Item> items = items(in);
        CropStage.Outputs o = CropStage.run(nets.rnet(), images, items, RNET_SIZE, options.batchSize(), m, false,
                times, DetectionTimes.Stage.RNET_CROPS, DetectionTimes.Stage.RNET);
        long t = System.nanoTime();
        List<List<Candidate>> kept = scored(in.size(), items, o, options.rnetThreshold());
        List<List<Candidate>> out = new ArrayList<>();
        for (List<Candidate> cands : kept) {
            List<Candidate> k = BoxOps.nms(cands, options.rnetNms(), BoxOps.Overlap.IOU);
            for (Candidate c : k) {
                BoxOps.regress(c, 1);
                BoxOps.squareAndTruncate(c);
            }
            out.add(k);
        }
        times.lap(DetectionTimes.Stage.BOXES, t);
        return out;
    }

    private List<List<Candidate>> stageThree(List<List<Candidate>> in, List<AreaResizer> images, NDManager m,
            DetectionTimes times) {
        List<CropStage.Item> items = items(in);
        CropStage.Outputs o = CropStage.run(nets.onet(), images, items, ONET_SIZE, options.batchSize(), m, true,
                times, DetectionTimes.Stage.ONET_CROPS, DetectionTimes.Stage.ONET);
        long t = System.nanoTime();
        List<List<Candidate>> kept = scored(in.size(), items, o, options.onetThreshold());
        List<List<Candidate>> out = new ArrayList<>();
        for (List<Candidate> cands : kept) {
            for (Candidate c : cands) {
                // landmarks are relative to the stage-2 box (w, h with the +1); −1 gives 0-based pixels
                double w = c.x2 - c.x1 + 1;
                double h = c.y2 - c.y1 + 1;
                for (int k = 0; k < 5; k++) {
                    c.landmarks[k] = w * c.landmarks[k] + c.x1 - 1;
                    c.landmarks[5 + k] = h * c.landmarks[5 + k] + c.y1 - 1;
                }
                BoxOps.regress(c, 1);
            }
            out.add(BoxOps.nms(cands, options.onetNms(), BoxOps.Overlap.MIN));
        }
        times.lap(DetectionTimes.Stage.BOXES, t);
        return out;
    }

    private static List<CropStage.Item> items(List<List<Candidate>> perImage) {
        List<CropStage.Item> items = new ArrayList<>();
        for (int i = 0; i < perImage.size(); i++) {
            for (Candidate c : perImage.get(i)) {
                if (CropStage.croppable(c)) {
                    items.add(new CropStage.Item(i, c));
                }
            }
        }
        return items;
    }

    /** New candidates (same boxes) for the items whose face probability is above the threshold. */
    private static List<List<Candidate>> scored(int images, List<CropStage.Item> items, CropStage.Outputs o,
            double threshold) {
        List<List<Candidate>> out = new ArrayList<>();
        for (int i = 0; i < images; i++) {
            out.add(new ArrayList<>());
        }
        for (int k = 0; k < items.size(); k++) {
            float p = o.prob()[2 * k + 1];
            if (p > threshold) {
                Candidate c = items.get(k).box().copyBox();
                c.score = p;
                c.margin = (double) o.logits()[2 * k + 1] - o.logits()[2 * k];
                for (int r = 0; r < 4; r++) {
                    c.reg[r] = o.reg()[4 * k + r];
                }
                if (o.landmarks() != null) {
                    c.landmarks = new double[10];
                    for (int r = 0; r < 10; r++) {
                        c.landmarks[r] = o.landmarks()[10 * k + r];
                    }
                }
                out.get(items.get(k).image()).add(c);
            }
        }
        return out;
    }

    private static List<double[]> rows(List<Candidate> cands) {
        return cands.stream().map(Candidate::toRow).toList();
    }

    /**
     * PyTorch's grad mode is per thread and only the thread that loaded the engine has it off. The
     * parameters need no gradient anyway, so no graph is built; this also keeps any stray op cheap.
     */
    private static void disableGradientOnThisThread() {
        if ("PyTorch".equals(Engine.getInstance().getEngineName())) {
            JniUtils.setGradMode(false);
        }
    }

    @Override
    public void close() {
        if (ownsNets) {
            nets.close();
        }
    }
}
