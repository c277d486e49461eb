package io.facestream.recognize.index;

import java.util.List;

/**
 * Nearest-neighbour search over unit embeddings by squared L2 distance. Each entry is one face of an identity;
 * an identity may have several. Implementations are not thread-safe for changes; searches may run while
 * nothing changes the index.
 */
public interface EmbeddingIndex {

    /** Length of the vectors this index holds. */
    int dimension();

    /** Number of live entries (faces). */
    int size();

    /**
     * Adds one face of {@code identity} and returns its entry id, which stays the same until it is removed. The
     * vector is copied; it should be L2-normalised (the distances assume it).
     */
    int add(String identity, float[] vector);

    /** Removes one entry; true if it was there. */
    boolean removeEntry(int entry);

    /** Removes every entry of an identity; returns how many there were. */
    int removeIdentity(String identity);

    /** Number of entries of an identity (0 if none). */
    int entries(String identity);

    /** Up to {@code k} nearest live entries, nearest first. */
    List<Neighbour> nearest(float[] query, int k);

    /**
     * The nearest entry and, when it lies at or below {@code threshold}, its identity; unknown otherwise. This is
     * the gallery's matching rule: a face takes the identity of its nearest enrolled face, if near enough.
     */
    default IdentityMatch nearestIdentity(float[] query, double threshold) {
        List<Neighbour> top = nearest(query, 1);
        if (top.isEmpty()) {
            return new IdentityMatch(null, null, Double.POSITIVE_INFINITY);
        }
        Neighbour n = top.get(0);
        return new IdentityMatch(n.distance() <= threshold ? n.identity() : null, n.identity(), n.distance());
    }

    /** Bytes this index holds on the heap (vectors, graph and bookkeeping), estimated from its arrays. */
    long ramBytes();

    /**
     * The outcome of {@link #nearestIdentity}: {@code identity} is null (unknown) when the nearest entry is
     * farther than the threshold or the index is empty; {@code nearest} and {@code distance} describe the
     * nearest entry either way (null and infinity when empty).
     */
    record IdentityMatch(String identity, String nearest, double distance) {
    }
}
