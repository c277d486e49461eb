package io.facestream.app;

import io.facestream.ingest.DecodedFrame;
import io.facestream.ingest.FrameSourceException;
import io.facestream.ingest.GrabberFrameSource;
import io.facestream.ingest.SourceSpec;
import io.facestream.recognize.engine.FaceEngine;
import io.facestream.recognize.image.RgbImage;
import io.facestream.train.general.GeneralPairs;
import io.facestream.train.general.GeneralSetWriter;
import io.facestream.train.general.VideoTracks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Builds a general-domain verification set (not LFW) from tracks of sample videos and group photos. */
@Command(name = "general-pairs", mixinStandardHelpOptions = true,
        description = {"Build a general-domain verification set (LFW's layout and pairs format) from videos and group photos.",
            "Every frame is detected and its faces tracked; a track is one person. Same-person pairs: two faces of a",
            "track at least --min-gap apart; different-person pairs: two tracks in one frame (sure), else tracks of",
            "different clips; faces of group photos add sure different-person pairs. Writes OUT/<label>/<label>_NNNN.jpg,",
            "OUT/pairs.txt, OUT/people.txt and OUT/faces.tsv. Use it as the training gate's general set:",
            "train --general-pairs OUT/pairs.txt --general-images OUT."})
final class GeneralPairsCommand implements Callable<Integer> {

    /** Where the sample clips and photos are, relative to the repository. */
    static final Path SHARED_VIDEO = Path.of("..", "shared", "data", "video");

    @Option(names = "--videos", paramLabel = "FILE|DIR", split = ",",
            description = "Video files or folders of .mp4 files (default: " + "../shared/data/video).")
    List<Path> videos;

    @Option(names = "--stills", paramLabel = "FILE|DIR", split = ",",
            description = "Group photos, or folders of .jpg/.png ones: their faces are different people (default: none).")
    List<Path> stills;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Output folder (new).")
    Path out;

    @Option(names = "--min-gap", paramLabel = "SECONDS", defaultValue = "1.0",
            description = "Least time between the two faces of a same-person pair (default: ${DEFAULT-VALUE}).")
    double minGap;

    @Option(names = "--per-track", paramLabel = "N", defaultValue = "10",
            description = "Most same-person pairs from one track (default: ${DEFAULT-VALUE}).")
    int perTrack;

    @Option(names = "--folds", paramLabel = "N", defaultValue = "10", description = "Folds (default: ${DEFAULT-VALUE}, as LFW).")
    int folds;

    @Option(names = "--min-face-px", paramLabel = "PX", defaultValue = "40",
            description = "Smallest face kept, box side in pixels (smaller ones are tracked, not kept; default: ${DEFAULT-VALUE}).")
    int minFacePx;

    @Mixin
    EngineMixin engine;

    @Override
    public Integer call() throws Exception {
        List<Path> clips = files(videos == null ? List.of(SHARED_VIDEO) : videos, ".mp4");
        List<Path> photos = stills == null ? List.of() : files(stills, ".jpg", ".jpeg", ".png");
        GeneralPairs maker = new GeneralPairs(minGap, perTrack, folds);
        GeneralSetWriter writer = new GeneralSetWriter(out);
        long start = System.nanoTime();
        Set<String> names = new HashSet<>();
        try (FaceEngine fe = engine.open()) {
            for (Path clip : clips) {
                String name = uniqueName(clip, names);
                VideoTracks tracks = new VideoTracks(fe, name, minFacePx);
                int kept = 0;
                Set<String> labels = new HashSet<>();
                long t = System.nanoTime();
                try (GrabberFrameSource source = GrabberFrameSource.open(new SourceSpec.VideoFile(clip), false, false,
                        Duration.ofSeconds(10))) {
                    for (Optional<DecodedFrame> f = source.next(); f.isPresent(); f = source.next()) {
                        RgbImage image = RgbImage.fromBufferedImage(f.get().image());
                        for (VideoTracks.Found found : tracks.next(image, f.get().timestampMicros() / 1e6)) {
                            writer.add(found);
                            labels.add(found.face().label());
                            kept++;
                        }
                    }
                } catch (FrameSourceException e) {
                    throw new IOException(clip + ": " + e.getMessage(), e);
                }
                System.out.printf(Locale.ROOT, "general-pairs: %s: %d frames, %d faces of at least %d px kept in %d tracks"
                        + " (%.1f s)%n", clip.getFileName(), tracks.frames(), kept, minFacePx, labels.size(),
                        (System.nanoTime() - t) / 1e9);
            }
            for (Path still : photos) {
                List<VideoTracks.Found> found = VideoTracks.photo(fe, uniqueName(still, names), RgbImage.read(still), minFacePx);
                for (VideoTracks.Found f : found) {
                    writer.add(f);
                }
                System.out.printf("general-pairs: %s: %d faces of at least %d px, each its own person%n", still.getFileName(),
                        found.size(), minFacePx);
            }
        }
        GeneralPairs.Result r = writer.finish(maker);
        System.out.printf(Locale.ROOT, "general-pairs: %s, written to %s (%.0f s)%n", r.summary(), out.resolve("pairs.txt"),
                (System.nanoTime() - start) / 1e9);
        return 0;
    }

    /** The files named, folders expanded to their files with one of {@code endings}, in name order. */
    static List<Path> files(List<Path> given, String... endings) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : given) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(f -> Files.isRegularFile(f) && List.of(endings).stream()
                            .anyMatch(e -> f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(e))).sorted().forEach(out::add);
                }
            } else if (Files.isRegularFile(p)) {
                out.add(p);
            } else {
                throw new IllegalArgumentException(p + " is neither a file nor a folder");
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no " + String.join(" or ", endings) + " file in " + given
                    + "; name files or a folder that holds some");
        }
        return out;
    }

    /** The file's name without extension, spaces replaced, made unique among {@code taken}. */
    static String uniqueName(Path file, Set<String> taken) {
        String base = file.getFileName().toString().replaceFirst("\\.[^.]+$", "").replaceAll("\\s+", "-");
        String name = base;
        for (int i = 2; !taken.add(name); i++) {
            name = base + "-" + i;
        }
        return name;
    }
}
