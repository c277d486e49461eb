package io.facestream.app;

import io.facestream.core.Embedding;
import io.facestream.recognize.engine.DatasetEmbedder;
import io.facestream.recognize.engine.EngineOptions;
import io.facestream.recognize.engine.EnsembleWeights;
import io.facestream.recognize.engine.FaceModel;
import io.facestream.recognize.engine.FaceVariants;
import io.facestream.recognize.engine.VariantsFile;
import io.facestream.recognize.eval.ProgressBar;
import io.facestream.recognize.group.ChineseWhispers;
import io.facestream.recognize.group.Committee;
import io.facestream.recognize.group.Dbscan;
import io.facestream.recognize.group.Edges;
import io.facestream.recognize.group.GroupingScores;
import io.facestream.recognize.group.Groups;
import io.facestream.recognize.group.Neighbours;
import io.facestream.recognize.group.Propagation;
import io.facestream.recognize.group.RadiusGraph;
import io.facestream.recognize.group.UnitVectors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Groups unlabelled face images by person: the committee's consensus (ours), DBSCAN and Chinese Whispers. */
@Command(name = "group", mixinStandardHelpOptions = true,
        description = {"Group unlabelled face images by person.",
            "Every image is embedded once by both networks (the mirror image added);",
            "the embeddings are kept in a cache file for the next run.",
            "consensus: a k-NN graph per network; a link only where both networks list",
            "the pair and both put it within their own threshold; then CDP's propagation",
            "(components; a too-big one is split by dropping its weakest links).",
            "dbscan, whispers: the baselines, on the ensemble embedding at its threshold.",
            "When DIR holds one sub-folder per person (LFW's layout) the groups are",
            "scored against them: pairwise and BCubed precision, recall and F."})
final class GroupCommand implements Callable<Integer> {

    /** CDP's k for its k-NN graphs. */
    static final int CDP_K = 20;
    /** CDP's published size limit ({@code max_sz}) for its 200k-face sets: the split is for chains, not for people. */
    static final int CDP_MAX_SIZE = 1000;
    /** facenet's cluster.py: min_cluster_size 1, every face a core point (single linkage at eps). */
    static final int FACENET_MIN_SAMPLES = 1;
    /** dlib's chinese_whispers default number of iterations; we also stop once a round changes nothing. */
    static final int DLIB_WHISPERS_ROUNDS = 100;

    @Option(names = "--images", paramLabel = "DIR", required = true, description = "Folder of face images (any depth).")
    Path images;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "target/groups",
            description = "Where each method writes a folder per group, <out>/<method>/group-NNNN (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the groups, parameters, timings and scores as JSON here.")
    Path json;

    @Option(names = "--sheet", paramLabel = "DIR",
            description = "Draw a contact sheet PNG per group here, <sheet>/<method>/group-NNNN.png (up to "
                    + ContactSheet.MAX_THUMBNAILS + " faces each).")
    Path sheet;

    @Option(names = "--method", paramLabel = "METHOD", defaultValue = "consensus",
            description = {"consensus, dbscan, whispers, all (those three), or several, comma-separated;",
                "single (consensus with the ensemble alone for a committee) measures what the",
                "committee adds. A table compares them when the people are known",
                "(default: ${DEFAULT-VALUE})."})
    String method;

    @Option(names = "--cache", paramLabel = "FILE",
            description = "File that keeps both networks' embeddings of the folder, so a second run does not embed again"
                    + " (default: target/group-cache/<folder>-<hash>.fsvf).")
    Path cache;

    @Option(names = "--k", paramLabel = "K", defaultValue = "" + CDP_K,
            description = "Neighbours per face in each network's k-NN graph (default: ${DEFAULT-VALUE}, as CDP).")
    int k;

    @Option(names = "--max-size", paramLabel = "N", defaultValue = "" + CDP_MAX_SIZE,
            description = "consensus: a component above this many faces is split by dropping its weakest links"
                    + " (default: ${DEFAULT-VALUE}, CDP's max_sz).")
    int maxSize;

    @Option(names = "--min-samples", paramLabel = "N", defaultValue = "" + FACENET_MIN_SAMPLES,
            description = "dbscan: faces within eps (itself included) that make a core face (default: ${DEFAULT-VALUE}, as facenet's cluster.py).")
    int minSamples;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "whispers: seed of the random visiting order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "0",
            description = "Parallel embedding workers, each with its own networks and one thread (default: one per core).")
    int workers;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "Threads for the all-pairs distance work (default: one per core).")
    int threads;

    @Option(names = "--weights-dir", paramLabel = "DIR",
            description = "Cache folder of the pretrained weights (default: $FACESTREAM_WEIGHTS or ~/.cache/facestream/weights).")
    Path weightsDir;

    @Option(names = "--cross-check", paramLabel = "PAIRS.txt",
            description = {"Also group with thresholds that never saw the people grouped: each network's threshold is",
                "picked by the verification protocol on one half of the folds of this pairs file",
                "(LFW's format, over DIR), and the faces of everyone not in that half are grouped",
                "and scored, with those thresholds and with the defaults; then the other way round."})
    Path crossCheck;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        Set<GroupMethod> methods = methods(method);
        if (k < 1 || maxSize < 1 || minSamples < 1) {
            throw new IllegalArgumentException("--k, --max-size and --min-samples must be at least 1; were " + k + ", " + maxSize + ", " + minSamples);
        }
        List<Path> files = GroupImages.list(images);
        int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
        int n = workers > 0 ? workers : cores;
        int graphThreads = threads > 0 ? threads : cores;
        Path cacheFile = cache != null ? cache : defaultCache(images);
        DatasetEmbedder embedder = new DatasetEmbedder(new EngineOptions(weightsDir, 1, "auto", 20), n);
        System.err.printf(Locale.ROOT, "group: %d images in %s, both networks with the mirror, %d workers; cache %s%n",
                files.size(), images, n, cacheFile);
        DatasetEmbedder.Result<FaceVariants> r;
        try (ProgressBar bar = quiet ? null : new ProgressBar(files.size(), "img")) {
            r = VariantsFile.embedOrRead(embedder, images, files, cacheFile, x -> {
                if (bar != null) {
                    bar.step(x);
                }
            });
        }
        List<Path> faces = files.stream().filter(r.embeddings()::containsKey).toList();
        if (faces.size() < 2) {
            throw new IllegalArgumentException("only " + faces.size() + " of the " + files.size() + " images could be read; grouping needs two or more");
        }
        Embedded e = embedded(faces, r.embeddings());
        List<String> people = GroupImages.truth(images, faces);
        int[] truth = people == null ? null : GroupingScores.labels(people);

        List<GroupMethod.Run> runs = new ArrayList<>();
        for (GroupMethod m : methods) {
            runs.add(run(m, e, Thresholds.DEFAULTS, truth, graphThreads));
        }
        GroupCrossCheck checked = null;
        if (crossCheck != null) {
            if (people == null) {
                throw new IllegalArgumentException("--cross-check needs one sub-folder per person in " + images
                        + " (LFW's layout), to know whose faces to leave out of each half");
            }
            checked = GroupCrossCheck.run(crossCheck, images, faces, r.embeddings(), people, methods,
                    (m, sub, t, subTruth) -> run(m, sub, t, subTruth, graphThreads));
        }

        GroupReport report = new GroupReport(images, faces, r, embeddingName(), runs);
        report.writeFolders(out);
        if (sheet != null) {
            report.writeSheets(sheet);
        }
        if (json != null) {
            report.writeJson(json, checked == null ? null : checked.toJson());
        }
        report.print(System.out, out, sheet, json);
        if (checked != null) {
            checked.print(System.out);
        }
        return 0;
    }

    private static String embeddingName() {
        return "each network with the mirror image added (mobilefacenet-192 + flip, dlib-resnet-128 + flip);"
                + " baselines on the ensemble of both + flip";
    }

    /**
     * The squared-L2 thresholds the methods link faces under: each network's own (the committee) and the ensemble's
     * (the baselines and {@code single}).
     */
    record Thresholds(double mobileFaceNet, double dlib, double ensemble) {
        /** The engine's verification defaults. */
        static final Thresholds DEFAULTS = new Thresholds(FaceModel.MOBILEFACENET.threshold(), FaceModel.DLIB.threshold(),
                FaceModel.ENSEMBLE.threshold());
    }

    /** Runs one method over {@code e} under {@code t}; scored when {@code truth} (one label per face) is given. */
    private GroupMethod.Run run(GroupMethod m, Embedded e, Thresholds t, int[] truth, int threads) {
        long t0 = System.nanoTime();
        Map<String, Object> params = new LinkedHashMap<>();
        Groups groups = switch (m) {
            case CONSENSUS -> consensus(e, t, params, threads);
            case DBSCAN -> dbscan(e, t, params, threads);
            case WHISPERS -> whispers(e, t, params, threads);
            case SINGLE -> single(e, t, params, threads);
        };
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new GroupMethod.Run(m, params, groups, seconds, truth == null ? null : GroupingScores.of(groups, truth));
    }

    /** The three embeddings every method draws on, one row per face in the order of {@code faces}. */
    record Embedded(UnitVectors mobileFaceNet, UnitVectors dlib, UnitVectors ensemble) {
    }

    static Embedded embedded(List<Path> faces, Map<Path, FaceVariants> variants) {
        List<Embedding> m = new ArrayList<>();
        List<Embedding> d = new ArrayList<>();
        List<Embedding> en = new ArrayList<>();
        for (Path p : faces) {
            FaceVariants v = variants.get(p);
            m.add(v.select(FaceModel.MOBILEFACENET, true, EnsembleWeights.BALANCED));
            d.add(v.select(FaceModel.DLIB, true, EnsembleWeights.BALANCED));
            en.add(v.select(FaceModel.ENSEMBLE, true, EnsembleWeights.BALANCED));
        }
        return new Embedded(UnitVectors.of("mobilefacenet+flip", m), UnitVectors.of("dlib+flip", d), UnitVectors.of("ensemble+flip", en));
    }

    /**
     * The k-NN graph of each set of vectors, built once: it does not depend on the threshold, and the cross-check
     * groups the same faces under two sets of thresholds.
     */
    private final Map<UnitVectors, Neighbours> graphs = new IdentityHashMap<>();

    /** A committee member over {@code vectors} with its (possibly already built) k-NN graph. */
    private Committee.Member member(UnitVectors vectors, double threshold, int threads) {
        return new Committee.Member(vectors, graphs.computeIfAbsent(vectors, v -> Neighbours.exact(v, k, threads)), threshold);
    }

    private Groups consensus(Embedded e, Thresholds t, Map<String, Object> params, int threads) {
        long t0 = System.nanoTime();
        List<Committee.Member> committee = List.of(
                member(e.mobileFaceNet(), t.mobileFaceNet(), threads),
                member(e.dlib(), t.dlib(), threads));
        double knnSeconds = (System.nanoTime() - t0) / 1e9;
        Edges agreed = Committee.agree(committee);
        Propagation.Result p = Propagation.run(agreed, maxSize, Propagation.CDP_STEP);
        params.put("k", k);
        Map<String, Object> members = new LinkedHashMap<>();
        for (Committee.Member m : committee) {
            members.put(m.vectors().name(), Map.of("threshold", m.threshold()));
        }
        params.put("committee", members);
        params.put("rule", "pair in both networks' k-NN (either direction) and within both thresholds; score = min(1 - d/threshold)");
        params.put("maxSize", maxSize);
        params.put("step", Propagation.CDP_STEP);
        params.put("agreedEdges", agreed.count());
        params.put("oversizedComponents", p.splitComponents());
        params.put("propagationRounds", p.rounds());
        params.put("knnSeconds", round(knnSeconds));
        return p.groups();
    }

    private Groups single(Embedded e, Thresholds t, Map<String, Object> params, int threads) {
        Committee.Member alone = member(e.ensemble(), t.ensemble(), threads);
        Edges edges = Committee.agree(List.of(alone));
        Propagation.Result p = Propagation.run(edges, maxSize, Propagation.CDP_STEP);
        params.put("k", k);
        params.put("embedding", e.ensemble().name());
        params.put("threshold", t.ensemble());
        params.put("maxSize", maxSize);
        params.put("step", Propagation.CDP_STEP);
        params.put("edges", edges.count());
        params.put("oversizedComponents", p.splitComponents());
        params.put("propagationRounds", p.rounds());
        return p.groups();
    }

    private Groups dbscan(Embedded e, Thresholds t, Map<String, Object> params, int threads) {
        double eps2 = t.ensemble();
        Edges within = RadiusGraph.within(e.ensemble(), eps2, threads);
        Dbscan.Result d = Dbscan.run(within, minSamples);
        params.put("embedding", e.ensemble().name());
        params.put("epsSquared", eps2);
        params.put("eps", round(Math.sqrt(eps2)));
        params.put("minSamples", minSamples);
        params.put("edgesWithinEps", within.count());
        params.put("noise", d.noise());
        return d.groups();
    }

    private Groups whispers(Embedded e, Thresholds t, Map<String, Object> params, int threads) {
        Edges graph = ChineseWhispers.similarityWeights(RadiusGraph.within(e.ensemble(), t.ensemble(), threads));
        ChineseWhispers.Result w = ChineseWhispers.run(graph, DLIB_WHISPERS_ROUNDS, seed);
        params.put("embedding", e.ensemble().name());
        params.put("edgeThresholdSquared", t.ensemble());
        params.put("weight", "cosine similarity, 1 - d/2");
        params.put("maxRounds", DLIB_WHISPERS_ROUNDS);
        params.put("rounds", w.rounds());
        params.put("converged", w.converged());
        params.put("seed", seed);
        params.put("edges", graph.count());
        return w.groups();
    }

    static Set<GroupMethod> methods(String list) {
        Set<GroupMethod> out = EnumSet.noneOf(GroupMethod.class);
        for (String part : list.split(",")) {
            String n = part.trim().toLowerCase(Locale.ROOT);
            if (n.equals("all")) {
                out.addAll(EnumSet.of(GroupMethod.CONSENSUS, GroupMethod.DBSCAN, GroupMethod.WHISPERS));
                continue;
            }
            GroupMethod found = null;
            for (GroupMethod m : GroupMethod.values()) {
                if (m.cliName().equals(n)) {
                    found = m;
                }
            }
            if (found == null) {
                throw new IllegalArgumentException("--method " + part.trim() + " is not known; choose consensus, dbscan, whispers or all"
                        + " (or single), or several separated by commas");
            }
            out.add(found);
        }
        return out;
    }

    static double round(double x) {
        return Math.round(x * 1000) / 1000.0;
    }

    static Path defaultCache(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        String name = abs.getFileName() == null ? "root" : abs.getFileName().toString();
        return Path.of("target", "group-cache", String.format(Locale.ROOT, "%s-%08x.fsvf", name, abs.toString().hashCode()));
    }
}
