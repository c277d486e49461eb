package io.facestream.recognize.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ChineseWhispersTest {

    /** Two cliques of five joined by one weak edge, and face 10 alone. */
    private static Edges graph() {
        Edges.Builder b = new Edges.Builder();
        for (int i = 0; i < 5; i++) {
            for (int j = i + 1; j < 5; j++) {
                b.add(i, j, 0.9f);
                b.add(i + 5, j + 5, 0.9f);
            }
        }
        b.add(4, 5, 0.3f);
        return Edges.Builder.concat(11, b);
    }

    @Test
    void cliquesJoinedByAWeakEdgeStayApart() {
        Groups want = new Groups(new int[] {0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2});
        for (long seed : new long[] {1, 2, 3}) {
            ChineseWhispers.Result r = ChineseWhispers.run(graph(), 100, seed);
            assertEquals(want, r.groups(), "seed " + seed);
            assertTrue(r.converged(), "a round without change ends it");
            assertTrue(r.rounds() < 100);
        }
    }

    @Test
    void theSameSeedGivesTheSameGroups() {
        float[][] rows = Blobs.random(200, 5, new java.util.Random(9));
        Edges e = ChineseWhispers.similarityWeights(RadiusGraph.within(UnitVectors.of("r", rows), 0.6, 2));
        assertEquals(ChineseWhispers.run(e, 100, 7).groups(), ChineseWhispers.run(e, 100, 7).groups());
    }

    @Test
    void similarityIsOneMinusHalfTheSquaredDistance() {
        Edges.Builder b = new Edges.Builder();
        b.add(0, 1, 0.5f);
        Edges w = ChineseWhispers.similarityWeights(Edges.Builder.concat(2, b));
        assertEquals(0.75f, w.weight()[0], 1e-7);
    }
}
