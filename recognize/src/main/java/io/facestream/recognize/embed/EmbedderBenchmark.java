package io.facestream.recognize.embed;

import io.facestream.recognize.align.FaceCrop;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Measures an embedder's throughput in faces per second at a fixed batch size: a few warm-up batches
 * (oneDNN picks and caches kernels on the first calls), then the median over timed batches.
 */
public final class EmbedderBenchmark {

    /** Warm-up batches before timing. */
    public static final int DEFAULT_WARMUP = 3;
    /** Timed batches; the median of them is reported. */
    public static final int DEFAULT_RUNS = 7;

    private EmbedderBenchmark() {
    }

    /** Faces per second of {@code embedder} at {@code batch}, with the default warm-up and run counts. */
    public static double facesPerSecond(FaceEmbedder embedder, int batch) {
        return facesPerSecond(embedder, batch, DEFAULT_WARMUP, DEFAULT_RUNS);
    }

    /** Faces per second of {@code embedder} at {@code batch}: the median of {@code runs} timed batches. */
    public static double facesPerSecond(FaceEmbedder embedder, int batch, int warmup, int runs) {
        if (batch < 1 || warmup < 0 || runs < 1) {
            throw new IllegalArgumentException("benchmark needs batch ≥ 1, warm-up ≥ 0 and runs ≥ 1; got batch " + batch
                    + ", warm-up " + warmup + ", runs " + runs);
        }
        List<FaceCrop> crops = randomCrops(embedder.inputSize(), batch, 42);
        for (int i = 0; i < warmup; i++) {
            embedder.embedRaw(crops);
        }
        double[] seconds = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            embedder.embedRaw(crops);
            seconds[i] = (System.nanoTime() - t0) / 1e9;
        }
        Arrays.sort(seconds);
        double median = runs % 2 == 1 ? seconds[runs / 2] : (seconds[runs / 2 - 1] + seconds[runs / 2]) / 2;
        return batch / median;
    }

    /** Reproducible crops of uniform noise in 0..255; the networks' cost does not depend on content. */
    static List<FaceCrop> randomCrops(int size, int n, long seed) {
        Random r = new Random(seed);
        List<FaceCrop> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] chw = new float[3 * size * size];
            for (int j = 0; j < chw.length; j++) {
                chw[j] = r.nextFloat() * 255f;
            }
            out.add(new FaceCrop(size, chw));
        }
        return out;
    }

    /**
     * Prints faces/s for each model at batches 1, 8 and 32 (or the batch sizes given as arguments).
     * Threads follow {@code -Dai.djl.pytorch.num_threads}.
     */
    public static void main(String[] args) {
        int[] batches = args.length == 0 ? new int[] {1, 8, 32} : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        for (EmbedderModel kind : EmbedderModel.values()) {
            long t0 = System.nanoTime();
            try (FaceEmbedder e = kind.open()) {
                System.out.printf("%s: opened in %.0f ms%n", kind.modelId(), (System.nanoTime() - t0) / 1e6);
                for (int b : batches) {
                    System.out.printf("%s batch %d: %.1f faces/s%n", kind.modelId(), b, facesPerSecond(e, b));
                }
            }
        }
    }
}
