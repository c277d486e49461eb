package io.facestream.recognize.index;

/**
 * What the exact and the graph index share: the vectors' length and the {@link EntryBook} that maps entries to
 * identities and places, so that removing an identity, counting its entries and checking a vector's or a query's
 * shape is written once.
 */
abstract class BookedIndex implements EmbeddingIndex {

    final int dimension;
    final EntryBook book;

    BookedIndex(int dimension, EntryBook book) {
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be at least 1, was " + dimension);
        }
        this.dimension = dimension;
        this.book = book;
    }

    @Override
    public final int dimension() {
        return dimension;
    }

    @Override
    public final int removeIdentity(String identity) {
        int n = 0;
        for (int e : book.entries(identity)) {
            if (removeEntry(e)) {
                n++;
            }
        }
        return n;
    }

    @Override
    public final int entries(String identity) {
        return book.entries(identity).length;
    }

    /** The book, for an index that takes over this one's entries. */
    final EntryBook book() {
        return book;
    }

    /** Refuses a vector or query of another length than this index holds. */
    final void check(float[] v) {
        if (v.length != dimension) {
            throw new IllegalArgumentException("this index holds " + dimension + "-D vectors; got a " + v.length + "-D one");
        }
    }

    /** Refuses a query's vector of the wrong length and a k below 1. */
    final void checkQuery(float[] query, int k) {
        check(query);
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, was " + k);
        }
    }
}
