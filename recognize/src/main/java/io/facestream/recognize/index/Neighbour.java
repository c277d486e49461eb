package io.facestream.recognize.index;

/**
 * One gallery entry found near a query: its entry id (from {@link EmbeddingIndex#add}), the identity it belongs
 * to, and its squared L2 distance to the query.
 */
public record Neighbour(int entry, String identity, double distance) {
}
