package io.facestream.recognize.group;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RadiusGraphTest {

    @Test
    void findsExactlyThePairsWithinTheRadiusInOrder() {
        float[][] rows = Blobs.random(600, 6, new Random(5)); // more than one run of DotPanels.WIDTH
        UnitVectors v = UnitVectors.of("random", rows);
        double radius = 0.8;
        Edges one = RadiusGraph.within(v, radius, 1);
        Edges.Builder expected = new Edges.Builder();
        for (int i = 0; i < rows.length; i++) {
            for (int j = i + 1; j < rows.length; j++) {
                if (Blobs.squared(rows[i], rows[j]) <= radius) {
                    expected.add(i, j, 0);
                }
            }
        }
        Edges want = Edges.Builder.concat(rows.length, expected);
        assertEquals(want.count(), one.count());
        assertArrayEquals(want.a(), one.a());
        assertArrayEquals(want.b(), one.b());
        for (int e = 0; e < one.count(); e++) {
            assertEquals(Blobs.squared(rows[one.a()[e]], rows[one.b()[e]]), one.weight()[e], 1e-5);
        }
        Edges three = RadiusGraph.within(v, radius, 3);
        assertArrayEquals(one.a(), three.a(), "threads do not change the edges or their order");
        assertArrayEquals(one.b(), three.b());
        assertArrayEquals(one.weight(), three.weight());
    }

    @Test
    void refusesARadiusOutsideTheSphere() {
        UnitVectors v = UnitVectors.of("two", new float[][] {Blobs.direction(2, 0), Blobs.direction(2, 1)});
        assertThrows(IllegalArgumentException.class, () -> RadiusGraph.within(v, 4.5, 1));
    }
}
