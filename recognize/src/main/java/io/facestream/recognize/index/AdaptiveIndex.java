package io.facestream.recognize.index;

import java.util.List;

/**
 * Exact search while small, HNSW once {@code switchOver} entries are reached; back to exact search when
 * removals bring it under half of that (the gap keeps a gallery near the boundary from converting on every
 * change). Entry ids carry over both ways.
 */
final class AdaptiveIndex implements EmbeddingIndex {

    private final int dimension;
    private final int switchOver;
    private EmbeddingIndex current;

    AdaptiveIndex(int dimension, int switchOver) {
        if (switchOver < 2) {
            throw new IllegalArgumentException("switch-over size must be at least 2, was " + switchOver);
        }
        this.dimension = dimension;
        this.switchOver = switchOver;
        this.current = new ExactIndex(dimension);
    }

    /** The index answering now. */
    EmbeddingIndex current() {
        return current;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public int size() {
        return current.size();
    }

    @Override
    public int add(String identity, float[] vector) {
        int entry = current.add(identity, vector);
        if (current instanceof ExactIndex exact && exact.size() >= switchOver) {
            HnswIndex hnsw = new HnswIndex(dimension, HnswIndex.DEFAULT_M, HnswIndex.DEFAULT_BEAM,
                    HnswIndex.DEFAULT_SEED, HnswIndex.DEFAULT_PRECISION, exact.book());
            for (int e : exact.liveEntries()) {
                hnsw.put(e, exact.vector(e));
            }
            current = hnsw;
        }
        return entry;
    }

    @Override
    public boolean removeEntry(int entry) {
        boolean removed = current.removeEntry(entry);
        shrinkIfSmall();
        return removed;
    }

    @Override
    public int removeIdentity(String identity) {
        int n = current.removeIdentity(identity);
        shrinkIfSmall();
        return n;
    }

    @Override
    public int entries(String identity) {
        return current.entries(identity);
    }

    @Override
    public List<Neighbour> nearest(float[] query, int k) {
        return current.nearest(query, k);
    }

    @Override
    public long ramBytes() {
        return current.ramBytes();
    }

    private void shrinkIfSmall() {
        if (current instanceof HnswIndex hnsw && hnsw.size() < switchOver / 2) {
            ExactIndex exact = new ExactIndex(dimension, hnsw.book(), hnsw.size());
            hnsw.forEachLive((vector, e) -> exact.put(e, vector));
            current = exact;
        }
    }
}
