package io.facestream.recognize.index;

import java.util.Arrays;
import org.apache.lucene.util.hnsw.RandomAccessVectorValues;

/**
 * Byte vectors of one length packed end to end in large blocks, for the graph's walk: a node's vector is one read
 * at a computed offset, where a list of arrays costs a read of the list's slot and then of the array's header
 * before the bytes, each a likely cache miss in a graph of a million nodes. {@link #vectorValue} copies the
 * vector into a buffer of this view, which the next call overwrites (as Lucene's scorers expect); {@link #copy}
 * gives a view with a buffer of its own over the same vectors.
 */
final class PackedBytes implements RandomAccessVectorValues.Bytes {

    /** Vectors per block: blocks of a few MB grow the store without copying what it holds. */
    static final int BLOCK_VECTORS = 1 << 14;

    private final int dimension;
    private final Store store;
    private final byte[] buffer;

    PackedBytes(int dimension) {
        this(dimension, new Store());
    }

    private PackedBytes(int dimension, Store store) {
        this.dimension = dimension;
        this.store = store;
        this.buffer = new byte[dimension];
    }

    /** Appends a vector; it becomes node {@link #size()} − 1. */
    void add(byte[] v) {
        if (v.length != dimension) {
            throw new IllegalArgumentException("expected " + dimension + " bytes, got " + v.length);
        }
        int block = store.size / BLOCK_VECTORS;
        if (block == store.blocks.length) {
            store.blocks = Arrays.copyOf(store.blocks, Math.max(4, block * 2));
        }
        if (store.blocks[block] == null) {
            store.blocks[block] = new byte[BLOCK_VECTORS * dimension];
        }
        System.arraycopy(v, 0, store.blocks[block], (store.size % BLOCK_VECTORS) * dimension, dimension);
        store.size++;
    }

    @Override
    public byte[] vectorValue(int ord) {
        System.arraycopy(store.blocks[ord / BLOCK_VECTORS], (ord % BLOCK_VECTORS) * dimension, buffer, 0, dimension);
        return buffer;
    }

    @Override
    public int size() {
        return store.size;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public PackedBytes copy() {
        return new PackedBytes(dimension, store);
    }

    /** Bytes held by the blocks. */
    long ramBytes() {
        long bytes = 16L + 8L * store.blocks.length;
        for (byte[] b : store.blocks) {
            bytes += b == null ? 0 : 16L + b.length;
        }
        return bytes;
    }

    /** What all views share. */
    private static final class Store {
        byte[][] blocks = new byte[0][];
        int size;
    }
}
