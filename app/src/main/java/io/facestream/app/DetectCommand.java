package io.facestream.app;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.facestream.core.BoundingBox;
import io.facestream.recognize.engine.AnalyzedFace;
import io.facestream.recognize.engine.FaceEngine;
import io.facestream.recognize.image.RgbImage;
import io.facestream.recognize.weights.WeightFile;
import io.facestream.recognize.weights.WeightStore;
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

/** Detects faces (boxes, scores, five landmarks) and optionally embeds them. */
@Command(name = "detect", mixinStandardHelpOptions = true,
        description = {"Detect faces with MTCNN: box, score and five landmarks per face.",
            "With --embed also the L2-normalised embedding of each aligned face."})
final class DetectCommand implements Callable<Integer> {

    @Parameters(paramLabel = "IMAGE", arity = "0..*", description = "JPEG, PNG, BMP or GIF files.")
    List<Path> images = new ArrayList<>();

    @Option(names = "--samples", description = "Also run on the six sample photos that come with the weights package.")
    boolean samples;

    @Option(names = "--json", description = "One JSON object per image on stdout.")
    boolean json;

    @Option(names = "--embed", description = "Also compute each face's embedding.")
    boolean embed;

    @Option(names = "--annotate", paramLabel = "OUT",
            description = "Write the image with boxes and landmarks drawn (a file for one image, a folder for several).")
    Path annotate;

    @Mixin
    EngineMixin engine;

    @Override
    public Integer call() throws IOException {
        if (samples) {
            WeightStore store = engine.weightsDir == null ? WeightStore.defaultStore() : new WeightStore(engine.weightsDir);
            for (WeightFile f : WeightFile.values()) {
                if (f.name().startsWith("SAMPLE_")) {
                    images.add(store.require(f));
                }
            }
        }
        if (images.isEmpty()) {
            throw new IllegalArgumentException("give one or more images, or --samples for the bundled sample photos");
        }
        int ok = 0;
        try (FaceEngine fe = engine.open()) {
            for (Path file : images) {
                RgbImage img;
                try {
                    img = ImageInputs.read(file);
                } catch (IOException e) {
                    report(file, e.getMessage());
                    continue;
                }
                List<AnalyzedFace> faces = fe.analyze(img, embed ? engine.model : null, false);
                ok++;
                if (json) {
                    System.out.println(Json.line(toJson(file, img, faces)));
                } else {
                    printText(file, img, faces);
                }
                if (annotate != null) {
                    Path out = annotationPath(file);
                    Annotator.write(img, faces, i -> String.format(Locale.ROOT, "%.3f", faces.get(i).detection().score()),
                            i -> true, out);
                    if (!json) {
                        System.out.println("  annotated: " + out);
                    }
                }
            }
        }
        return ok > 0 ? 0 : 1;
    }

    private Path annotationPath(Path file) {
        if (images.size() == 1 && !Files.isDirectory(annotate)) {
            return annotate;
        }
        String name = file.getFileName().toString().replaceFirst("\\.[^.]+$", "");
        return annotate.resolve(name + ".annotated.jpg");
    }

    private void report(Path file, String message) {
        System.err.println("facestream detect: " + message);
        if (json) {
            ObjectNode o = Json.object();
            o.put("image", file.toString());
            o.put("error", message);
            System.out.println(Json.line(o));
        }
    }

    static ObjectNode toJson(Path file, RgbImage img, List<AnalyzedFace> faces) {
        ObjectNode o = Json.object();
        o.put("image", file.toString());
        o.put("width", img.width());
        o.put("height", img.height());
        ArrayNode arr = o.putArray("faces");
        for (AnalyzedFace f : faces) {
            ObjectNode fo = arr.addObject();
            fo.set("box", Json.box(f.detection().box()));
            fo.put("score", Json.round(f.detection().score()));
            fo.set("landmarks", Json.landmarks(f.detection().landmarks()));
            if (f.embedding() != null) {
                fo.put("model", f.embedding().modelId());
                fo.set("embedding", Json.vector(f.embedding()));
            }
        }
        return o;
    }

    private static void printText(Path file, RgbImage img, List<AnalyzedFace> faces) {
        System.out.printf(Locale.ROOT, "%s: %dx%d, %d face%s%n", file, img.width(), img.height(), faces.size(),
                faces.size() == 1 ? "" : "s");
        for (int i = 0; i < faces.size(); i++) {
            AnalyzedFace f = faces.get(i);
            BoundingBox b = f.detection().box();
            System.out.printf(Locale.ROOT, "  #%d box [%.1f, %.1f, %.1f, %.1f] score %.4f%s%n", i + 1, b.x1(), b.y1(), b.x2(), b.y2(),
                    f.detection().score(), f.embedding() == null ? "" : "  " + f.embedding().dimension() + "-D "
                            + f.embedding().modelId());
        }
    }
}
