package io.facestream.recognize.index;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Exact nearest-neighbour search: every vector in one contiguous float array, scanned in full for each query.
 * The right choice while the gallery is small (see {@link EmbeddingIndexes#SWITCH_OVER}): no build cost, no
 * approximation, and a removal is a constant-time move of the last vector into the freed slot.
 */
public final class ExactIndex extends BookedIndex {

    /**
     * The scan checks its running sum against the k-th best distance every this many dimensions and leaves a
     * vector early once it cannot win: most gallery faces are far (squared distance ~2 between people), so
     * most are abandoned after a third or half of their dimensions.
     */
    private static final int PRUNE_BLOCK = 32;

    private float[] data;
    private int[] slotEntry;
    private int size;

    /** An empty index of {@code dimension}-D vectors. */
    public ExactIndex(int dimension) {
        this(dimension, new EntryBook(), 1024);
    }

    ExactIndex(int dimension, EntryBook book, int capacity) {
        super(dimension, book);
        int cap = Math.max(16, capacity);
        this.data = new float[Math.multiplyExact(cap, dimension)];
        this.slotEntry = new int[cap];
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int add(String identity, float[] vector) {
        check(vector);
        int entry = book.add(identity, size);
        put(entry, vector);
        return entry;
    }

    /** Keeps an entry the book already knows (an index handing its entries over) at the next free slot. */
    void put(int entry, float[] vector) {
        if (size == slotEntry.length) {
            int cap = Math.multiplyExact(slotEntry.length, 2);
            data = Arrays.copyOf(data, Math.multiplyExact(cap, dimension));
            slotEntry = Arrays.copyOf(slotEntry, cap);
        }
        System.arraycopy(vector, 0, data, size * dimension, dimension);
        slotEntry[size] = entry;
        book.move(entry, size);
        size++;
    }

    @Override
    public boolean removeEntry(int entry) {
        int slot = book.remove(entry);
        if (slot < 0) {
            return false;
        }
        int last = size - 1;
        if (slot != last) {
            System.arraycopy(data, last * dimension, data, slot * dimension, dimension);
            slotEntry[slot] = slotEntry[last];
            book.move(slotEntry[slot], slot);
        }
        size--;
        return true;
    }

    @Override
    public List<Neighbour> nearest(float[] query, int k) {
        checkQuery(query, k);
        int n = Math.min(k, size);
        // The n best so far, kept sorted (n is small: 1 for matching, tens for a k-NN graph).
        int[] bestSlot = new int[n];
        float[] bestDist = new float[n];
        Arrays.fill(bestDist, Float.POSITIVE_INFINITY);
        int found = 0;
        for (int s = 0; s < size; s++) {
            float bound = found < n ? Float.POSITIVE_INFINITY : bestDist[n - 1];
            float d = distance(query, s, bound);
            if (d > bound || d == bound && found == n && slotEntry[s] > slotEntry[bestSlot[n - 1]]) {
                continue;
            }
            // Insertion: ties go to the entry added first, so the result does not depend on slot order.
            int i = Math.min(found, n - 1);
            while (i > 0 && (bestDist[i - 1] > d || bestDist[i - 1] == d && slotEntry[bestSlot[i - 1]] > slotEntry[s])) {
                bestDist[i] = bestDist[i - 1];
                bestSlot[i] = bestSlot[i - 1];
                i--;
            }
            bestDist[i] = d;
            bestSlot[i] = s;
            found = Math.min(n, found + 1);
        }
        List<Neighbour> out = new ArrayList<>(found);
        for (int i = 0; i < found; i++) {
            int entry = slotEntry[bestSlot[i]];
            out.add(new Neighbour(entry, book.identity(entry), exactDistance(query, bestSlot[i])));
        }
        return out;
    }

    @Override
    public long ramBytes() {
        return 4L * data.length + 4L * slotEntry.length + book.ramBytes();
    }

    /** The vector kept for a live entry (a copy). */
    float[] vector(int entry) {
        int slot = book.slot(entry);
        if (slot < 0) {
            throw new IllegalArgumentException("no entry " + entry);
        }
        return Arrays.copyOfRange(data, slot * dimension, (slot + 1) * dimension);
    }

    /** Live entry ids in slot order. */
    int[] liveEntries() {
        return Arrays.copyOf(slotEntry, size);
    }

    /**
     * Squared distance to the vector at {@code slot}, or some value above {@code bound} as soon as the partial sum
     * passes it. Four sums side by side let the CPU overlap the additions.
     */
    private float distance(float[] q, int slot, float bound) {
        int base = slot * dimension;
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        while (i < dimension) {
            int end = Math.min(dimension, i + PRUNE_BLOCK);
            for (; i + 3 < end; i += 4) {
                float d0 = q[i] - data[base + i];
                float d1 = q[i + 1] - data[base + i + 1];
                float d2 = q[i + 2] - data[base + i + 2];
                float d3 = q[i + 3] - data[base + i + 3];
                s0 += d0 * d0;
                s1 += d1 * d1;
                s2 += d2 * d2;
                s3 += d3 * d3;
            }
            for (; i < end; i++) {
                float d = q[i] - data[base + i];
                s0 += d * d;
            }
            float s = (s0 + s1) + (s2 + s3);
            if (s > bound) {
                return s;
            }
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** The distance reported, in double as {@code Embedding.squaredDistance} computes it. */
    private double exactDistance(float[] q, int slot) {
        int base = slot * dimension;
        double s = 0;
        for (int i = 0; i < dimension; i++) {
            double d = q[i] - data[base + i];
            s += d * d;
        }
        return s;
    }
}
