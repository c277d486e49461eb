package io.facestream.recognize.engine;

import io.facestream.core.DetectedFace;
import io.facestream.core.Embedding;
import io.facestream.recognize.engine.MultiView.View;
import io.facestream.recognize.image.RgbImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Embeds every image of a data set once: one face per image (the central one of a portrait, or the
 * documented fallback crop when none is found), several workers each with their own engine, images
 * grouped so that each network call gets a batch.
 */
public final class DatasetEmbedder {

    /**
     * Images per detector and embedder call within one worker. On 2 cores with one thread per worker,
     * 8 images (16 crops per network with the mirrors) ran 15–20% faster than 16 images: the
     * networks' per-face cost grows with batch size past ~16 on this CPU.
     */
    static final int CHUNK = 8;

    /** What came out: one value per readable image, and which images needed the fallback or failed. */
    public record Result<T>(Map<Path, T> embeddings, List<Path> noFace, Map<Path, String> failed, double seconds) {
    }

    /** Turns a chunk of decoded images and their chosen faces into one value per image. */
    private interface ChunkEmbedder<T> {
        List<T> apply(FaceEngine engine, List<RgbImage> images, List<DetectedFace> faces);
    }

    private final EngineOptions options;
    private final int workers;
    private final FaceChoice.Rule choice;

    /**
     * @param options engine options for each worker; {@code threads} is per worker
     * @param workers number of parallel workers, each with its own networks
     */
    public DatasetEmbedder(EngineOptions options, int workers) {
        this(options, workers, FaceChoice.Rule.CENTRAL);
    }

    private DatasetEmbedder(EngineOptions options, int workers, FaceChoice.Rule choice) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, was " + workers);
        }
        this.options = options;
        this.workers = workers;
        this.choice = choice;
    }

    /** This embedder with another rule for the face of an image with several ({@link FaceChoice#portrait}). */
    public DatasetEmbedder choosing(FaceChoice.Rule rule) {
        return new DatasetEmbedder(options, workers, rule);
    }

    /** Embeds the images with {@code model}; {@code progress} receives the number of images finished. */
    public Result<Embedding> embed(List<Path> images, FaceModel model, boolean flip, IntConsumer progress)
            throws InterruptedException {
        return run(images, progress, (engine, decoded, chosen) -> engine.embed(decoded, chosen, model, flip));
    }

    /** Both networks on each face and on its mirror image, from which every configuration can be made. */
    public Result<FaceVariants> embedVariants(List<Path> images, IntConsumer progress) throws InterruptedException {
        return run(images, progress, (engine, decoded, chosen) -> {
            List<Embedding> m = engine.embedWithMirrors(decoded, chosen, FaceModel.MOBILEFACENET);
            List<Embedding> d = engine.embedWithMirrors(decoded, chosen, FaceModel.DLIB);
            int n = decoded.size();
            List<FaceVariants> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(new FaceVariants(m.get(i), m.get(n + i), d.get(i), d.get(n + i)));
            }
            return out;
        });
    }

    /**
     * Each view of {@code views} of every face, embedded by each of {@code networks} (single networks, not the
     * ensemble); the mirrored image is detected again only where a view of the set needs it.
     */
    public Result<FaceViews> embedViews(List<Path> images, MultiView views, Set<FaceModel> networks,
            IntConsumer progress) throws InterruptedException {
        if (networks.isEmpty() || networks.contains(FaceModel.ENSEMBLE)) {
            throw new IllegalArgumentException("name the single networks to run (the ensemble is both), were " + networks);
        }
        return run(images, progress, (engine, decoded, chosen) -> {
            MultiView.Prepared prepared = views.prepare(engine, decoded, chosen);
            int n = decoded.size();
            List<Map<View, Embedding>> none = Collections.nCopies(n, Map.of());
            List<Map<View, Embedding>> m = networks.contains(FaceModel.MOBILEFACENET)
                    ? views.embedEach(engine, decoded, chosen, prepared, FaceModel.MOBILEFACENET) : none;
            List<Map<View, Embedding>> d = networks.contains(FaceModel.DLIB)
                    ? views.embedEach(engine, decoded, chosen, prepared, FaceModel.DLIB) : none;
            List<FaceViews> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(new FaceViews(m.get(i), d.get(i)));
            }
            return out;
        });
    }

    private <T> Result<T> run(List<Path> images, IntConsumer progress, ChunkEmbedder<T> how) throws InterruptedException {
        long start = System.nanoTime();
        Map<Path, T> embeddings = new ConcurrentHashMap<>();
        List<Path> noFace = Collections.synchronizedList(new ArrayList<>());
        Map<Path, String> failed = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "embed-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                futures.add(pool.submit(() -> {
                    try (FaceEngine engine = FaceEngine.open(options)) {
                        while (true) {
                            int from = next.getAndAdd(CHUNK);
                            if (from >= images.size()) {
                                return null;
                            }
                            List<Path> chunk = images.subList(from, Math.min(images.size(), from + CHUNK));
                            embedChunk(engine, chunk, how, choice, embeddings, noFace, failed);
                            progress.accept(chunk.size());
                        }
                    }
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    Throwable c = e.getCause();
                    throw c instanceof RuntimeException re ? re : new IllegalStateException(c.getMessage(), c);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        List<Path> sortedNoFace = new ArrayList<>(noFace);
        Collections.sort(sortedNoFace);
        return new Result(embeddings, sortedNoFace, failed, (System.nanoTime() - start) / 1e9);
    }

    private static <T> void embedChunk(FaceEngine engine, List<Path> chunk, ChunkEmbedder<T> how, FaceChoice.Rule choice,
                                       Map<Path, T> out, List<Path> noFace, Map<Path, String> failed) {
        List<Path> paths = new ArrayList<>();
        List<RgbImage> decoded = new ArrayList<>();
        for (Path p : chunk) {
            try {
                decoded.add(RgbImage.read(p));
                paths.add(p);
            } catch (IOException e) {
                failed.put(p, e.getMessage());
            }
        }
        // One detector call for the whole chunk: R-Net and O-Net crops of all images share batches.
        List<List<DetectedFace>> detections = engine.detect(decoded);
        List<DetectedFace> chosen = new ArrayList<>();
        for (int i = 0; i < decoded.size(); i++) {
            FaceChoice.Portrait p = FaceChoice.portrait(engine, decoded.get(i), detections.get(i), choice);
            if (p.fallback()) {
                noFace.add(paths.get(i));
            }
            chosen.add(p.face());
        }
        if (paths.isEmpty()) {
            return;
        }
        List<T> result = how.apply(engine, decoded, chosen);
        for (int i = 0; i < paths.size(); i++) {
            out.put(paths.get(i), result.get(i));
        }
    }
}
