package io.facestream.recognize.group;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DbscanTest {

    /** A chain 0-1-2-3, a pair 4-5, and 6 alone. */
    private static Edges graph() {
        Edges.Builder b = new Edges.Builder();
        b.add(0, 1, 0.2f);
        b.add(1, 2, 0.2f);
        b.add(2, 3, 0.2f);
        b.add(4, 5, 0.2f);
        return Edges.Builder.concat(7, b);
    }

    @Test
    void oneSampleMakesEveryFaceCoreSoClustersAreConnectedComponents() {
        Dbscan.Result r = Dbscan.run(graph(), 1);
        assertEquals(new Groups(new int[] {0, 0, 0, 0, 1, 1, 2}), r.groups());
        assertEquals(0, r.noise(), "with one sample no face is noise");
    }

    @Test
    void borderFacesJoinButFacesNoCoreReachesAreNoise() {
        Dbscan.Result r = Dbscan.run(graph(), 3);
        // 1 and 2 have two neighbours each (3 with themselves): core; 0 and 3 are their border; 4, 5, 6 are noise
        assertEquals(new Groups(new int[] {0, 0, 0, 0, 1, 2, 3}), r.groups());
        assertEquals(3, r.noise());
    }
}
