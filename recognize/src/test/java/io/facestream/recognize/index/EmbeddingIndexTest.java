package io.facestream.recognize.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EmbeddingIndexTest {

    private static final int DIM = 32;

    @Test
    void exactSearchReturnsTheBruteForceNeighboursInOrder() {
        float[][] gallery = RandomUnitVectors.draw(3_000, DIM, 1);
        float[][] queries = RandomUnitVectors.draw(100, DIM, 2);
        ExactIndex index = new ExactIndex(DIM);
        for (int i = 0; i < gallery.length; i++) {
            assertEquals(i, index.add("p" + i, gallery[i]));
        }
        for (float[] q : queries) {
            List<Neighbour> top = index.nearest(q, 5);
            assertEquals(5, top.size());
            // The five nearest by a full sort of all distances.
            Integer[] order = new Integer[gallery.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, (a, b) -> Double.compare(RandomUnitVectors.distance(gallery[a], q),
                    RandomUnitVectors.distance(gallery[b], q)));
            for (int j = 0; j < 5; j++) {
                assertEquals(order[j], top.get(j).entry());
                assertEquals("p" + order[j], top.get(j).identity());
                assertEquals(RandomUnitVectors.distance(gallery[order[j]], q), top.get(j).distance(), 1e-12);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(HnswIndex.Precision.class)
    void hnswFindsTheTrueNearestForAtLeast99PercentOfQueries(HnswIndex.Precision precision) {
        float[][] gallery = RandomUnitVectors.draw(5_000, DIM, 3);
        float[][] queries = RandomUnitVectors.draw(500, DIM, 4);
        HnswIndex index = hnsw(DIM, precision);
        for (int i = 0; i < gallery.length; i++) {
            index.add("p" + i, gallery[i]);
        }
        int hits = 0;
        for (float[] q : queries) {
            Neighbour n = index.nearest(q, 1).get(0);
            int truth = RandomUnitVectors.bruteNearest(gallery, null, q);
            if (n.entry() == truth) {
                hits++;
                assertEquals(RandomUnitVectors.distance(gallery[truth], q), n.distance(), 1e-12);
            }
        }
        assertTrue(hits >= 0.99 * queries.length, "recall@1 " + hits + "/" + queries.length);
        // k neighbours come back nearest first.
        List<Neighbour> ten = index.nearest(queries[0], 10);
        assertEquals(10, ten.size());
        for (int j = 1; j < ten.size(); j++) {
            assertTrue(ten.get(j - 1).distance() <= ten.get(j).distance());
        }
    }

    @Test
    void removedIdentitiesAreNeverReturnedAlsoAfterTheRebuild() {
        float[][] gallery = RandomUnitVectors.draw(4_000, DIM, 5);
        float[][] queries = RandomUnitVectors.draw(300, DIM, 6);
        for (EmbeddingIndex index : List.of(new ExactIndex(DIM), hnsw(DIM, HnswIndex.Precision.FLOAT32), hnsw(DIM, HnswIndex.Precision.INT8))) {
            // Two faces per identity: entries 2i and 2i+1 belong to "p<i>".
            for (int i = 0; i < gallery.length; i++) {
                index.add("p" + i / 2, gallery[i]);
            }
            boolean[] live = new boolean[gallery.length];
            java.util.Arrays.fill(live, true);
            // Remove every fifth identity (20% of the nodes): tombstones only, below the rebuild share.
            removeEvery(index, live, 5, 0);
            if (index instanceof HnswIndex h) {
                assertEquals(0, h.rebuilds());
                assertEquals(gallery.length, h.nodes());
            }
            assertAllLiveAndAccurate(index, gallery, live, queries);
            // Then every fifth of the rest, past the share of tombstones that forces a rebuild.
            removeEvery(index, live, 5, 1);
            if (index instanceof HnswIndex h) {
                // Rebuilt once, when tombstones passed a quarter of 4,000 nodes; later removals are new tombstones.
                assertEquals(1, h.rebuilds());
                assertTrue(h.nodes() <= gallery.length - gallery.length * HnswIndex.REBUILD_FRACTION, "nodes " + h.nodes());
                assertTrue(h.nodes() > index.size(), "tombstones after the rebuild");
            }
            assertAllLiveAndAccurate(index, gallery, live, queries);
            assertEquals(0, index.entries("p0"));
            assertFalse(index.removeEntry(0));
            assertEquals(0, index.removeIdentity("p0"));
        }
    }

    @Test
    void theThresholdRuleGivesTheNearestIdentityOrUnknown() {
        for (EmbeddingIndex index : List.of(new ExactIndex(3), hnsw(3, HnswIndex.Precision.FLOAT32), hnsw(3, HnswIndex.Precision.INT8))) {
            assertNull(index.nearestIdentity(new float[] {1, 0, 0}, 1.0).nearest());
            index.add("ann", new float[] {1, 0, 0});
            index.add("bob", new float[] {0, 1, 0});
            index.add("bob", new float[] {0, 0.6f, 0.8f});
            float[] nearBob = unit(0.1f, 0.9f, 0.3f);
            EmbeddingIndex.IdentityMatch m = index.nearestIdentity(nearBob, 1.0);
            assertEquals("bob", m.identity());
            assertEquals(RandomUnitVectors.distance(new float[] {0, 1, 0}, nearBob), m.distance(), 1e-12);
            // Farther than the threshold: unknown, yet the nearest is still told.
            EmbeddingIndex.IdentityMatch far = index.nearestIdentity(nearBob, m.distance() * 0.99);
            assertNull(far.identity());
            assertEquals("bob", far.nearest());
            // Exactly at the threshold counts as a match, as in the gallery.
            assertEquals("bob", index.nearestIdentity(nearBob, m.distance()).identity());
        }
    }

    @Test
    void theFactoryPicksExactBelowTheSwitchOverAndHnswFromIt() {
        assertInstanceOf(ExactIndex.class, EmbeddingIndexes.forSize(DIM, 0));
        assertInstanceOf(ExactIndex.class, EmbeddingIndexes.forSize(DIM, EmbeddingIndexes.SWITCH_OVER - 1));
        assertInstanceOf(HnswIndex.class, EmbeddingIndexes.forSize(DIM, EmbeddingIndexes.SWITCH_OVER));
        assertInstanceOf(HnswIndex.class, EmbeddingIndexes.forSize(DIM, 1_000_000));
        assertThrows(IllegalArgumentException.class, () -> EmbeddingIndexes.forSize(DIM, -1));
    }

    @Test
    void aGrowingIndexTurnsIntoHnswAtTheSwitchOverAndBackWhenHalved() {
        int switchOver = 1_000;
        AdaptiveIndex index = new AdaptiveIndex(DIM, switchOver);
        float[][] gallery = RandomUnitVectors.draw(switchOver, DIM, 7);
        for (int i = 0; i < switchOver - 1; i++) {
            index.add("p" + i, gallery[i]);
        }
        assertInstanceOf(ExactIndex.class, index.current());
        index.add("p" + (switchOver - 1), gallery[switchOver - 1]);
        assertInstanceOf(HnswIndex.class, index.current());
        // Entry ids carried over: each vector is found under the id it was given.
        for (int i = 0; i < switchOver; i += 97) {
            Neighbour n = index.nearest(gallery[i], 1).get(0);
            assertEquals(i, n.entry());
            assertEquals("p" + i, n.identity());
            assertEquals(0, n.distance(), 1e-12);
        }
        for (int i = 0; i <= switchOver / 2; i++) {
            index.removeIdentity("p" + i);
        }
        assertInstanceOf(ExactIndex.class, index.current());
        assertEquals(switchOver / 2 - 1, index.size());
        Neighbour n = index.nearest(gallery[switchOver - 3], 1).get(0);
        assertEquals(switchOver - 3, n.entry());
        assertNotEquals("p0", index.nearest(gallery[0], 1).get(0).identity());
    }

    @Test
    void theSearchBreadthFollowsTheGraphsSizeUntilOneIsSet() {
        HnswIndex index = new HnswIndex(DIM);
        assertEquals(HnswIndex.DEFAULT_EF, index.searchBreadth());
        assertEquals(HnswIndex.DEFAULT_EF, HnswIndex.defaultBreadth(HnswIndex.LARGE_GRAPH - 1));
        assertEquals(HnswIndex.LARGE_EF, HnswIndex.defaultBreadth(HnswIndex.LARGE_GRAPH));
        assertTrue(HnswIndex.LARGE_EF > HnswIndex.DEFAULT_EF);
        assertEquals(24, index.searchBreadth(24).searchBreadth());
        assertThrows(IllegalArgumentException.class, () -> index.searchBreadth(0));
    }

    @Test
    void vectorsOfAnotherLengthAreRefusedWithTheReason() {
        EmbeddingIndex index = new ExactIndex(DIM);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> index.add("x", new float[3]));
        assertTrue(e.getMessage().contains("32-D"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new HnswIndex(DIM).nearest(new float[3], 1));
    }

    private static HnswIndex hnsw(int dimension, HnswIndex.Precision precision) {
        return new HnswIndex(dimension, HnswIndex.DEFAULT_M, HnswIndex.DEFAULT_BEAM, HnswIndex.DEFAULT_SEED, precision);
    }

    private static void removeEvery(EmbeddingIndex index, boolean[] live, int every, int offset) {
        int identities = live.length / 2;
        int seen = 0;
        for (int p = 0; p < identities; p++) {
            if (!live[2 * p]) {
                continue;
            }
            if (seen++ % every == offset) {
                assertEquals(2, index.removeIdentity("p" + p));
                live[2 * p] = false;
                live[2 * p + 1] = false;
            }
        }
    }

    private static void assertAllLiveAndAccurate(EmbeddingIndex index, float[][] gallery, boolean[] live,
            float[][] queries) {
        int liveCount = 0;
        for (boolean b : live) {
            liveCount += b ? 1 : 0;
        }
        assertEquals(liveCount, index.size());
        int hits = 0;
        for (float[] q : queries) {
            List<Neighbour> top = index.nearest(q, 10);
            assertEquals(10, top.size());
            for (Neighbour n : top) {
                assertTrue(live[n.entry()], "removed entry " + n.entry() + " (" + n.identity() + ") was returned");
                assertEquals("p" + n.entry() / 2, n.identity());
            }
            if (top.get(0).entry() == RandomUnitVectors.bruteNearest(gallery, live, q)) {
                hits++;
            }
        }
        assertTrue(hits >= 0.99 * queries.length, index.getClass().getSimpleName() + " recall@1 " + hits + "/" + queries.length);
    }

    private static float[] unit(float... v) {
        double s = 0;
        for (float x : v) {
            s += x * x;
        }
        float[] out = v.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] /= (float) Math.sqrt(s);
        }
        return out;
    }
}
