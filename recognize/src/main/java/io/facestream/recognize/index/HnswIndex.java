package io.facestream.recognize.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.apache.lucene.codecs.hnsw.FlatVectorScorerUtil;
import org.apache.lucene.codecs.hnsw.FlatVectorsScorer;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.ScoreDoc;
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
     * Candidates kept while searching (ef): {@code nearest(q, k)} keeps max(k, ef). {@code facestream bench index}
     * reached recall@1 ≥ 0.99 against exact search at ef 48 with 10^4 entries and at ef 32 with 3·10^4 and 10^5
     * (m 16, beam 100; README): 64 leaves a margin for larger galleries at a fraction of a millisecond.
     */
    public static final int DEFAULT_EF = 64;
    /** Share of tombstones among the graph's nodes above which the graph is rebuilt from the live entries. */
    public static final double REBUILD_FRACTION = 0.25;
    /** Fixed so that a build is repeatable: the level of each node is drawn from it. */
    public static final long DEFAULT_SEED = 42L;

    private static final FlatVectorsScorer SCORER = FlatVectorScorerUtil.getLucene99FlatVectorsScorer();
    // Lucene's EUCLIDEAN score is 1 / (1 + squared distance): the same order as the distance we report.
    private static final VectorSimilarityFunction SIMILARITY = VectorSimilarityFunction.EUCLIDEAN;

    private final int m;
    private final int beam;
    private final long seed;
    private int ef = DEFAULT_EF;

    // Per node (ord), in the order nodes were added to the current graph.
    private List<float[]> vectors;
    private int[] nodeEntry;
    private BitSet tombstones;
    private int tombstoneCount;
    private RandomAccessVectorValues.Floats values;
    private HnswGraphBuilder builder;
    private int rebuilds;

    /** An empty index of {@code dimension}-D vectors with Lucene's default graph parameters. */
    public HnswIndex(int dimension) {
        this(dimension, DEFAULT_M, DEFAULT_BEAM, DEFAULT_SEED);
    }

    /**
     * An empty index.
     *
     * @param m neighbours per node (2m on the bottom level)
     * @param beam candidates kept while inserting (ef-construction)
     * @param seed draws each node's level
     */
    public HnswIndex(int dimension, int m, int beam, long seed) {
        this(dimension, m, beam, seed, new EntryBook());
    }

    HnswIndex(int dimension, int m, int beam, long seed, EntryBook book) {
        super(dimension, book);
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

    /** The search breadth ef in use. */
    public int searchBreadth() {
        return ef;
    }

    /** How many times the graph was rebuilt to shed tombstones. */
    public int rebuilds() {
        return rebuilds;
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
        int node = vectors.size();
        vectors.add(vector.clone());
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
                RandomVectorScorer scorer = SCORER.getRandomVectorScorer(SIMILARITY, values, query);
                TopKnnCollector collector = new TopKnnCollector(Math.max(k, ef), Integer.MAX_VALUE);
                HnswGraphSearcher.search(scorer, collector, builder.getGraph(), tombstoneCount == 0 ? null : live());
                top = collector.topDocs();
            } catch (IOException e) {
                throw new UncheckedIOException("could not search the in-memory HNSW graph", e);
            }
        }
        int n = Math.min(k, top.scoreDocs.length);
        List<Neighbour> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ScoreDoc d = top.scoreDocs[i];
            int entry = nodeEntry[d.doc];
            out.add(new Neighbour(entry, book.identity(entry), exactDistance(query, vectors.get(d.doc))));
        }
        return out;
    }

    @Override
    public long ramBytes() {
        OnHeapHnswGraph graph = builder.getGraph();
        long vectorBytes = (long) vectors.size() * (16 + 4L * dimension + 4); // array header, floats, list slot
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

    private void putOwned(int entry, float[] vector) {
        int node = vectors.size();
        vectors.add(vector);
        nodeEntry[node] = entry;
        book.move(entry, node);
        try {
            builder.addGraphNode(node);
        } catch (IOException e) {
            throw new UncheckedIOException("could not insert a node into the in-memory HNSW graph", e);
        }
    }

    private void reset(int capacity) {
        vectors = new ArrayList<>(capacity);
        nodeEntry = new int[capacity];
        tombstones = new BitSet();
        tombstoneCount = 0;
        // A view of the growing list: the builder's scorers see each vector as soon as it is added.
        values = RandomAccessVectorValues.fromFloats(vectors, dimension);
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

    private static double exactDistance(float[] q, float[] v) {
        double s = 0;
        for (int i = 0; i < q.length; i++) {
            double d = q[i] - v[i];
            s += d * d;
        }
        return s;
    }
}
