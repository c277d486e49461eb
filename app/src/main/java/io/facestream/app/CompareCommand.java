package io.facestream.app;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.facestream.core.DetectedFace;
import io.facestream.core.Embedding;
import io.facestream.recognize.engine.FaceChoice;
import io.facestream.recognize.engine.FaceEngine;
import io.facestream.recognize.image.RgbImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The distance matrix between the largest faces of two or more images, with same/different verdicts. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Compare the largest face of each image and say whether they are the same person.",
            "Prints squared L2 distances between unit embeddings (0 = identical, 4 = opposite) and a",
            "same/different verdict at the model's threshold."})
final class CompareCommand implements Callable<Integer> {

    @Parameters(paramLabel = "IMAGE", arity = "2..*", description = "Two or more images, one face each (the largest is used).")
    List<Path> images;

    @Option(names = "--json", description = "Print {model, threshold, images, distances} as JSON.")
    boolean json;

    @Option(names = "--flip", description = "Add the mirrored face's embedding (test-time augmentation).")
    boolean flip;

    @Mixin
    EngineMixin engine;

    @Override
    public Integer call() {
        double threshold = engine.threshold();
        List<Embedding> embeddings = new ArrayList<>();
        int usable = 0;
        try (FaceEngine fe = engine.open()) {
            for (Path file : images) {
                Embedding e = null;
                try {
                    RgbImage img = ImageInputs.read(file);
                    List<DetectedFace> found = fe.detect(img);
                    // a photo of one person: the detector's later looks and the whole-face rule of data sets
                    // (FaceChoice.portrait) find faces that fill the photo, which the plain detection misses or
                    // finds only a part of
                    FaceChoice.Portrait face = FaceChoice.portrait(fe, img, found, FaceChoice.Rule.LARGEST);
                    if (face.fallback()) {
                        System.err.println("facestream compare: " + file + ": no face found (nor with a border, "
                                + "equalised, or at a tenth of the detector's confidence); use a photo where the face "
                                + "is at least " + engine.minFace + " px across and not cut off");
                    } else {
                        if (found.size() > 1) {
                            System.err.println("facestream compare: " + file + ": " + found.size() + " faces, using the largest");
                        }
                        e = fe.embed(img, List.of(face.face()), engine.model, flip).get(0);
                        usable++;
                    }
                } catch (IOException ex) {
                    System.err.println("facestream compare: " + ex.getMessage());
                }
                embeddings.add(e);
            }
        }
        int n = images.size();
        Double[][] d = new Double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (embeddings.get(i) != null && embeddings.get(j) != null) {
                    d[i][j] = embeddings.get(i).squaredDistance(embeddings.get(j));
                }
            }
        }
        if (json) {
            printJson(d, threshold);
        } else {
            printTable(d, threshold);
        }
        return usable >= 2 ? 0 : 1;
    }

    private void printJson(Double[][] d, double threshold) {
        ObjectNode o = Json.object();
        o.put("model", engine.model.modelId());
        o.put("threshold", threshold);
        ArrayNode imgs = o.putArray("images");
        images.forEach(p -> imgs.add(p.toString()));
        ArrayNode rows = o.putArray("distances");
        for (Double[] row : d) {
            ArrayNode r = rows.addArray();
            for (Double v : row) {
                if (v == null) {
                    r.addNull();
                } else {
                    r.add(Json.round(v));
                }
            }
        }
        System.out.println(Json.line(o));
    }

    private void printTable(Double[][] d, double threshold) {
        int n = images.size();
        System.out.printf(Locale.ROOT, "model %s, threshold %.3f (squared L2; at or below = same person)%n%n",
                engine.model.modelId(), threshold);
        for (int i = 0; i < n; i++) {
            System.out.printf("  [%d] %s%n", i, images.get(i));
        }
        System.out.println();
        StringBuilder head = new StringBuilder("      ");
        for (int j = 0; j < n; j++) {
            head.append(String.format("%8s", "[" + j + "]"));
        }
        System.out.println(head);
        for (int i = 0; i < n; i++) {
            StringBuilder row = new StringBuilder(String.format("%6s", "[" + i + "]"));
            for (int j = 0; j < n; j++) {
                row.append(d[i][j] == null ? String.format("%8s", "-") : String.format(Locale.ROOT, "%8.4f", d[i][j]));
            }
            System.out.println(row);
        }
        System.out.println();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (d[i][j] != null) {
                    System.out.printf(Locale.ROOT, "  [%d] vs [%d]: %.4f  %s%n", i, j, d[i][j],
                            d[i][j] <= threshold ? "same person" : "different people");
                }
            }
        }
    }
}
