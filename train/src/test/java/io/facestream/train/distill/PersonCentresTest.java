package io.facestream.train.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Person centres on hand-made unit embeddings: the normalised running sum of every row seen per person. */
class PersonCentresTest {

    private static final float R = (float) Math.sqrt(0.5);

    @Test
    void eachRowGetsItsPersonsCentreOfEverythingSeenSoFar() {
        try (NDManager m = NDManager.newBaseManager()) {
            PersonCentres c = new PersonCentres();
            // a: (1,0) and (0,1) -> centre (r, r); b: (0,-1) alone.
            NDArray first = m.create(new float[] {1, 0, 0, 1, 0, -1}, new Shape(3, 2));
            NDArray t1 = c.targets(first, List.of("a", "a", "b"), m);
            assertArrayEquals(new float[] {R, R, R, R, 0, -1}, t1.toFloatArray(), 1e-6f);
            assertEquals(new Shape(3, 2), t1.getShape());
            // a batch later a's (1,0) again: the sum is (2,1), the centre (2,1)/√5, for the new row too.
            NDArray second = m.create(new float[] {1, 0}, new Shape(1, 2));
            float s5 = (float) Math.sqrt(5);
            assertArrayEquals(new float[] {2 / s5, 1 / s5}, c.targets(second, List.of("a"), m).toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {0, -1}, c.centre("b"), 1e-6f);
            assertEquals(2, c.people());
            assertNull(c.centre("nobody"));
        }
    }

    @Test
    void refusesRowsThatDoNotMatchThePeople() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray two = m.create(new float[] {1, 0, 0, 1}, new Shape(2, 2));
            assertThrows(IllegalArgumentException.class, () -> new PersonCentres().targets(two, List.of("a"), m));
            assertThrows(IllegalArgumentException.class, () -> new PersonCentres().targets(two, List.of(), m));
        }
    }
}
