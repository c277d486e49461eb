package io.facestream.recognize.group;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GroupingScoresTest {

    // people: A A A B B C
    private static final int[] PEOPLE = {0, 0, 0, 1, 1, 2};

    @Test
    void oneOfAsFacesInBsGroup() {
        // groups {0,1} {2,3,4} {5}: 4 pairs put together, 2 of them right; 4 same-person pairs, 2 found
        GroupingScores s = GroupingScores.of(Groups.of(new int[] {1, 1, 2, 2, 2, 3}), PEOPLE);
        assertEquals(0.5, s.pairwisePrecision(), 1e-12);
        assertEquals(0.5, s.pairwiseRecall(), 1e-12);
        assertEquals(0.5, s.pairwiseF(), 1e-12);
        // per face precision 1, 1, 1/3, 2/3, 2/3, 1; recall 2/3, 2/3, 1/3, 1, 1, 1
        assertEquals(7.0 / 9, s.bcubedPrecision(), 1e-12);
        assertEquals(7.0 / 9, s.bcubedRecall(), 1e-12);
        assertEquals(3, s.groups());
        assertEquals(3, s.people());
    }

    @Test
    void aAndBMergedIntoOneGroup() {
        // groups {0..4} {5}: 10 pairs put together, 3 + 1 right; all 4 same-person pairs found
        GroupingScores s = GroupingScores.of(Groups.of(new int[] {1, 1, 1, 1, 1, 2}), PEOPLE);
        assertEquals(0.4, s.pairwisePrecision(), 1e-12);
        assertEquals(1.0, s.pairwiseRecall(), 1e-12);
        assertEquals(2 * 0.4 / 1.4, s.pairwiseF(), 1e-12);
        // per face precision 3/5 ×3, 2/5 ×2, 1: mean 0.6; recall 1 for all
        assertEquals(0.6, s.bcubedPrecision(), 1e-12);
        assertEquals(1.0, s.bcubedRecall(), 1e-12);
        assertEquals(0.75, s.bcubedF(), 1e-12);
    }

    @Test
    void allAloneClaimsNothingAndFindsNothing() {
        GroupingScores s = GroupingScores.of(Groups.of(new int[] {0, 1, 2, 3, 4, 5}), PEOPLE);
        assertEquals(1.0, s.pairwisePrecision());
        assertEquals(0.0, s.pairwiseRecall());
        assertEquals(0.0, s.pairwiseF());
        assertEquals(1.0, s.bcubedPrecision(), 1e-12);
        assertEquals((1.0 / 3 * 3 + 0.5 * 2 + 1) / 6, s.bcubedRecall(), 1e-12);
    }

    @Test
    void groupsAreNumberedFromTheLargest() {
        Groups g = Groups.of(new int[] {7, 7, 3, 9, 3, 3});
        assertEquals(new Groups(new int[] {1, 1, 0, 2, 0, 0}), g);
        assertEquals(3, g.count());
        assertEquals(1, g.singletons());
    }
}
