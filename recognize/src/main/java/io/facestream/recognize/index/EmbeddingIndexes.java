package io.facestream.recognize.index;

/** Picks the index for a gallery by its size: exact search below {@link #SWITCH_OVER} entries, HNSW from there. */
public final class EmbeddingIndexes {

    /**
     * Entries from which HNSW answers faster than exact search at recall@1 ≥ 0.99. Measured with
     * {@code facestream bench index} on 192-D MobileFaceNet embeddings of LFW (README, "A gallery index for a
     * million people"): at 10^4 entries exact search took about as long per query as HNSW at the breadth that
     * reached recall 0.99, and at 10^5 HNSW was many times faster; exact search stays below 10^4 because it
     * costs no build time, no extra memory and is never wrong.
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
