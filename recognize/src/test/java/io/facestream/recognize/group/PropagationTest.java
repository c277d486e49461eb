package io.facestream.recognize.group;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PropagationTest {

    /** Two tight groups of four joined by one weak link, and a face with no link. */
    private static Edges twoGroupsAndABridge() {
        Edges.Builder b = new Edges.Builder();
        for (int i = 0; i < 4; i++) {
            for (int j = i + 1; j < 4; j++) {
                b.add(i, j, 0.9f);
                b.add(i + 4, j + 4, 0.8f);
            }
        }
        b.add(3, 4, 0.1f);
        return Edges.Builder.concat(9, b);
    }

    @Test
    void componentsWithinTheLimitAreKeptWhole() {
        Propagation.Result r = Propagation.run(twoGroupsAndABridge(), 8, Propagation.CDP_STEP);
        assertEquals(new Groups(new int[] {0, 0, 0, 0, 0, 0, 0, 0, 1}), r.groups());
        assertEquals(1, r.rounds());
        assertEquals(0, r.splitComponents());
    }

    @Test
    void anOversizedComponentLosesItsWeakestLinksFirst() {
        Propagation.Result r = Propagation.run(twoGroupsAndABridge(), 5, Propagation.CDP_STEP);
        assertEquals(new Groups(new int[] {0, 0, 0, 0, 1, 1, 1, 1, 2}), r.groups());
        assertEquals(2, r.rounds(), "one raise of the threshold (0.1 → 0.145) drops the bridge");
        assertEquals(1, r.splitComponents());
        assertEquals(0.1 + 0.9 * 0.05, r.lastThreshold(), 1e-6);
    }

    @Test
    void splittingGoesOnUntilEveryPieceFits() {
        Edges.Builder b = new Edges.Builder();
        b.add(0, 1, 0.9f);
        b.add(1, 2, 0.5f);
        b.add(2, 3, 0.95f);
        b.add(3, 4, 0.6f);
        b.add(4, 5, 0.92f);
        Groups g = Propagation.run(Edges.Builder.concat(6, b), 2, 0.05).groups();
        assertEquals(new Groups(new int[] {0, 0, 1, 1, 2, 2}), g);
    }
}
