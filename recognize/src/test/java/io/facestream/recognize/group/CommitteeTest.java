package io.facestream.recognize.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CommitteeTest {

    private static final int DIM = 8;

    /**
     * Two people, five faces each, well apart in both embedders, and one more face of the first person that the
     * first embedder places halfway between the two people (within its threshold of both). The second embedder
     * sees it as plainly the first person. Alone, the first embedder chains the two people into one component;
     * the committee refuses the bridge.
     */
    @Test
    void consensusRefusesTheBridgeOneEmbedderAloneWouldTakeToTheOtherPerson() {
        Random random = new Random(11);
        float[][] a1 = Blobs.around(Blobs.direction(DIM, 0), 5, 0.05, random);
        float[][] b1 = Blobs.around(Blobs.direction(DIM, 1), 5, 0.05, random);
        float[][] x1 = {Blobs.direction(DIM, 0, 1)}; // 0.59 from both centres
        float[][] a2 = Blobs.around(Blobs.direction(DIM, 3), 5, 0.05, random);
        float[][] b2 = Blobs.around(Blobs.direction(DIM, 4), 5, 0.05, random);
        float[][] x2 = Blobs.around(Blobs.direction(DIM, 3), 1, 0.05, random);
        UnitVectors first = UnitVectors.of("first", Blobs.concat(a1, b1, x1));
        UnitVectors second = UnitVectors.of("second", Blobs.concat(a2, b2, x2));
        int bridge = 10;
        assertTrue(first.squaredDistance(bridge, 0) < 1.0 && first.squaredDistance(bridge, 5) < 1.0, "the first embedder accepts both links");
        assertTrue(second.squaredDistance(bridge, 5) > 1.5, "the second does not accept the link to the other person");

        Committee.Member m1 = Committee.Member.of(first, 20, 1.0, 2);
        Committee.Member m2 = Committee.Member.of(second, 20, 0.5, 2);
        Groups alone = Propagation.run(Committee.agree(List.of(m1)), 1000, Propagation.CDP_STEP).groups();
        assertEquals(1, alone.count(), "one embedder alone chains both people through the bridge: " + alone);

        Edges agreed = Committee.agree(List.of(m1, m2));
        Groups groups = Propagation.run(agreed, 1000, Propagation.CDP_STEP).groups();
        assertEquals(new Groups(new int[] {0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0}), groups);
        for (int e = 0; e < agreed.count(); e++) {
            boolean crosses = (agreed.a()[e] < 5) != (agreed.b()[e] < 5 || agreed.b()[e] == bridge);
            assertTrue(!crosses, "no agreed edge between the people: " + agreed.a()[e] + "-" + agreed.b()[e]);
        }
    }

    @Test
    void scoreIsTheWeakestMembersMarginAndNeedsEveryMembersNeighbourhood() {
        float[][] rows = {Blobs.direction(4, 0), Blobs.normalise(new float[] {1, 0.3f, 0, 0}), Blobs.normalise(new float[] {1, 0, 0.2f, 0}),
            Blobs.direction(4, 3)};
        UnitVectors u = UnitVectors.of("u", rows);
        Committee.Member loose = Committee.Member.of(u, 3, 1.0, 1);
        Committee.Member strict = Committee.Member.of(u, 3, 0.2, 1);
        double d = u.squaredDistance(0, 1);
        float score = Committee.score(List.of(loose, strict), 0, 1);
        assertEquals(Math.min(1 - d / 1.0, 1 - d / 0.2), score, 1e-6);
        assertEquals(-1f, Committee.score(List.of(loose, strict), 0, 3), "90° apart: beyond both thresholds");

        // with k = 1 each face lists only its nearest: 1 and 2 are each other's second choice, so no member links them
        Committee.Member nearestOnly = Committee.Member.of(u, 1, 4.0, 1);
        assertEquals(0, nearestOnly.neighbours().ids()[1][0]);
        assertEquals(0, nearestOnly.neighbours().ids()[2][0]);
        assertEquals(-1f, Committee.score(List.of(nearestOnly), 1, 2), "within the threshold but not k-NN neighbours");
        assertNotEquals(-1f, Committee.score(List.of(nearestOnly), 0, 2));
    }
}
