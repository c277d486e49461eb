package io.facestream.app;

import io.facestream.recognize.eval.ProgressBar;
import io.facestream.train.data.LabelledFolder;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Renders a labelled photo folder (LFW's layout) as a camera video, so that a data set can be streamed through the
 * system: each person's photos follow one another in the same place, as one continuous track, with empty frames
 * between people so that every person's track has ended before the next appears.
 */
@Command(name = "render", mixinStandardHelpOptions = true,
        description = {"Render a labelled photo folder (DIR/<Name>/<Name>_NNNN.jpg) as a camera video, one track per person.",
            "Each person's photos come one after another in the same place, with empty frames between people.",
            "With DIR/mapping.tsv (Extended Yale B: light azimuth and elevation per photo) each person's photos are",
            "ordered so that the light moves in small steps, as it would in front of a camera."})
final class RenderCommand implements Callable<Integer> {

    @Option(names = "--images", paramLabel = "DIR", required = true, description = "Folder with one sub-folder per person.")
    Path images;

    @Option(names = "--people", paramLabel = "FILE",
            description = "Only these people: one \"Name<TAB>count\" (or \"Name\") per line (default: every sub-folder).")
    Path people;

    @Option(names = "--out", paramLabel = "FILE.mp4", required = true, description = "The video to write (H.264 in MP4).")
    Path out;

    @Option(names = "--frames-per-photo", paramLabel = "N", defaultValue = "1",
            description = "Frames each photo is held (default: ${DEFAULT-VALUE}).")
    int framesPerPhoto;

    @Option(names = "--gap", paramLabel = "N", defaultValue = "40",
            description = "Empty frames between people (default: ${DEFAULT-VALUE}, more than a track's 30 frames of age).")
    int gap;

    @Option(names = "--fps", paramLabel = "FPS", defaultValue = "25", description = "Frame rate (default: ${DEFAULT-VALUE}).")
    double fps;

    @Option(names = "--background", paramLabel = "LEVEL", defaultValue = "0",
            description = {"Grey level 0..255 of the canvas around the photos (default: ${DEFAULT-VALUE}, black). Data sets",
                "of tight face crops (Extended Yale B) are verified on crops padded with black where a crop runs past the",
                "photo, and black gives the camera's crops the same surround; on a grey canvas (112) the loop's detector",
                "found a fifth fewer of Yale B's photos and its models kept less of LFW."})
    int background;

    @Override
    public Integer call() throws IOException {
        if (!Files.isDirectory(images)) {
            throw new IllegalArgumentException("--images " + images + " is not a folder; give one with a sub-folder per person");
        }
        if (framesPerPhoto < 1 || gap < 0 || !(fps > 0)) {
            throw new IllegalArgumentException("--frames-per-photo must be 1 or more, --gap 0 or more and --fps above 0");
        }
        if (background < 0 || background > 255) {
            throw new IllegalArgumentException("--background is a grey level 0..255, was " + background);
        }
        List<String> names = people != null ? LabelledFolder.readPeople(people) : Folders.list(images, true).stream()
                .map(p -> p.getFileName().toString()).toList();
        Map<String, double[]> light = readLight(images.resolve("mapping.tsv"));
        List<PhotoVideo.Shot> shots = new ArrayList<>();
        int photos = 0;
        for (String name : names) {
            Path dir = images.resolve(name);
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException(name + " (from " + people + ") has no folder in " + images);
            }
            List<Path> own = order(Folders.list(dir, false), light);
            for (Path photo : own) {
                shots.add(PhotoVideo.shot(framesPerPhoto, photo));
            }
            photos += own.size();
            if (gap > 0) {
                shots.add(PhotoVideo.shot(gap));
            }
        }
        if (photos == 0) {
            throw new IllegalArgumentException("no photos found under " + images + " for the people given");
        }
        long frames = shots.stream().mapToLong(PhotoVideo.Shot::frames).sum();
        try (ProgressBar bar = new ProgressBar(shots.size(), "shots")) {
            PhotoVideo.render(out, shots, fps, PhotoVideo.Encoder.H264, new Color(background, background, background), bar::step);
        }
        System.out.printf(Locale.ROOT, "%s: %d people, %d photos%s, %d frames of %dx%d at %.0f fps (%.1f s), %.1f MB%n",
                out, names.size(), photos, light.isEmpty() ? "" : " in order of light direction", frames,
                PhotoVideo.WIDTH, PhotoVideo.HEIGHT, fps, frames / fps, Files.size(out) / 1e6);
        return 0;
    }

    /** Light azimuth and elevation by photo path relative to the folder, from Extended Yale B's mapping.tsv. */
    static Map<String, double[]> readLight(Path mapping) throws IOException {
        Map<String, double[]> out = new HashMap<>();
        if (!Files.isRegularFile(mapping)) {
            return out;
        }
        List<String> lines = Files.readAllLines(mapping);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t");
            if (f.length >= 4) {
                try {
                    out.put(f[0], new double[] {Double.parseDouble(f[2]), Double.parseDouble(f[3])});
                } catch (NumberFormatException e) {
                    // a photo without angles keeps its place by name
                }
            }
        }
        return out;
    }

    /**
     * The photos with known light in a walk that starts from the most frontal light and always moves to the nearest
     * light direction not yet shown; photos without angles follow in name order.
     */
    static List<Path> order(List<Path> photos, Map<String, double[]> light) {
        Map<Path, double[]> known = new LinkedHashMap<>();
        List<Path> rest = new ArrayList<>();
        for (Path p : photos) {
            double[] a = light.get(p.getParent().getFileName() + "/" + p.getFileName());
            if (a != null) {
                known.put(p, a);
            } else {
                rest.add(p);
            }
        }
        List<Path> out = new ArrayList<>();
        double[] at = {0, 0};
        while (!known.isEmpty()) {
            Path best = null;
            double bestDistance = Double.MAX_VALUE;
            for (Map.Entry<Path, double[]> e : known.entrySet()) {
                double d = Math.hypot(e.getValue()[0] - at[0], e.getValue()[1] - at[1]);
                if (d < bestDistance) {
                    bestDistance = d;
                    best = e.getKey();
                }
            }
            at = known.remove(best);
            out.add(best);
        }
        out.addAll(rest);
        return out;
    }
}
