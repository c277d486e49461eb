package io.facestream.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeldOutSplitTest {

    @Test
    void stratifiedHoldsOutTheMiddleOfEachRunOfDifficulty() {
        Map<String, Double> d = new LinkedHashMap<>();
        // p0 hardest ... p9 easiest
        for (int i = 0; i < 10; i++) {
            d.put("p" + i, 0.9 - 0.1 * i);
        }
        HeldOutSplit two = HeldOutSplit.stratified(List.copyOf(d.keySet()), d, 2);
        assertEquals(List.of("p2", "p7"), two.heldOut()); // runs p0-p4 and p5-p9, middle of each
        assertEquals(8, two.train().size());
        assertEquals(List.of("p1", "p5", "p8"), HeldOutSplit.stratified(List.copyOf(d.keySet()), d, 3).heldOut()); // indices 1, 5, 8 of 0-9
        HeldOutSplit five = HeldOutSplit.stratified(List.copyOf(d.keySet()), d, 5);
        assertEquals(List.of("p1", "p3", "p5", "p7", "p9"), five.heldOut());
        for (String p : five.heldOut()) {
            assertEquals(false, five.train().contains(p));
        }
    }

    @Test
    void stratifiedBreaksTiesByName() {
        Map<String, Double> d = new LinkedHashMap<>();
        for (String p : List.of("d", "b", "a", "c", "e", "f")) {
            d.put(p, 0.0);
        }
        assertEquals(List.of("b", "e"), HeldOutSplit.stratified(List.copyOf(d.keySet()), d, 2).heldOut());
    }

    @Test
    void peopleWithoutADifficultyAreTrainedOnAndNeverHeldOut() {
        Map<String, Double> d = new LinkedHashMap<>();
        for (String p : List.of("a", "b", "c", "d", "e", "f")) {
            d.put(p, 0.0);
        }
        HeldOutSplit s = HeldOutSplit.stratified(List.of("solo", "a", "b", "c", "d", "e", "f", "lone"), d, 2);
        assertEquals(List.of("b", "e"), s.heldOut()); // as among the six ranked alone
        assertEquals(List.of("solo", "a", "c", "d", "f", "lone"), s.train());
        // two ranked people and two unranked: holding out 2 would leave no ranked person to train on
        assertThrows(IllegalArgumentException.class, () -> HeldOutSplit.stratified(List.of("a", "b", "x", "y"),
                Map.of("a", 0.1, "b", 0.2), 2));
    }

    @Test
    void refusesSplitsThatLeaveTooFew() {
        Map<String, Double> d = Map.of("a", 0.1, "b", 0.2, "c", 0.3);
        assertThrows(IllegalArgumentException.class, () -> HeldOutSplit.stratified(List.copyOf(d.keySet()), d, 2));
        assertThrows(IllegalArgumentException.class, () -> HeldOutSplit.stratified(List.of("a", "b", "c", "d"),
                Map.of("a", 0.1, "b", 0.2, "c", 0.3, "d", 0.4), 1));
    }

    @Test
    void shuffleIsRepeatableAndDisjoint() {
        List<String> people = List.of("a", "b", "c", "d", "e", "f", "g");
        HeldOutSplit s = HeldOutSplit.of(people, 3, 7);
        assertEquals(s, HeldOutSplit.of(people, 3, 7));
        assertEquals(3, s.heldOut().size());
        assertEquals(4, s.train().size());
        for (String p : s.heldOut()) {
            assertEquals(false, s.train().contains(p));
        }
    }
}
