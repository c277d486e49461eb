package io.facestream.recognize.landmark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FaceShapeTest {

    /** Point i at (i, 1000 + i): its index can be read back from either coordinate. */
    static FaceShape numbered() {
        double[] xy = new double[2 * FaceShape.COUNT];
        for (int i = 0; i < FaceShape.COUNT; i++) {
            xy[2 * i] = i;
            xy[2 * i + 1] = 1000 + i;
        }
        return new FaceShape(xy);
    }

    @Test
    void mirrorRelabelsLeftAndRightAndKeepsTheMidline() {
        FaceShape m = numbered().mirror(100);
        // x = 99 − x of the point it came from; y tells which one
        int[][] expected = {{0, 16}, {8, 8}, {17, 26}, {21, 22}, {27, 27}, {30, 30}, {31, 35}, {33, 33}, {36, 45},
            {39, 42}, {40, 47}, {41, 46}, {48, 54}, {51, 51}, {55, 59}, {57, 57}, {60, 64}, {62, 62}, {65, 67}, {66, 66}};
        for (int[] e : expected) {
            assertEquals(1000 + e[1], m.get(e[0]).y(), 0, "point " + e[0]);
            assertEquals(99 - e[1], m.get(e[0]).x(), 0, "point " + e[0]);
            assertEquals(1000 + e[0], m.get(e[1]).y(), 0, "point " + e[1]);
        }
        assertArrayEquals(numbered().xy(), m.mirror(100).xy(), 0);
    }

    @Test
    void meanAndValidation() {
        assertEquals(38.5, numbered().mean(36, 41).x(), 1e-12);
        assertEquals(1038.5, numbered().mean(36, 41).y(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new FaceShape(new double[10]));
        double[] bad = new double[2 * FaceShape.COUNT];
        bad[3] = Double.NaN;
        assertThrows(IllegalArgumentException.class, () -> new FaceShape(bad));
    }
}
