package io.facestream.recognize.index;

/** Picks the index for a gallery by its size: exact search below {@link #SWITCH_OVER} entries, HNSW from there. */
public final class EmbeddingIndexes {

    /**
     * Entries from which HNSW replaces exact search. Measured with {@code facestream bench index} on 192-D
     * MobileFaceNet embeddings of LFW, one thread on this 2-core machine under a load average of ~7 (README, "A
     * gallery index for a million people"): exact search took 1.1 ms per query (p50) at 10^4 entries, 13.5 ms at
     * 3·10^4 and 31 ms at 10^5, growing with the gallery, while HNSW at recall@1 ≥ 0.99 stayed at 0.4–0.5 ms.
     * Below 10^4 exact search is within the 1 ms target, costs no build time (HNSW inserted ~500 entries/s)
     * and is never wrong, so it keeps the small galleries.
     */
    public static final int SWITCH_OVER = 10_000;

    private EmbeddingIndexes() {
    }

    /** The index for a gallery expected to hold {@code expectedEntries} faces. */
    public static EmbeddingIndex forSize(int dimension, int expectedEntries) {
        if (expectedEntries < 0) {
            throw new IllegalArgumentException("expected entries must be 0 or more, was " + expectedEntries);
        }
        return expectedEntries < SWITCH_OVER ? new ExactIndex(dimension) : new HnswIndex(dimension);
    }

    /**
     * An index for a gallery whose size is not known in advance: exact search that turns into HNSW when it grows
     * to {@link #SWITCH_OVER} entries, and back when removals halve it.
     */
    public static EmbeddingIndex growing(int dimension) {
        return new AdaptiveIndex(dimension, SWITCH_OVER);
    }
}
