package io.facestream.recognize.group;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class NeighboursTest {

    @Test
    void exactNeighboursMatchASortOfAllDistances() {
        float[][] rows = Blobs.random(600, 24, new Random(3)); // more than one run of DotPanels.WIDTH
        UnitVectors v = UnitVectors.of("random", rows);
        Neighbours one = Neighbours.exact(v, 7, 1);
        Neighbours three = Neighbours.exact(v, 7, 3);
        for (int i = 0; i < rows.length; i++) {
            int q = i;
            int[] expected = IntStream.range(0, rows.length).filter(j -> j != q).boxed()
                    .sorted(Comparator.comparingDouble(j -> Blobs.squared(rows[q], rows[j]))).limit(7).mapToInt(Integer::intValue).toArray();
            assertArrayEquals(expected, one.ids()[i], "neighbours of " + i);
            assertArrayEquals(one.ids()[i], three.ids()[i], "threads do not change the answer");
            for (int r = 0; r < 7; r++) {
                assertEquals(Blobs.squared(rows[i], rows[expected[r]]), one.distances()[i][r], 1e-5);
            }
        }
    }

    @Test
    void kIsCappedAtTheOtherFacesAndLinksAreUndirected() {
        float[][] rows = {Blobs.direction(3, 0), Blobs.direction(3, 0, 1), Blobs.direction(3, 2)};
        Neighbours nb = Neighbours.exact(UnitVectors.of("three", rows), 20, 2);
        assertEquals(2, nb.ids()[0].length, "only two other faces");
        Neighbours one = Neighbours.exact(UnitVectors.of("three", rows), 1, 1);
        assertEquals(1, one.ids()[0][0]);
        assertEquals(0, one.ids()[1][0], "0 and 1 are 45° apart, 2 is 90° from both");
        assertFalse(one.contains(0, 2));
        assertTrue(one.linked(2, one.ids()[2][0]));
        assertTrue(one.linked(one.ids()[2][0], 2), "linked either way round");
    }
}
