package io.facestream.recognize.index;

import io.facestream.core.Embedding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.apache.lucene.codecs.hnsw.FlatVectorScorerUtil;
import org.apache.lucene.codecs.hnsw.FlatVectorsScorer;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopKnnCollector;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.hnsw.HnswGraphBuilder;
import org.apache.lucene.util.hnsw.HnswGraphSearcher;
import org.apache.lucene.util.hnsw.OnHeapHnswGraph;
import org.apache.lucene.util.hnsw.RandomAccessVectorValues;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;

/**
 * Approximate nearest-neighbour search on an HNSW graph (Lucene's in-memory graph builder and searcher, no index
 * files), for galleries past {@link EmbeddingIndexes#SWITCH_OVER}. Each node of the graph is one entry.
 *
 * <p>Removal: a removed entry becomes a tombstone, still a node that searches walk through (so the graph stays
 * connected) but never returned. Once tombstones make up more than {@link #REBUILD_FRACTION} of the nodes the
 * graph is rebuilt from the live entries alone; entry ids survive the rebuild. Searches are serialised on the
 * index, because Lucene's in-memory graph keeps its neighbour cursor in the graph object.
 */
public final class HnswIndex extends BookedIndex {

    /** Neighbours per node on the upper levels (twice that on the bottom level): Lucene's default. */
    public static final int DEFAULT_M = HnswGraphBuilder.DEFAULT_MAX_CONN;
    /** Candidates kept while inserting a node (ef-construction): Lucene's default. */
    public static final int DEFAULT_BEAM = HnswGraphBuilder.DEFAULT_BEAM_WIDTH;
    /**
     * Candidates kept while searching (ef) in a graph below {@link #LARGE_GRAPH} nodes: {@code nearest(q, k)} keeps
     * max(k, ef). {@code facestream bench index} reached recall@1 ≥ 0.99 against exact search at ef 48 with 10^4
     * entries and at ef 32 with 3·10^4 and 10^5 (m 16, beam 100; README): 64 leaves a margin at a fraction of a
     * millisecond.
     */
    public static final int DEFAULT_EF = 64;
    /** Nodes from which the search breadth is {@link #LARGE_EF} unless one was set. */
    public static final int LARGE_GRAPH = 300_000;
    /**
     * The search breadth of a graph of {@link #LARGE_GRAPH} nodes or more unless one was set: with 10^6 entries the
     * bench needed ef 96 in one draw of queries and 192 in another for recall@1 ≥ 0.99 (ef 64 gave 0.96–0.98),
     * and ef 192 answered in 0.9 ms (int8, huge pages; README).
     */
    public static final int LARGE_EF = 192;
    /**
     * What the graph is built and walked on unless told: int8. With 10^6 entries ({@code facestream bench index},
     * README, same 500 queries, huge pages) it built the graph in 497 s against 707 s for float32, and recall@1
     * reached 0.99 at p50 0.92 ms (ef 192) against 1.09 ms (ef 160); the exact distances are reported either way.
     */
    public static final Precision DEFAULT_PRECISION = Precision.INT8;
    /** Share of tombstones among the graph's nodes above which the graph is rebuilt from the live entries. */
    public static final double REBUILD_FRACTION = 0.25;
    /** Fixed so that a build is repeatable: the level of each node is drawn from it. */
    public static final long DEFAULT_SEED = 42L;

    private static final FlatVectorsScorer SCORER = FlatVectorScorerUtil.getLucene99FlatVectorsScorer();
    // Lucene's EUCLIDEAN score is 1 / (1 + squared distance): the same order as the distance we report.
    private static final VectorSimilarityFunction SIMILARITY = VectorSimilarityFunction.EUCLIDEAN;

    /**
     * What the graph is built and walked on. The float vectors are kept either way, and the answers are ranked and
     * reported by their exact distances.
     */
    public enum Precision {
        /** The float vectors themselves. */
        FLOAT32,
        /**
         * Each component rounded to a signed byte on one scale for all dimensions, so that squared L2 keeps its
         * meaning up to rounding: a quarter of the bytes to pull from memory per distance, which is what a walk
         * through a large graph waits on. The {@code max(k, ef)} candidates the walk keeps are ranked again by
         * their float distances, so rounding can only cost recall, never report a wrong distance.
         */
        INT8
    }

    /**
     * Components of a unit vector in d dimensions spread with a standard deviation of 1/√d; the int8 scale maps
     * ±{@value} standard deviations (of the first vector's norm) onto ±127, and clips the rare component beyond.
     */
    static final double INT8_RANGE_SIGMAS = 6.0;

    private final int m;
    private final int beam;
    private final long seed;
    private final Precision precision;
    /** The search breadth set, or 0 to follow the graph's size ({@link #DEFAULT_EF}, {@link #LARGE_EF}). */
    private int ef;
    /** int8: bytes per unit of a component, fixed by the first vector added (0 until then). */
    private float scale;

    // Per node (ord), in the order nodes were added to the current graph.
    private List<float[]> vectors;
    private int[] nodeEntry;
    private BitSet tombstones;
    private int tombstoneCount;
    private RandomAccessVectorValues values;
    // int8: the rounded vectors the graph is built and searched on, per node.
    private PackedBytes rounded;
    private HnswGraphBuilder builder;
    private int rebuilds;
    private long visited;

    /** An empty index of {@code dimension}-D vectors with Lucene's default graph parameters, on int8 vectors. */
    public HnswIndex(int dimension) {
        this(dimension, DEFAULT_M, DEFAULT_BEAM, DEFAULT_SEED);
    }

    /**
     * An empty index on {@link #DEFAULT_PRECISION} vectors.
     *
     * @param m neighbours per node (2m on the bottom level)
     * @param beam candidates kept while inserting (ef-construction)
     * @param seed draws each node's level
     */
    public HnswIndex(int dimension, int m, int beam, long seed) {
        this(dimension, m, beam, seed, DEFAULT_PRECISION);
    }

    /**
     * An empty index whose graph is built and walked on {@code precision} vectors.
     *
     * @param m neighbours per node (2m on the bottom level)
     * @param beam candidates kept while inserting (ef-construction)
     * @param seed draws each node's level
     */
    public HnswIndex(int dimension, int m, int beam, long seed, Precision precision) {
        this(dimension, m, beam, seed, precision, new EntryBook());
    }

    HnswIndex(int dimension, int m, int beam, long seed, Precision precision, EntryBook book) {
        super(dimension, book);
        this.precision = java.util.Objects.requireNonNull(precision, "precision");
        if (m < 2 || m > 512) {
            throw new IllegalArgumentException("m (neighbours per node) must be in [2, 512], was " + m);
        }
        if (beam < 1) {
            throw new IllegalArgumentException("beam (ef-construction) must be at least 1, was " + beam);
        }
        this.m = m;
        this.beam = beam;
        this.seed = seed;
        reset(1024);
    }

    /** Sets the search breadth ef (candidates kept while searching); larger is slower and more exact. */
    public HnswIndex searchBreadth(int ef) {
        if (ef < 1) {
            throw new IllegalArgumentException("search breadth (ef) must be at least 1, was " + ef);
        }
        this.ef = ef;
        return this;
    }

    /** The search breadth ef in use: the one set, else {@link #DEFAULT_EF} or, in a large graph, {@link #LARGE_EF}. */
    public int searchBreadth() {
        return ef > 0 ? ef : defaultBreadth(vectors.size());
    }

    /** The search breadth of a graph of {@code nodes} nodes when none was set. */
    static int defaultBreadth(int nodes) {
        return nodes >= LARGE_GRAPH ? LARGE_EF : DEFAULT_EF;
    }

    /** What the graph is built and walked on. */
    public Precision precision() {
        return precision;
    }

    /** How many times the graph was rebuilt to shed tombstones. */
    public int rebuilds() {
        return rebuilds;
    }

    /** Nodes scored by all searches so far: what a search's time mostly goes on in a large graph. */
    public synchronized long visitedNodes() {
        return visited;
    }

    /** Nodes in the graph, tombstones included. */
    public int nodes() {
        return vectors.size();
    }

    @Override
    public int size() {
        return vectors.size() - tombstoneCount;
    }

    @Override
    public int add(String identity, float[] vector) {
        check(vector);
        int entry = book.add(identity, vectors.size());
        put(entry, vector);
        return entry;
    }

    /** Inserts an entry the book already knows as the next node. */
    synchronized void put(int entry, float[] vector) {
        putOwned(entry, vector.clone());
    }

    private void putOwned(int entry, float[] vector) {
        int node = vectors.size();
        vectors.add(vector);
        if (precision == Precision.INT8) {
            rounded.add(round(vector));
        }
        if (node == nodeEntry.length) {
            nodeEntry = java.util.Arrays.copyOf(nodeEntry, node * 2);
        }
        nodeEntry[node] = entry;
        book.move(entry, node);
        try {
            builder.addGraphNode(node);
        } catch (IOException e) {
            throw new UncheckedIOException("could not insert a node into the in-memory HNSW graph", e);
        }
    }

    @Override
    public boolean removeEntry(int entry) {
        int node = book.remove(entry);
        if (node < 0) {
            return false;
        }
        tombstones.set(node);
        tombstoneCount++;
        if (tombstoneCount > REBUILD_FRACTION * vectors.size()) {
            rebuild();
        }
        return true;
    }

    @Override
    public List<Neighbour> nearest(float[] query, int k) {
        checkQuery(query, k);
        if (size() == 0) {
            return List.of();
        }
        TopDocs top;
        synchronized (this) {
            try {
                RandomVectorScorer scorer = precision == Precision.INT8
                        ? SCORER.getRandomVectorScorer(SIMILARITY, values, round(query))
                        : SCORER.getRandomVectorScorer(SIMILARITY, values, query);
                TopKnnCollector collector = new TopKnnCollector(Math.max(k, searchBreadth()), Integer.MAX_VALUE);
                HnswGraphSearcher.search(scorer, collector, builder.getGraph(), tombstoneCount == 0 ? null : live());
                top = collector.topDocs();
                visited += top.totalHits.value;
            } catch (IOException e) {
                throw new UncheckedIOException("could not search the in-memory HNSW graph", e);
            }
        }
        int[] nodes = new int[top.scoreDocs.length];
        double[] distances = new double[nodes.length];
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = top.scoreDocs[i].doc;
            // Only the k nearest are reported; the rest are needed when int8 must rank the candidates again.
            distances[i] = precision == Precision.INT8 || i < k ? Embedding.squaredDistance(query, vectors.get(nodes[i])) : 0;
        }
        if (precision == Precision.INT8) {
            // The walk ranked its candidates by rounded distances: rank them by the exact ones.
            sortByDistance(nodes, distances);
        }
        int n = Math.min(k, nodes.length);
        List<Neighbour> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int entry = nodeEntry[nodes[i]];
            out.add(new Neighbour(entry, book.identity(entry), distances[i]));
        }
        return out;
    }

    @Override
    public long ramBytes() {
        OnHeapHnswGraph graph = builder.getGraph();
        long vectorBytes = (long) vectors.size() * (16 + 4L * dimension + 4); // array header, floats, list slot
        if (precision == Precision.INT8) {
            vectorBytes += rounded.ramBytes();
        }
        return graph.ramBytesUsed() + vectorBytes + 4L * nodeEntry.length + tombstones.size() / 8 + book.ramBytes();
    }

    /** The live entries' vectors, for an index that takes them over. */
    void forEachLive(java.util.function.ObjIntConsumer<float[]> action) {
        for (int node = 0; node < vectors.size(); node++) {
            if (!tombstones.get(node)) {
                action.accept(vectors.get(node), nodeEntry[node]);
            }
        }
    }

    /** Builds the graph again from the live entries, dropping the tombstones. */
    synchronized void rebuild() {
        List<float[]> oldVectors = vectors;
        int[] oldEntries = nodeEntry;
        BitSet oldTombstones = tombstones;
        reset(Math.max(16, oldVectors.size() - tombstoneCount));
        for (int node = 0; node < oldVectors.size(); node++) {
            if (!oldTombstones.get(node)) {
                putOwned(oldEntries[node], oldVectors.get(node));
            }
        }
        rebuilds++;
    }

    private void reset(int capacity) {
        vectors = new ArrayList<>(capacity);
        nodeEntry = new int[capacity];
        tombstones = new BitSet();
        tombstoneCount = 0;
        // A view of the growing list: the builder's scorers see each vector as soon as it is added.
        if (precision == Precision.INT8) {
            rounded = new PackedBytes(dimension);
            values = rounded;
        } else {
            values = RandomAccessVectorValues.fromFloats(vectors, dimension);
        }
        try {
            RandomVectorScorerSupplier scorers = SCORER.getRandomVectorScorerSupplier(SIMILARITY, values);
            builder = HnswGraphBuilder.create(scorers, m, beam, seed);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start an in-memory HNSW graph", e);
        }
    }

    private Bits live() {
        int length = vectors.size();
        BitSet dead = tombstones;
        return new Bits() {
            @Override
            public boolean get(int index) {
                return !dead.get(index);
            }

            @Override
            public int length() {
                return length;
            }
        };
    }

    /** The int8 form of a vector or query; the first vector ever rounded fixes the scale. */
    private byte[] round(float[] v) {
        if (scale == 0) {
            double norm = 0;
            for (float x : v) {
                norm += (double) x * x;
            }
            double range = INT8_RANGE_SIGMAS * Math.sqrt(norm / dimension);
            scale = range > 0 ? (float) (127 / range) : 1f;
        }
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) Math.max(-127, Math.min(127, Math.round(v[i] * scale)));
        }
        return b;
    }

    /** Insertion sort of the (node, distance) pairs by distance: a few hundred candidates, mostly in order. */
    private static void sortByDistance(int[] nodes, double[] distances) {
        for (int i = 1; i < nodes.length; i++) {
            int node = nodes[i];
            double d = distances[i];
            int j = i - 1;
            while (j >= 0 && distances[j] > d) {
                nodes[j + 1] = nodes[j];
                distances[j + 1] = distances[j];
                j--;
            }
            nodes[j + 1] = node;
            distances[j + 1] = d;
        }
    }
}
