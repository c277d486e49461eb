package io.facestream.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PersonDifficultyTest {

    /** Unit vectors on a circle, at these angles in degrees: distance grows with the angle between two of them. */
    private static List<float[]> at(double... degrees) {
        return java.util.Arrays.stream(degrees).mapToObj(d -> new float[] {
            (float) Math.cos(Math.toRadians(d)), (float) Math.sin(Math.toRadians(d))}).toList();
    }

    @Test
    void countsOwnFacesFartherThanTheNearestStranger() {
        Map<String, List<float[]>> e = new LinkedHashMap<>();
        // a at 0, 10, 60; b at 50, 90, 100; c far away at 180, 190
        e.put("a", at(0, 10, 60));
        e.put("b", at(50, 90, 100));
        e.put("c", at(180, 190));
        Map<String, Double> d = PersonDifficulty.of(e);
        // a0: nearest stranger b at 50; own 10 nearer, 60 farther: 1/2. a1: stranger 40; own 10, 50: 1/2.
        // a2: stranger 10; own 60 and 50 both farther: 1. Mean 2/3.
        assertEquals(2.0 / 3, d.get("a"), 1e-9);
        // b0: stranger a2 at 10; own 40, 50 farther: 1. b1: stranger 30; own 40 farther, 10 nearer: 1/2. b2: 1/2.
        assertEquals(2.0 / 3, d.get("b"), 1e-9);
        assertEquals(0.0, d.get("c"), 1e-9);

        e.put("a", at(0, 10, 28)); // a2 now near its own: a0 0, a1 0, a2: stranger 22, own 28 farther, 18 nearer
        d = PersonDifficulty.of(e);
        assertEquals(1.0 / 6, d.get("a"), 1e-9);
        // b0: stranger a2 at 22; own 40 and 50 farther: 1; b1, b2: 0
        assertEquals(1.0 / 3, d.get("b"), 1e-9);
    }

    @Test
    void needsTwoPeopleWithTwoFacesEach() {
        assertThrows(IllegalArgumentException.class, () -> PersonDifficulty.of(Map.of("a", at(0, 10))));
        assertThrows(IllegalArgumentException.class, () -> PersonDifficulty.of(Map.of("a", at(0, 10), "b", at(90))));
    }
}
