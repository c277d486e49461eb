package io.facestream.app;

import io.facestream.core.DetectedFace;
import io.facestream.core.Embedding;
import io.facestream.recognize.engine.EnsembleWeights;
import io.facestream.recognize.engine.FaceEngine;
import io.facestream.recognize.engine.FaceModel;
import io.facestream.recognize.image.RgbImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Measures each embedder's spread, the root-mean-square distance between different people, on faces
 * that share a photo: two faces in one picture are two people, so no labels are needed. The
 * ensemble's weights are the inverses of these spreads.
 */
@Command(name = "spread", mixinStandardHelpOptions = true,
        description = {"Measure each embedder's spread between different people, for the ensemble's weights.",
            "Uses pairs of faces that share a photo (two faces in one picture are two people)."})
final class SpreadBenchCommand implements Callable<Integer> {

    @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "Group photos.")
    List<Path> images;

    @Mixin
    EngineMixin engine;

    @Option(names = "--flip", description = "Measure the embeddings with the mirror view added, as `evaluate --flip` fuses them.")
    boolean flip;

    @Override
    public Integer call() throws IOException {
        double sumM = 0;
        double sumD = 0;
        long pairs = 0;
        int faces = 0;
        try (FaceEngine fe = engine.open()) {
            for (Path p : images) {
                RgbImage img = ImageInputs.read(p);
                List<DetectedFace> det = fe.detect(img);
                faces += det.size();
                List<Embedding> m = fe.embed(img, det, FaceModel.MOBILEFACENET, flip);
                List<Embedding> d = fe.embed(img, det, FaceModel.DLIB, flip);
                for (int i = 0; i < det.size(); i++) {
                    for (int j = i + 1; j < det.size(); j++) {
                        sumM += m.get(i).squaredDistance(m.get(j));
                        sumD += d.get(i).squaredDistance(d.get(j));
                        pairs++;
                    }
                }
            }
        }
        if (pairs == 0) {
            throw new IllegalArgumentException("no photo had two faces; give group photos");
        }
        double sm = Math.sqrt(sumM / pairs);
        double sd = Math.sqrt(sumD / pairs);
        System.out.printf(Locale.ROOT, "%d faces, %d same-photo pairs%n", faces, pairs);
        System.out.printf(Locale.ROOT, "spread (RMS L2 between different people): mobilefacenet %.4f, dlib %.4f%n", sm, sd);
        System.out.printf(Locale.ROOT, "dlib's share of the fused squared distance at these spreads: %.2f%n", (sm / sd) * (sm / sd));
        System.out.printf(Locale.ROOT, "in use:                                    mobilefacenet %.4f, dlib %.4f%n",
                EnsembleWeights.MOBILEFACENET_SPREAD, EnsembleWeights.DLIB_SPREAD);
        return 0;
    }
}
