package io.facestream.app;

import io.facestream.core.DetectedFace;
import io.facestream.recognize.engine.EngineOptions;
import io.facestream.recognize.engine.FaceEngine;
import io.facestream.recognize.image.RgbImage;
import io.facestream.recognize.track.KeyframeDetector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
        description = {"Detection time and faces found: a full detection on every frame against key frames every N",
            "frames with faces followed in between (frames alternating between two subtasks, as in the job).",
            "One intra-op thread. Default clip: the 640x360 film excerpt of ../shared/data/video."})
final class KeyframeBenchCommand implements Callable<Integer> {

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
            long t = System.nanoTime();
            for (RgbImage f : frames) {
                full.add(engine.detect(f));
            }
            double fullMs = (System.nanoTime() - t) / 1e6 / frames.size();
            int fullFaces = full.stream().mapToInt(List::size).sum();
            System.out.printf(Locale.ROOT, "%s: %d frames of %dx%d, min face %d px, frames alternating over %d subtask(s)%n",
                    file.getFileName(), frames.size(), frames.get(0).width(), frames.get(0).height(), minFace, subtasks);
            System.out.printf("  %-24s %12s %8s %12s %14s %10s%n", "detection", "ms/frame", "faces", "full frames",
                    "found of full", "mean IoU");
            System.out.printf(Locale.ROOT, "  %-24s %12.1f %8d %12d %14s %10s%n", "full, every frame", fullMs, fullFaces,
                    frames.size(), "-", "-");
            for (int every : intervals) {
                List<KeyframeDetector> detectors = new ArrayList<>();
                for (int s = 0; s < subtasks; s++) {
                    detectors.add(KeyframeDetector.of(engine, every));
                }
                int fulls = 0;
                int faces = 0;
                int found = 0;
                double iou = 0;
                t = System.nanoTime();
                List<List<DetectedFace>> kept = new ArrayList<>();
                for (int i = 0; i < frames.size(); i++) {
                    KeyframeDetector.Result r = detectors.get(i % subtasks).detect("bench", i, frames.get(i));
                    fulls += r.kind() == KeyframeDetector.Kind.FULL ? 1 : 0;
                    kept.add(r.faces());
                }
                double ms = (System.nanoTime() - t) / 1e6 / frames.size();
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
                System.out.printf(Locale.ROOT, "  %-24s %12.1f %8d %12d %14s %10.3f%n", "key frames every " + every, ms,
                        faces, fulls, found + " of " + fullFaces, found == 0 ? 0 : iou / found);
            }
        }
        return 0;
    }
}
