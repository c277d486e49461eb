package io.facestream.app;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.facestream.core.Embedding;
import io.facestream.recognize.engine.AnalyzedFace;
import io.facestream.recognize.engine.FaceEngine;
import io.facestream.recognize.image.RgbImage;
import io.facestream.recognize.match.InMemoryGallery;
import io.facestream.recognize.job.EnrolledFace;
import io.facestream.recognize.match.Match;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Enrols a folder of people, then names every face in the given images. */
@Command(name = "identify", mixinStandardHelpOptions = true,
        description = {"Name every face in the images from a folder of enrolled people.",
            "Enrols one person per sub-folder of --gallery (folder name = identity); each face gets the",
            "nearest enrolled identity within the threshold, or unknown."})
final class IdentifyCommand implements Callable<Integer> {

    @Option(names = "--gallery", paramLabel = "DIR", required = true,
            description = "Folder with one sub-folder of face images per person.")
    Path galleryDir;

    @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "Images to identify faces in.")
    List<Path> images;

    @Option(names = "--json", description = "One JSON object per image on stdout.")
    boolean json;

    @Option(names = "--annotate", paramLabel = "OUT",
            description = "Write the image with named boxes (a file for one image, a folder for several).")
    Path annotate;

    @Mixin
    EngineMixin engine;

    @Override
    public Integer call() throws IOException {
        InMemoryGallery gallery = new InMemoryGallery(engine.model.modelId(), engine.threshold());
        int ok = 0;
        try (FaceEngine fe = engine.open()) {
            enrolAll(fe, gallery);
            for (Path file : images) {
                RgbImage img;
                try {
                    img = ImageInputs.read(file);
                } catch (IOException e) {
                    System.err.println("facestream identify: " + e.getMessage());
                    if (json) {
                        ObjectNode o = Json.object();
                        o.put("image", file.toString());
                        o.put("error", e.getMessage());
                        System.out.println(Json.line(o));
                    }
                    continue;
                }
                ok++;
                List<AnalyzedFace> faces = fe.analyze(img, engine.model, false);
                List<Match> matches = faces.stream().map(f -> gallery.match(f.embedding())).toList();
                print(file, faces, matches);
                if (annotate != null) {
                    Path out = images.size() == 1 && !Files.isDirectory(annotate) ? annotate
                            : annotate.resolve(file.getFileName().toString().replaceFirst("\\.[^.]+$", "") + ".identified.jpg");
                    Annotator.write(img, faces, i -> label(matches.get(i)), i -> matches.get(i).known(), out);
                }
            }
        }
        return ok > 0 ? 0 : 1;
    }

    private void enrolAll(FaceEngine fe, InMemoryGallery gallery) throws IOException {
        for (EnrolledFace f : GalleryFolder.enrol(galleryDir, fe, engine.model, System.err)) {
            gallery.enrol(f.identity(), new Embedding(engine.model.modelId(), f.embedding()));
        }
        if (!json) {
            List<String> summary = new ArrayList<>();
            for (String id : gallery.identities()) {
                summary.add(id + " (" + gallery.faces(id) + ")");
            }
            System.out.println("gallery: " + String.join(", ", summary));
        }
    }

    private void print(Path file, List<AnalyzedFace> faces, List<Match> matches) {
        if (json) {
            ObjectNode o = Json.object();
            o.put("image", file.toString());
            ArrayNode arr = o.putArray("faces");
            for (int i = 0; i < faces.size(); i++) {
                ObjectNode f = arr.addObject();
                f.set("box", Json.box(faces.get(i).detection().box()));
                Match m = matches.get(i);
                if (m.known()) {
                    f.put("identity", m.identity());
                } else {
                    f.putNull("identity");
                }
                f.put("distance", Json.round(m.distance()));
            }
            System.out.println(Json.line(o));
            return;
        }
        System.out.printf("%s: %d face%s%n", file, faces.size(), faces.size() == 1 ? "" : "s");
        for (int i = 0; i < faces.size(); i++) {
            Match m = matches.get(i);
            var b = faces.get(i).detection().box();
            System.out.printf(Locale.ROOT, "  #%d [%.0f, %.0f, %.0f, %.0f] %s%n", i + 1, b.x1(), b.y1(), b.x2(), b.y2(), label(m));
        }
    }

    private static String label(Match m) {
        return m.known() ? String.format(Locale.ROOT, "%s (%.3f)", m.identity(), m.distance())
                : String.format(Locale.ROOT, "unknown (nearest %s %.3f)", m.nearest(), m.distance());
    }
}
