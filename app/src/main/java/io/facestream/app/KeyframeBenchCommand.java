package io.facestream.app;

import io.facestream.core.DetectedFace;
import io.facestream.recognize.engine.EngineOptions;
import io.facestream.recognize.engine.FaceEngine;
import io.facestream.recognize.image.RgbImage;
import io.facestream.recognize.track.KeyframeDetector;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What following faces between key frames costs and misses: every frame of a clip detected fully, against key
 * frames every N frames with faces followed in between, as two subtasks share a camera's frames (odd and even).
 */
@Command(name = "keyframes", mixinStandardHelpOptions = true,
        description = {"Detection time and faces found with key frames, against a full detection of every frame.",
            "A full detection on every frame against key frames every N frames with faces followed in between,",
            "and against the pyramid spread over N frames (one part of its scales on each frame); frames alternate",
            "between two subtasks, as in the job.",
            "One intra-op thread. Default clip: the 640x360 film excerpt of ../shared/data/video."})
final class KeyframeBenchCommand implements Callable<Integer> {

    /**
     * Times are the CPU time of the detecting thread (the engine runs one intra-op thread, on the caller's thread):
     * on a machine shared with other work, wall-clock times say more about the neighbours than about the schedule.
     */
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    @Parameters(paramLabel = "CLIP", arity = "0..1", description = "Video file (default: the shared film excerpt).")
    Path clip;

    @Option(names = "--min-face", paramLabel = "PX", defaultValue = "20",
            description = "Smallest face to detect, in pixels (default: ${DEFAULT-VALUE}).")
    int minFace;

    @Option(names = "--detect-every", paramLabel = "N", defaultValue = "5", split = ",",
            description = "Key-frame intervals to compare, comma-separated (default: ${DEFAULT-VALUE}).")
    List<Integer> intervals;

    @Option(names = "--subtasks", paramLabel = "S", defaultValue = "2",
            description = "Subtasks the frames alternate between, each following its own frames (default: ${DEFAULT-VALUE}).")
    int subtasks;

    @Override
    public Integer call() throws IOException {
        Path file = clip != null ? clip : Path.of(StreamBenchCommand.DEFAULT_CLIPS.get(0));
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + " is not a video file; give a clip as the argument");
        }
        if (subtasks < 1) {
            throw new IllegalArgumentException("--subtasks must be at least 1, was " + subtasks);
        }
        List<RgbImage> frames = EngineBenchCommand.sampleFrames(file, Integer.MAX_VALUE, 1);
        if (frames.isEmpty()) {
            throw new IOException(file + ": no frame decoded");
        }
        EngineOptions d = EngineOptions.defaults();
        try (FaceEngine engine = FaceEngine.open(new EngineOptions(d.weightsDir(), 1, "cpu", minFace))) {
            engine.detect(frames.get(0)); // native set-up and kernel choice are not part of a frame's time
            List<List<DetectedFace>> full = new ArrayList<>();
            long t = CPU.getCurrentThreadCpuTime();
            for (RgbImage f : frames) {
                full.add(engine.detect(f));
            }
            double fullMs = (CPU.getCurrentThreadCpuTime() - t) / 1e6 / frames.size();
            int fullFaces = full.stream().mapToInt(List::size).sum();
            System.out.printf(Locale.ROOT, "%s: %d frames of %dx%d, min face %d px, frames alternating over %d subtask(s)%n",
                    file.getFileName(), frames.size(), frames.get(0).width(), frames.get(0).height(), minFace, subtasks);
            System.out.println("  (CPU ms of the detecting thread)");
            System.out.printf("  %-30s %9s %7s %7s %7s %12s %14s %9s%n", "detection", "ms/frame", "p95 ms", "max ms",
                    "faces", "full frames", "found of full", "mean IoU");
            System.out.printf(Locale.ROOT, "  %-30s %9.1f %7s %7s %7d %12d %14s %9s%n", "full, every frame", fullMs, "-", "-",
                    fullFaces, frames.size(), "-", "-");
            for (int every : intervals) {
                for (KeyframeDetector.Schedule schedule : KeyframeDetector.Schedule.values()) {
                    if (every == 1 && schedule == KeyframeDetector.Schedule.SPREAD) {
                        continue; // one part is the whole pyramid: the same as a full detection of every frame
                    }
                    compare(engine, frames, full, fullFaces, every, schedule);
                }
            }
        }
        return 0;
    }

    /** One schedule against the full detection of every frame: time per frame (mean, p95, max) and faces found. */
    private void compare(FaceEngine engine, List<RgbImage> frames, List<List<DetectedFace>> full, int fullFaces, int every,
            KeyframeDetector.Schedule schedule) {
        List<KeyframeDetector> detectors = new ArrayList<>();
        for (int s = 0; s < subtasks; s++) {
            detectors.add(KeyframeDetector.of(engine, every, schedule));
        }
        int fulls = 0;
        int faces = 0;
        int found = 0;
        double iou = 0;
        long[] nanos = new long[frames.size()];
        List<List<DetectedFace>> kept = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            long t = CPU.getCurrentThreadCpuTime();
            KeyframeDetector.Result r = detectors.get(i % subtasks).detect("bench", i, frames.get(i));
            nanos[i] = CPU.getCurrentThreadCpuTime() - t;
            fulls += r.kind() == KeyframeDetector.Kind.FULL ? 1 : 0;
            kept.add(r.faces());
        }
        for (int i = 0; i < frames.size(); i++) {
            faces += kept.get(i).size();
            for (DetectedFace f : full.get(i)) {
                double best = kept.get(i).stream().mapToDouble(k -> k.box().iou(f.box())).max().orElse(0);
                if (best >= 0.5) {
                    found++;
                    iou += best;
                }
            }
        }
        double ms = Arrays.stream(nanos).sum() / 1e6 / frames.size();
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double p95 = sorted[(int) Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)] / 1e6;
        double max = sorted[sorted.length - 1] / 1e6;
        String name = schedule == KeyframeDetector.Schedule.KEY_FRAMES ? "key frames every " + every
                : "pyramid spread over " + every;
        System.out.printf(Locale.ROOT, "  %-30s %9.1f %7.1f %7.1f %7d %12d %14s %9.3f%n", name, ms, p95, max, faces, fulls,
                found + " of " + fullFaces, found == 0 ? 0 : iou / found);
    }
}
