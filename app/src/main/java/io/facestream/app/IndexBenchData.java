package io.facestream.app;

import io.facestream.recognize.engine.DatasetEmbedder;
import io.facestream.recognize.engine.EngineOptions;
import io.facestream.recognize.engine.FaceVariants;
import io.facestream.recognize.engine.VariantsFile;
import io.facestream.recognize.eval.ProgressBar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The faces of {@code bench index}: MobileFaceNet embeddings of every LFW image (embedded once and cached), split
 * into held-out queries (one image each of people with two or more images) and the gallery's real faces (all
 * other images); a gallery of any size is the real faces followed by jittered copies of them.
 *
 * <p>Jitter: each copy is a real face plus Gaussian noise of {@code sigma} per dimension, renormalised, and is an
 * identity of its own. The copies are drawn from a seeded generator, so {@link #face} gives the same vector for an
 * index every time and the gallery need not be held twice for the two indexes.
 */
final class IndexBenchData {

    /** One gallery face: its identity and unit vector. */
    record Face(String identity, float[] vector) {
    }

    private final List<float[]> real;
    private final List<String> realIdentity;
    private final List<float[]> queries;
    private final List<String> queryIdentity;
    private final double sigma;
    private final long seed;

    private IndexBenchData(List<float[]> real, List<String> realIdentity, List<float[]> queries,
            List<String> queryIdentity, double sigma, long seed) {
        this.real = real;
        this.realIdentity = realIdentity;
        this.queries = queries;
        this.queryIdentity = queryIdentity;
        this.sigma = sigma;
        this.seed = seed;
    }

    /**
     * Embeds (or reads from {@code cache}) every .jpg under {@code lfw} and holds out {@code queryCount} query
     * images, each of a different person who keeps at least one other image in the gallery.
     */
    static IndexBenchData load(Path lfw, Path cache, EngineOptions engine, int workers, int queryCount, double sigma,
            long seed) throws IOException, InterruptedException {
        if (!Files.isDirectory(lfw)) {
            throw new IllegalArgumentException("--lfw " + lfw + " is not a folder; give LFW's folder (one sub-folder per"
                    + " person), e.g. target/data/lfw after 'facestream setup'");
        }
        List<Path> images;
        try (Stream<Path> s = Files.walk(lfw)) {
            images = s.filter(p -> p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".jpg"))
                    .sorted().toList();
        }
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no .jpg image under " + lfw + "; give LFW's folder");
        }
        DatasetEmbedder.Result<FaceVariants> r;
        System.err.printf(java.util.Locale.ROOT, "bench index: %d images of %s, embeddings cached in %s%n",
                images.size(), lfw, cache);
        try (ProgressBar bar = new ProgressBar(images.size(), "img")) {
            r = VariantsFile.embedOrRead(new DatasetEmbedder(engine, workers), lfw, images, cache, bar::step);
        }
        List<Path> ok = new ArrayList<>(r.embeddings().keySet());
        Collections.sort(ok);
        Collections.shuffle(ok, new Random(seed));
        // Count images per person so that a query never takes a person's last image.
        Map<String, Long> perPerson = ok.stream().collect(java.util.stream.Collectors.groupingBy(
                IndexBenchData::person, java.util.stream.Collectors.counting()));
        List<float[]> real = new ArrayList<>();
        List<String> realIdentity = new ArrayList<>();
        List<float[]> queries = new ArrayList<>();
        List<String> queryIdentity = new ArrayList<>();
        Set<String> asked = new HashSet<>();
        for (Path p : ok) {
            String person = person(p);
            float[] v = r.embeddings().get(p).mobileFaceNet().values();
            if (queries.size() < queryCount && perPerson.get(person) >= 2 && asked.add(person)) {
                queries.add(v);
                queryIdentity.add(person);
            } else {
                real.add(v);
                realIdentity.add(person);
            }
        }
        if (queries.size() < queryCount) {
            throw new IllegalArgumentException("--queries " + queryCount + " is more than the " + queries.size()
                    + " people with two or more images; ask for fewer");
        }
        return new IndexBenchData(real, realIdentity, queries, queryIdentity, sigma, seed);
    }

    /** Real faces in the gallery (before jittered copies). */
    int realFaces() {
        return real.size();
    }

    /** The held-out query images' embeddings. */
    List<float[]> queries() {
        return queries;
    }

    /** Face {@code i} of a gallery: real faces first, then jittered copies, the same vector for the same i. */
    Face face(int i) {
        if (i < real.size()) {
            return new Face(realIdentity.get(i), real.get(i));
        }
        // One generator per copy, seeded by its index: any copy can be made again without the ones before it.
        Random r = new Random(seed * 0x9E3779B97F4A7C15L + i);
        float[] src = real.get(r.nextInt(real.size()));
        float[] v = new float[src.length];
        double s = 0;
        for (int d = 0; d < v.length; d++) {
            v[d] = (float) (src[d] + sigma * r.nextGaussian());
            s += (double) v[d] * v[d];
        }
        float inv = (float) (1 / Math.sqrt(s));
        for (int d = 0; d < v.length; d++) {
            v[d] *= inv;
        }
        return new Face("jitter-" + (i - real.size()), v);
    }

    /** Mean squared distance of a jittered copy to the face it was made from, over {@code n} copies. */
    double meanJitterDistance(int n) {
        double sum = 0;
        for (int k = 0; k < n; k++) {
            int i = real.size() + k;
            Random r = new Random(seed * 0x9E3779B97F4A7C15L + i);
            float[] src = real.get(r.nextInt(real.size()));
            float[] v = face(i).vector();
            for (int d = 0; d < v.length; d++) {
                double x = v[d] - src[d];
                sum += x * x;
            }
        }
        return sum / n;
    }

    /**
     * Median squared distance between a query and the nearest real image of the same person, for scale beside
     * {@link #meanJitterDistance}.
     */
    double medianSamePersonDistance() {
        List<Double> ds = new ArrayList<>();
        for (int q = 0; q < queries.size(); q++) {
            double best = Double.POSITIVE_INFINITY;
            for (int i = 0; i < real.size(); i++) {
                if (realIdentity.get(i).equals(queryIdentity.get(q))) {
                    float[] a = queries.get(q);
                    float[] b = real.get(i);
                    double s = 0;
                    for (int d = 0; d < a.length; d++) {
                        double x = a[d] - b[d];
                        s += x * x;
                    }
                    best = Math.min(best, s);
                }
            }
            ds.add(best);
        }
        Collections.sort(ds);
        return ds.isEmpty() ? Double.NaN : ds.get(ds.size() / 2);
    }

    private static String person(Path image) {
        return image.getParent().getFileName().toString();
    }
}
