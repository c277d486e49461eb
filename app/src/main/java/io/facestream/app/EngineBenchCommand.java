package io.facestream.app;

import io.facestream.core.DetectedFace;
import io.facestream.recognize.align.FaceCrop;
import io.facestream.recognize.engine.FaceEngine;
import io.facestream.recognize.engine.FaceModel;
import io.facestream.recognize.image.RgbImage;
import io.facestream.recognize.weights.WeightFile;
import io.facestream.recognize.weights.WeightStore;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Median detection time per frame and embedding throughput per batch size, printed as a table. */
@Command(name = "engine", mixinStandardHelpOptions = true,
        description = {"Median MTCNN detection time per frame at 640x360 and 1920x1080, and embedding",
            "faces/s at batch 1, 8 and 32 for each embedder, on this machine's cores."})
final class EngineBenchCommand implements Callable<Integer> {

    @Option(names = "--image", paramLabel = "IMAGE",
            description = "Photo to build the frames from (default: a sample photo shipped with the weights).")
    Path image;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "15", description = "Timed runs per figure (default: ${DEFAULT-VALUE}).")
    int runs;

    @Mixin
    EngineMixin engine;

    @Override
    public Integer call() throws IOException {
        if (runs < 3) {
            throw new IllegalArgumentException("--runs must be at least 3 for a median, was " + runs);
        }
        RgbImage photo = image != null ? ImageInputs.read(image)
                : RgbImage.read(WeightStore.defaultStore().require(WeightFile.SAMPLE_1));
        System.out.printf(Locale.ROOT, "facestream engine benchmark: %d cores, threads %s, %d runs per figure, device %s%n",
                Runtime.getRuntime().availableProcessors(), engine.threads == 0 ? "default" : engine.threads, runs, engine.device);
        try (FaceEngine fe = engine.open()) {
            System.out.println();
            System.out.println("detection (MTCNN, min face " + engine.minFace + " px)");
            System.out.printf("  %-12s %8s %12s %10s%n", "frame", "faces", "median ms", "frames/s");
            List<DetectedFace> faces = List.of();
            RgbImage big = null;
            for (int[] size : new int[][] {{640, 360}, {1920, 1080}}) {
                RgbImage frame = cover(photo, size[0], size[1]);
                faces = fe.detect(frame);
                fe.detect(frame);
                double[] ms = new double[size[0] > 1000 ? Math.max(3, runs / 3) : runs];
                for (int i = 0; i < ms.length; i++) {
                    long t = System.nanoTime();
                    fe.detect(frame);
                    ms[i] = (System.nanoTime() - t) / 1e6;
                }
                double med = median(ms);
                System.out.printf(Locale.ROOT, "  %-12s %8d %12.1f %10.1f%n", size[0] + "x" + size[1], faces.size(), med, 1000 / med);
                big = frame;
            }
            if (faces.isEmpty()) {
                faces = fe.detect(photo);
                big = photo;
            }
            if (faces.isEmpty()) {
                System.out.println("no face in the benchmark image; embedding throughput not measured");
                return 1;
            }
            System.out.println();
            System.out.println("embedding (aligned crops, batched)");
            System.out.printf("  %-20s %6s %12s %10s%n", "model", "batch", "median ms", "faces/s");
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
                    for (int i = 0; i < n; i++) {
                        long t = System.nanoTime();
                        fe.embedCrops(m, crops);
                        ms[i] = (System.nanoTime() - t) / 1e6;
                    }
                    double med = median(ms);
                    System.out.printf(Locale.ROOT, "  %-20s %6d %12.1f %10.1f%n", m.modelId(), batch, med, batch * 1000 / med);
                }
            }
        }
        return 0;
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
}
