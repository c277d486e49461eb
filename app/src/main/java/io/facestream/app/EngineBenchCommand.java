package io.facestream.app;

import ai.djl.engine.Engine;
import io.facestream.core.DetectedFace;
import io.facestream.core.Embedding;
import io.facestream.ingest.DecodedFrame;
import io.facestream.ingest.FrameSourceException;
import io.facestream.ingest.GrabberFrameSource;
import io.facestream.ingest.SourceSpec;
import io.facestream.recognize.align.FaceCrop;
import io.facestream.recognize.detect.DetectionTimes;
import io.facestream.recognize.detect.MtcnnDetector;
import io.facestream.recognize.detect.MtcnnOptions;
import io.facestream.recognize.engine.EngineOptions;
import io.facestream.recognize.engine.FaceEngine;
import io.facestream.recognize.engine.FaceModel;
import io.facestream.recognize.image.RgbImage;
import io.facestream.recognize.weights.WeightFile;
import io.facestream.recognize.weights.WeightStore;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Median detection time per frame (and where it goes, stage by stage), embedding throughput per batch
 * size, and the whole per-frame cost on real video clips, printed as tables. Beside the wall time, the
 * CPU time of the calling thread: on a machine shared with other work it is the steadier figure, and
 * with one intra-op thread ({@code --threads 1}) all the engine's work runs on that thread.
 */
@Command(name = "engine", mixinStandardHelpOptions = true,
        description = {"Detection time per frame, embedding faces/s, and detect + align + embed per video frame.",
            "Median MTCNN detection time per frame at 640x360 and 1920x1080 with the time of each stage,",
            "embedding faces/s at batch 1, 8 and 32 for each embedder, and detect + align + embed per frame",
            "of video clips at several minimum face sizes, on this machine's cores."})
final class EngineBenchCommand implements Callable<Integer> {

    /** The shared sample clips, used when present and no --video is given (paths as the demo's default source). */
    static final List<Path> DEFAULT_VIDEOS = List.of(
            Path.of("../shared/data/video/tears_of_steel_cc-by_640x360_10s.mp4"),
            Path.of("../shared/data/video/street_multiface_1920x1080_4s.mp4"));
    /** Decoded frames between two timed ones: 25 fps clips give 5 frames per second of video. */
    static final int FRAME_STEP = 5;

    @Option(names = "--image", paramLabel = "IMAGE",
            description = "Photo to build the frames from (default: a sample photo shipped with the weights).")
    Path image;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "15", description = "Timed runs per figure (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--video", paramLabel = "VIDEO",
            description = "Video file to time frame by frame; repeat for several (default: the shared sample clips, when present).")
    List<Path> videos;

    @Option(names = "--video-frames", paramLabel = "N", defaultValue = "30",
            description = "Frames timed per clip, every " + FRAME_STEP + "th decoded one (default: ${DEFAULT-VALUE}).")
    int videoFrames;

    @Option(names = "--video-min-faces", paramLabel = "PX", split = ",", defaultValue = "20,40,60",
            description = "Minimum face sizes to time the clips at (default: ${DEFAULT-VALUE}).")
    int[] videoMinFaces;

    @Option(names = "--versus-cpu",
            description = "Also detect and embed the photo's faces with an engine on the CPU and print how far this"
                    + " device's results are from it (to check a GPU setup).")
    boolean versusCpu;

    @Mixin
    EngineMixin engine;

    private final ThreadMXBean cpuClock = ManagementFactory.getThreadMXBean();

    @Override
    public Integer call() throws IOException {
        if (runs < 3) {
            throw new IllegalArgumentException("--runs must be at least 3 for a median, was " + runs);
        }
        if (videoFrames < 1) {
            throw new IllegalArgumentException("--video-frames must be at least 1, was " + videoFrames);
        }
        for (int px : videoMinFaces) {
            if (px < 12) {
                throw new IllegalArgumentException("--video-min-faces must be at least 12 px (P-Net's window), was " + px);
            }
        }
        List<Path> clips = videos != null ? videos : DEFAULT_VIDEOS.stream().filter(Files::isRegularFile).toList();
        for (Path clip : clips) {
            if (!Files.isRegularFile(clip)) {
                throw new IOException(clip + ": no such video file");
            }
        }
        RgbImage photo = image != null ? ImageInputs.read(image)
                : RgbImage.read(WeightStore.defaultStore().require(WeightFile.SAMPLE_1));
        try (FaceEngine fe = engine.open(); MtcnnDetector staged = detector(engine.minFace)) {
            System.out.printf(Locale.ROOT, "facestream engine benchmark: %d cores, threads %s, %d runs per figure,"
                    + " device %s (%s; %d GPUs found by %s)%n", Runtime.getRuntime().availableProcessors(),
                    engine.threads == 0 ? "default" : engine.threads, runs, engine.device, staged.device(),
                    Engine.getInstance().getGpuCount(), Engine.getInstance().getEngineName() + " "
                            + Engine.getInstance().getVersion());
            List<DetectedFace> faces = List.of();
            RgbImage big = null;
            List<DetectionTimes> stageTimes = new ArrayList<>();
            System.out.println();
            System.out.println("detection (MTCNN, min face " + engine.minFace + " px)");
            System.out.printf("  %-12s %8s %12s %10s %10s%n", "frame", "faces", "median ms", "cpu ms", "frames/s");
            for (int[] size : new int[][] {{640, 360}, {1920, 1080}}) {
                RgbImage frame = cover(photo, size[0], size[1]);
                faces = fe.detect(frame);
                fe.detect(frame);
                double[] ms = new double[size[0] > 1000 ? Math.max(3, runs / 3) : runs];
                double[] cpu = new double[ms.length];
                for (int i = 0; i < ms.length; i++) {
                    long c = cpuNanos();
                    long t = System.nanoTime();
                    fe.detect(frame);
                    ms[i] = (System.nanoTime() - t) / 1e6;
                    cpu[i] = (cpuNanos() - c) / 1e6;
                }
                double med = median(ms);
                System.out.printf(Locale.ROOT, "  %-12s %8d %12.1f %10.1f %10.1f%n", size[0] + "x" + size[1], faces.size(),
                        med, median(cpu), 1000 / med);
                DetectionTimes times = new DetectionTimes();
                staged.detect(frame);
                for (int i = 0; i < ms.length; i++) {
                    staged.detect(frame, times);
                }
                stageTimes.add(times);
                big = frame;
            }
            printStages(stageTimes);
            if (faces.isEmpty()) {
                faces = fe.detect(photo);
                big = photo;
            }
            if (faces.isEmpty()) {
                System.out.println("no face in the benchmark image; embedding throughput not measured");
                return 1;
            }
            benchEmbedders(fe, big, faces);
            if (versusCpu) {
                compareWithCpu(fe, photo);
            }
            benchVideos(fe, clips);
        }
        return 0;
    }

    /** CPU time of the calling thread, or 0 where the JVM cannot tell (the column then reads 0). */
    private long cpuNanos() {
        return cpuClock.isCurrentThreadCpuTimeSupported() ? cpuClock.getCurrentThreadCpuTime() : 0;
    }

    private MtcnnDetector detector(int minFace) {
        WeightStore store = engine.weightsDir == null ? WeightStore.defaultStore() : new WeightStore(engine.weightsDir);
        return MtcnnDetector.load(store, MtcnnOptions.defaults().withMinFaceSize(minFace),
                FaceEngine.requestedDevice(engine.options()));
    }

    private static void printStages(List<DetectionTimes> times) {
        System.out.println();
        System.out.println("detection stages, mean ms per frame (same frames, a second detector)");
        System.out.printf("  %-22s %10s %10s%n", "stage", "640x360", "1920x1080");
        for (DetectionTimes.Stage s : DetectionTimes.Stage.values()) {
            System.out.printf(Locale.ROOT, "  %-22s %10.1f %10.1f%n", s.label(), times.get(0).millisPerCall(s),
                    times.get(1).millisPerCall(s));
        }
        System.out.printf(Locale.ROOT, "  %-22s %10.1f %10.1f%n", "total", times.get(0).totalMillisPerCall(),
                times.get(1).totalMillisPerCall());
    }

    private void benchEmbedders(FaceEngine fe, RgbImage big, List<DetectedFace> faces) {
        System.out.println();
        System.out.println("embedding (aligned crops, batched)");
        System.out.printf("  %-20s %6s %12s %10s %10s%n", "model", "batch", "median ms", "cpu ms", "faces/s");
        for (FaceModel m : List.of(FaceModel.MOBILEFACENET, FaceModel.DLIB)) {
            List<FaceCrop> pool = new ArrayList<>();
            for (DetectedFace f : faces) {
                pool.add(fe.crop(big, f, m));
            }
            for (int batch : new int[] {1, 8, 32}) {
                List<FaceCrop> crops = new ArrayList<>(batch);
                for (int i = 0; i < batch; i++) {
                    crops.add(pool.get(i % pool.size()));
                }
                fe.embedCrops(m, crops);
                fe.embedCrops(m, crops);
                int n = batch == 32 ? Math.max(3, runs / 3) : runs;
                double[] ms = new double[n];
                double[] cpu = new double[n];
                for (int i = 0; i < n; i++) {
                    long c = cpuNanos();
                    long t = System.nanoTime();
                    fe.embedCrops(m, crops);
                    ms[i] = (System.nanoTime() - t) / 1e6;
                    cpu[i] = (cpuNanos() - c) / 1e6;
                }
                double med = median(ms);
                System.out.printf(Locale.ROOT, "  %-20s %6d %12.1f %10.1f %10.1f%n", m.modelId(), batch, med, median(cpu),
                        batch * 1000 / med);
            }
        }
    }

    /**
     * The photo's faces found and embedded by this engine and by one on the CPU: how many each finds, the largest
     * difference of a box corner or landmark, and the largest squared L2 distance between the two engines'
     * embeddings of the same face (from the CPU's boxes), per embedder.
     */
    private void compareWithCpu(FaceEngine fe, RgbImage photo) {
        EngineOptions o = engine.options();
        System.out.println();
        System.out.println("this device against the CPU (the photo, " + photo.width() + "x" + photo.height() + ")");
        try (FaceEngine cpu = FaceEngine.open(new EngineOptions(o.weightsDir(), o.threads(), "cpu", o.minFace()))) {
            List<DetectedFace> here = fe.detect(photo);
            List<DetectedFace> there = cpu.detect(photo);
            System.out.printf(Locale.ROOT, "  faces found: %d here, %d on the CPU; largest box or landmark difference %s%n",
                    here.size(), there.size(), here.size() == there.size()
                            ? String.format(Locale.ROOT, "%.4f px", largestPointDifference(here, there)) : "n/a");
            if (there.isEmpty()) {
                return;
            }
            for (FaceModel m : List.of(FaceModel.MOBILEFACENET, FaceModel.DLIB)) {
                List<Embedding> a = fe.embed(photo, there, m, false);
                List<Embedding> b = cpu.embed(photo, there, m, false);
                double worst = 0;
                for (int i = 0; i < a.size(); i++) {
                    worst = Math.max(worst, a.get(i).squaredDistance(b.get(i)));
                }
                System.out.printf(Locale.ROOT, "  %-20s largest squared L2 between the two embeddings of a face: %.2e"
                        + " (threshold %.2f)%n", m.modelId(), worst, m.threshold());
            }
        }
    }

    static double largestPointDifference(List<DetectedFace> a, List<DetectedFace> b) {
        double worst = 0;
        for (int i = 0; i < a.size(); i++) {
            double[] p = points(a.get(i));
            double[] q = points(b.get(i));
            for (int k = 0; k < p.length; k++) {
                worst = Math.max(worst, Math.abs(p[k] - q[k]));
            }
        }
        return worst;
    }

    private static double[] points(DetectedFace f) {
        double[] out = new double[14];
        out[0] = f.box().x1();
        out[1] = f.box().y1();
        out[2] = f.box().x2();
        out[3] = f.box().y2();
        for (int k = 0; k < 5; k++) {
            out[4 + 2 * k] = f.landmarks().get(k).x();
            out[5 + 2 * k] = f.landmarks().get(k).y();
        }
        return out;
    }

    /** Every frame as a stream would see it: detect, then align and embed its faces in one batch. */
    private void benchVideos(FaceEngine fe, List<Path> clips) throws IOException {
        System.out.println();
        if (clips.isEmpty()) {
            System.out.println("video: no clip given and the shared sample clips are not beside the checkout; use --video FILE");
            return;
        }
        FaceModel model = engine.model;
        System.out.println("video (every " + FRAME_STEP + "th frame: detect, then align and embed its faces with "
                + model.modelId() + "; ms per frame)");
        System.out.printf("  %-38s %9s %6s %6s %9s %10s %10s %10s %10s %9s%n", "clip", "size", "min px", "frames",
                "faces/frm", "detect med", "frame med", "frame p90", "frame cpu", "frames/s");
        for (Path clip : clips) {
            List<RgbImage> frames = sampleFrames(clip, videoFrames);
            if (frames.isEmpty()) {
                System.out.println("  " + clip.getFileName() + ": no frame decoded");
                continue;
            }
            for (int minFace : videoMinFaces) {
                try (MtcnnDetector detector = detector(minFace)) {
                    // one untimed pass: a stream runs long after oneDNN has built its kernels for each batch size
                    for (RgbImage f : frames) {
                        List<DetectedFace> found = detector.detect(f);
                        if (!found.isEmpty()) {
                            fe.embed(f, found, model, false);
                        }
                    }
                    double[] detectMs = new double[frames.size()];
                    double[] frameMs = new double[frames.size()];
                    double[] frameCpu = new double[frames.size()];
                    int faceCount = 0;
                    for (int i = 0; i < frames.size(); i++) {
                        RgbImage f = frames.get(i);
                        long c0 = cpuNanos();
                        long t0 = System.nanoTime();
                        List<DetectedFace> found = detector.detect(f);
                        long t1 = System.nanoTime();
                        if (!found.isEmpty()) {
                            fe.embed(f, found, model, false);
                        }
                        long t2 = System.nanoTime();
                        detectMs[i] = (t1 - t0) / 1e6;
                        frameMs[i] = (t2 - t0) / 1e6;
                        frameCpu[i] = (cpuNanos() - c0) / 1e6;
                        faceCount += found.size();
                    }
                    double med = median(frameMs);
                    System.out.printf(Locale.ROOT, "  %-38s %9s %6d %6d %9.2f %10.1f %10.1f %10.1f %10.1f %9.1f%n",
                            clip.getFileName(), frames.get(0).width() + "x" + frames.get(0).height(), minFace,
                            frames.size(), (double) faceCount / frames.size(), median(detectMs), med,
                            percentile(frameMs, 0.9), median(frameCpu), 1000 / med);
                }
            }
        }
    }

    /** Up to {@code max} frames of a clip, every {@link #FRAME_STEP}th one from the start. */
    static List<RgbImage> sampleFrames(Path clip, int max) throws IOException {
        return sampleFrames(clip, max, FRAME_STEP);
    }

    /** Up to {@code max} frames of a clip, every {@code step}th one from the start. */
    static List<RgbImage> sampleFrames(Path clip, int max, int step) throws IOException {
        List<RgbImage> out = new ArrayList<>();
        try (GrabberFrameSource source = GrabberFrameSource.open(new SourceSpec.VideoFile(clip), false, false,
                Duration.ofSeconds(10))) {
            for (int i = 0; out.size() < max; i++) {
                Optional<DecodedFrame> f = source.next();
                if (f.isEmpty()) {
                    break;
                }
                if (i % step == 0) {
                    out.add(RgbImage.fromBufferedImage(f.get().image()));
                }
            }
        } catch (FrameSourceException e) {
            throw new IOException(clip + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Scales the photo to cover the frame and crops the centre, as a camera frame of that size would look. */
    static RgbImage cover(RgbImage photo, int w, int h) {
        double s = Math.max((double) w / photo.width(), (double) h / photo.height());
        int sw = (int) Math.ceil(photo.width() * s);
        int sh = (int) Math.ceil(photo.height() * s);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(photo.toBufferedImage(), (w - sw) / 2, (h - sh) / 2, sw, sh, null);
        g.dispose();
        return RgbImage.fromBufferedImage(out);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** The nearest-rank percentile ({@code q} in (0, 1]). */
    static double percentile(double[] v, double q) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[Math.max(0, (int) Math.ceil(q * s.length) - 1)];
    }
}
