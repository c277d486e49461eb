package io.facestream.app;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.facestream.recognize.engine.EngineOptions;
import io.facestream.recognize.eval.ProgressBar;
import io.facestream.recognize.index.EmbeddingIndex;
import io.facestream.recognize.index.EmbeddingIndexes;
import io.facestream.recognize.index.ExactIndex;
import io.facestream.recognize.index.HnswIndex;
import io.facestream.recognize.index.Neighbour;
import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Exact search against the HNSW index at growing gallery sizes: build time, memory, and single-thread latency per
 * query, with the search breadth raised until recall@1 against exact search reaches the target.
 */
@Command(name = "index", mixinStandardHelpOptions = true,
        description = {"Exact search and the HNSW gallery index at 10^4, 10^5 and 10^6 entries of 192-D MobileFaceNet"
            + " embeddings: LFW's faces (embedded once, cached) plus jittered copies of them, each its own identity.",
            "Queries are held-out LFW images of people who have other images in the gallery. For each size: build time,"
                + " memory, and single-thread latency (mean, p50, p99) of exact search and of HNSW at each search"
                + " breadth ef, raised until recall@1 against exact search reaches --recall."})
final class IndexBenchCommand implements Callable<Integer> {

    @Option(names = "--lfw", paramLabel = "DIR", defaultValue = "target/data/lfw",
            description = "LFW's folder, one sub-folder per person (default: ${DEFAULT-VALUE}).")
    Path lfw;

    @Option(names = "--cache", paramLabel = "FILE", defaultValue = "target/index/lfw-variants.bin",
            description = "Where the embeddings of LFW are kept between runs (default: ${DEFAULT-VALUE}).")
    Path cache;

    @Option(names = "--sizes", paramLabel = "N[,N...]", defaultValue = "10000,100000,1000000", split = ",",
            description = "Gallery sizes in entries (default: ${DEFAULT-VALUE}).")
    List<Integer> sizes;

    @Option(names = "--queries", paramLabel = "N", defaultValue = "1000",
            description = "Held-out query images, one per person (default: ${DEFAULT-VALUE}).")
    int queries;

    @Option(names = "--m", paramLabel = "M", defaultValue = "" + HnswIndex.DEFAULT_M,
            description = "HNSW neighbours per node, twice that on the bottom level (default: ${DEFAULT-VALUE}).")
    int m;

    @Option(names = {"--beam", "--ef-construction"}, paramLabel = "N", defaultValue = "" + HnswIndex.DEFAULT_BEAM,
            description = "HNSW candidates kept while inserting (default: ${DEFAULT-VALUE}).")
    int beam;

    @Option(names = "--precision", paramLabel = "P", defaultValue = "INT8",
            description = "What the HNSW graph is built and walked on: FLOAT32 or INT8 (components rounded to bytes,"
                    + " the candidates ranked again by their float distances) (default: ${DEFAULT-VALUE}).")
    HnswIndex.Precision precision;

    @Option(names = "--ef", paramLabel = "EF[,EF...]", defaultValue = "8,16,24,32,48,64,96,128,192,256,384,512",
            split = ",", description = "Search breadths tried in this order until recall@1 reaches --recall"
                    + " (default: ${DEFAULT-VALUE}).")
    List<Integer> efs;

    @Option(names = "--recall", paramLabel = "R", defaultValue = "0.99",
            description = "Recall@1 against exact search to reach (default: ${DEFAULT-VALUE}).")
    double recallTarget;

    @Option(names = "--sigma", paramLabel = "S", defaultValue = "0.07",
            description = "Gaussian noise per dimension of a jittered copy, before renormalising: 0.07 puts a copy at"
                    + " squared distance ~0.57 from its source, nearer than the same-person threshold 1.196, so copies"
                    + " crowd the real faces as look-alikes would (default: ${DEFAULT-VALUE}).")
    double sigma;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Seed of the query draw, the jitter and the HNSW levels (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "0",
            description = "Embedding workers when the cache is missing, one thread each (default: one per core).")
    int workers;

    @Option(names = "--weights-dir", paramLabel = "DIR",
            description = "Cache folder of the pretrained weights (default: $FACESTREAM_WEIGHTS or ~/.cache/facestream/weights).")
    Path weightsDir;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON to this file.")
    Path json;


    /** One search configuration measured over all queries. */
    record Latency(double recall, double meanMs, double p50Ms, double p99Ms, double visited) {
    }

    @Override
    public Integer call() throws Exception {
        validate();
        String loadBefore = load();
        int n = workers > 0 ? workers : Math.max(1, Runtime.getRuntime().availableProcessors());
        IndexBenchData data = IndexBenchData.load(lfw, cache, new EngineOptions(weightsDir, 1, "auto", 20), n, queries,
                sigma, seed);
        List<float[]> qs = data.queries();
        System.out.printf(Locale.ROOT, "%d real gallery faces, %d held-out queries (one image each of people with other"
                + " images in the gallery); jitter sigma %.3f: copy-to-source squared distance %.3f on average"
                + " (median query to same person's nearest image: %.3f)%n", data.realFaces(), qs.size(), sigma,
                data.meanJitterDistance(1000), data.medianSamePersonDistance());
        String hugePages = vmOption("UseTransparentHugePages");
        System.out.printf(Locale.ROOT, "HNSW (Lucene 9.12) m=%d beam=%d seed=%d precision=%s; switch-over in use: %d"
                + " entries; Java %s, heap max %d MB, transparent huge pages %s; load average before: %s%n", m, beam,
                seed, precision, EmbeddingIndexes.SWITCH_OVER, Runtime.version().feature(),
                Runtime.getRuntime().maxMemory() >> 20,
                "true".equals(hugePages) ? "on" : "off (a graph of 10^6 nodes walks through ~1 GB of heap at random:"
                        + " -XX:+UseTransparentHugePages spares most of the TLB misses)", loadBefore);
        ObjectNode out = Json.object();
        out.put("loadBefore", loadBefore).put("sigma", sigma).put("m", m).put("beam", beam).put("seed", seed)
                .put("precision", precision.name()).put("java", Runtime.version().feature())
                .put("transparentHugePages", "true".equals(hugePages))
                .put("queries", qs.size()).put("realFaces", data.realFaces());
        ArrayNode rows = out.putArray("sizes");
        List<String> summary = new ArrayList<>();
        for (int size : sizes) {
            summary.add(measure(size, data, qs, rows.addObject()));
        }
        String loadAfter = load();
        out.put("loadAfter", loadAfter);
        System.out.println();
        System.out.println("entries    exact: build  MB    mean   p50    p99 ms | HNSW: build s  MB    ef   recall  mean   p50    p99 ms");
        summary.forEach(System.out::println);
        System.out.println("load average after: " + loadAfter);
        if (json != null) {
            Path parent = json.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(json.toFile(), out);
            System.out.println("figures written to " + json);
        }
        return 0;
    }

    private String measure(int size, IndexBenchData data, List<float[]> qs, ObjectNode row) {
        System.out.printf(Locale.ROOT, "%n== %,d entries ==%n", size);
        int dim = qs.get(0).length;
        long before = usedAfterGc();
        long t0 = System.nanoTime();
        ExactIndex exact = new ExactIndex(dim);
        for (int i = 0; i < size; i++) {
            IndexBenchData.Face f = data.face(i);
            exact.add(f.identity(), f.vector());
        }
        double exactBuild = seconds(t0);
        long exactBytes = usedAfterGc() - before;
        // Exact search gives the truth each query is scored against: the distance of the true nearest entry.
        double[] truth = new double[qs.size()];
        Latency exactLat = time(exact, qs, truth, true);
        System.out.printf(Locale.ROOT, "exact: built in %.2f s, %.0f MB measured on the heap (%.0f MB estimated);"
                + " per query mean %.3f ms, p50 %.3f, p99 %.3f%n", exactBuild, mb(exactBytes), mb(exact.ramBytes()),
                exactLat.meanMs(), exactLat.p50Ms(), exactLat.p99Ms());

        long beforeH = usedAfterGc();
        t0 = System.nanoTime();
        HnswIndex hnsw = new HnswIndex(dim, m, beam, seed, precision);
        try (ProgressBar bar = new ProgressBar(size, "nodes")) {
            for (int i = 0; i < size; i++) {
                IndexBenchData.Face f = data.face(i);
                hnsw.add(f.identity(), f.vector());
                if ((i & 1023) == 1023 || i == size - 1) {
                    bar.step(i == size - 1 ? (i & 1023) + 1 : 1024);
                }
            }
        }
        double hnswBuild = seconds(t0);
        long hnswBytes = usedAfterGc() - beforeH;
        long heap = usedAfterGc();
        // Without this the JIT may treat the exact index as dead after its last search, the collector frees it
        // during the HNSW build, and the HNSW's measured bytes come out short by the exact index's size.
        Reference.reachabilityFence(exact);
        System.out.printf(Locale.ROOT, "HNSW: built in %.1f s (%.0f entries/s), %.0f MB measured on the heap (%.0f MB"
                + " estimated); heap in use with both indexes: %.0f MB%n", hnswBuild, size / hnswBuild, mb(hnswBytes),
                mb(hnsw.ramBytes()), mb(heap));
        System.out.println("    ef   recall@1   mean ms   p50 ms   p99 ms   visited");
        ArrayNode efRows = row.putArray("ef");
        Latency chosen = null;
        int chosenEf = -1;
        for (int ef : efs) {
            hnsw.searchBreadth(ef);
            Latency l = time(hnsw, qs, truth, false);
            System.out.printf(Locale.ROOT, "  %4d   %8.4f   %7.3f  %7.3f  %7.3f  %8.0f%n", ef, l.recall(), l.meanMs(),
                    l.p50Ms(), l.p99Ms(), l.visited());
            efRows.addObject().put("ef", ef).put("recall", l.recall()).put("meanMs", l.meanMs())
                    .put("p50Ms", l.p50Ms()).put("p99Ms", l.p99Ms()).put("visitedPerQuery", l.visited());
            if (l.recall() >= recallTarget) {
                chosen = l;
                chosenEf = ef;
                break;
            }
        }
        row.put("entries", size).put("exactBuildS", exactBuild).put("exactBytes", exactBytes)
                .put("exactMeanMs", exactLat.meanMs()).put("exactP50Ms", exactLat.p50Ms())
                .put("exactP99Ms", exactLat.p99Ms()).put("hnswBuildS", hnswBuild).put("hnswBytes", hnswBytes)
                .put("hnswEstimatedBytes", hnsw.ramBytes()).put("heapBytesWithBoth", heap)
                .put("chosenEf", chosenEf);
        String hnswPart = chosen == null
                ? String.format(Locale.ROOT, "%6.1f %5.0f  recall %.2f not reached at ef %d", hnswBuild, mb(hnswBytes),
                        recallTarget, efs.get(efs.size() - 1))
                : String.format(Locale.ROOT, "%6.1f %5.0f  %4d  %6.4f %6.3f %6.3f %6.3f", hnswBuild, mb(hnswBytes),
                        chosenEf, chosen.recall(), chosen.meanMs(), chosen.p50Ms(), chosen.p99Ms());
        return String.format(Locale.ROOT, "%9d  %6.2f %5.0f %6.3f %6.3f %6.3f    | %s", size, exactBuild, mb(exactBytes),
                exactLat.meanMs(), exactLat.p50Ms(), exactLat.p99Ms(), hnswPart);
    }

    /**
     * Times {@code nearest(q, 1)} over every query on this thread, after an untimed warm-up for the JIT. With
     * {@code record} the distances found are the truth; otherwise a query counts as found when its answer is at
     * the true nearest distance (another entry at the same distance is as good).
     */
    private static Latency time(EmbeddingIndex index, List<float[]> qs, double[] truth, boolean record) {
        // One untimed pass first: the JIT compiles the search, and the pass leaves the caches as a steady stream of
        // queries would. (200 queries were too few: the first search breadths measured slower than larger ones.)
        for (float[] q : qs) {
            index.nearest(q, 1);
        }
        long[] nanos = new long[qs.size()];
        long visitedBefore = index instanceof HnswIndex h ? h.visitedNodes() : 0;
        int hits = 0;
        for (int i = 0; i < qs.size(); i++) {
            long t = System.nanoTime();
            Neighbour n = index.nearest(qs.get(i), 1).get(0);
            nanos[i] = System.nanoTime() - t;
            if (record) {
                truth[i] = n.distance();
            }
            if (n.distance() <= truth[i] + 1e-9) {
                hits++;
            }
        }
        double mean = Arrays.stream(nanos).average().orElse(0) / 1e6;
        // Exact search scores every entry.
        double visited = index instanceof HnswIndex h ? (double) (h.visitedNodes() - visitedBefore) / qs.size()
                : index.size();
        Arrays.sort(nanos);
        return new Latency((double) hits / qs.size(), mean, nanos[nanos.length / 2] / 1e6,
                nanos[Math.min(nanos.length - 1, (int) Math.ceil(nanos.length * 0.99) - 1)] / 1e6, visited);
    }

    private void validate() {
        if (sizes.isEmpty() || sizes.stream().anyMatch(s -> s < 1)) {
            throw new IllegalArgumentException("--sizes must list gallery sizes of 1 or more, was " + sizes);
        }
        if (queries < 1) {
            throw new IllegalArgumentException("--queries must be at least 1, was " + queries);
        }
        if (efs.isEmpty() || efs.stream().anyMatch(e -> e < 1)) {
            throw new IllegalArgumentException("--ef must list search breadths of 1 or more, was " + efs);
        }
        if (!(recallTarget > 0 && recallTarget <= 1)) {
            throw new IllegalArgumentException("--recall must be in (0, 1], was " + recallTarget);
        }
        if (!(sigma >= 0)) {
            throw new IllegalArgumentException("--sigma must be 0 or more, was " + sigma);
        }
    }

    private static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    /** A HotSpot flag's value, or "unknown" on a JVM without them. */
    private static String vmOption(String name) {
        try {
            return java.lang.management.ManagementFactory.getPlatformMXBean(
                    com.sun.management.HotSpotDiagnosticMXBean.class).getVMOption(name).getValue();
        } catch (RuntimeException e) {
            return "unknown";
        }
    }

    private static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double mb(long bytes) {
        return bytes / 1048576.0;
    }
}
