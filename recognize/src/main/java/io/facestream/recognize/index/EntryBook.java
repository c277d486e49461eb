package io.facestream.recognize.index;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Which identity each entry belongs to, where an index keeps it (its slot), and the entries of each identity.
 * Entry ids are handed out in order and never reused, so an id stays valid while the index moves its vectors
 * (a removal in exact search, a rebuild of the graph) and when the gallery moves from one index to another.
 */
final class EntryBook {

    private String[] identityOf = new String[16];
    private int[] slotOf = new int[16];
    private final Map<String, int[]> entriesOf = new HashMap<>();
    private int next;
    private int live;

    /** A new entry of {@code identity} kept at {@code slot}; returns its id. */
    int add(String identity, int slot) {
        if (identity == null || identity.isBlank()) {
            throw new IllegalArgumentException("identity id must not be blank");
        }
        if (next == Integer.MAX_VALUE) {
            throw new IllegalStateException("an index holds at most " + Integer.MAX_VALUE + " entries over its life; build a new one");
        }
        int id = next++;
        if (id == identityOf.length) {
            int cap = identityOf.length * 2;
            identityOf = Arrays.copyOf(identityOf, cap);
            slotOf = Arrays.copyOf(slotOf, cap);
        }
        identityOf[id] = identity;
        slotOf[id] = slot;
        // Most identities have one face: an int[] per identity, grown by one, costs less than a list object.
        entriesOf.merge(identity, new int[] {id}, EntryBook::append);
        live++;
        return id;
    }

    /** Where entry {@code id} is kept, or -1 when it was removed or never existed. */
    int slot(int id) {
        return id >= 0 && id < next ? slotOf[id] : -1;
    }

    /** Records that entry {@code id} moved to {@code slot}. */
    void move(int id, int slot) {
        slotOf[id] = slot;
    }

    /** The identity of a live entry. */
    String identity(int id) {
        return identityOf[id];
    }

    /** Forgets entry {@code id}; returns the slot it had, or -1 if it was not there. */
    int remove(int id) {
        int slot = slot(id);
        if (slot < 0) {
            return -1;
        }
        String identity = identityOf[id];
        int[] rest = without(entriesOf.get(identity), id);
        if (rest.length == 0) {
            entriesOf.remove(identity);
        } else {
            entriesOf.put(identity, rest);
        }
        identityOf[id] = null;
        slotOf[id] = -1;
        live--;
        return slot;
    }

    /** The live entries of an identity, in the order they were added (empty when none). */
    int[] entries(String identity) {
        int[] e = entriesOf.get(identity);
        return e == null ? new int[0] : e.clone();
    }

    /** Number of live entries. */
    int size() {
        return live;
    }

    /** Estimated heap bytes: the two per-entry arrays, one map node and one int[] per identity. */
    long ramBytes() {
        long perIdentity = 32 + 16 + 4L + 40; // map node, int[] header and one id, the id string (short ids)
        return 8L * identityOf.length + (long) entriesOf.size() * perIdentity + 16L * entriesOf.size();
    }

    private static int[] append(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static int[] without(int[] a, int id) {
        int[] out = new int[a.length - 1];
        int j = 0;
        for (int x : a) {
            if (x != id) {
                out[j++] = x;
            }
        }
        return out;
    }
}
