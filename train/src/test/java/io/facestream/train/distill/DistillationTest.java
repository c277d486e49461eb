package io.facestream.train.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** The distillation term on hand-made unit embeddings: its value and its gradient. */
class DistillationTest {

    @Test
    void valueAndGradientOfHandMadeEmbeddings() {
        try (NDManager m = NDManager.newBaseManager()) {
            // row 0 has not moved; row 1 moved from (0,1) to (0.6,0.8): 0.36 + 0.04 = 0.4
            NDArray e = m.create(new float[] {1, 0, 0.6f, 0.8f}, new Shape(2, 2));
            NDArray anchor = m.create(new float[] {1, 0, 0, 1}, new Shape(2, 2));
            e.setRequiresGradient(true);
            Distillation d = new Distillation(2.0);
            NDArray drift;
            NDArray term;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                drift = Distillation.drift(e, anchor);
                term = d.term(drift);
                gc.backward(term);
            }
            assertEquals(0.2, drift.getFloat(), 1e-6); // mean of 0 and 0.4
            assertEquals(0.4, term.getFloat(), 1e-6); // λ = 2
            // d/de_i of λ/N Σ ‖e_i − a_i‖² = 2λ/N (e_i − a_i): row 0 nothing, row 1 2·(0.6, −0.2)
            assertArrayEquals(new float[] {0, 0, 1.2f, -0.4f}, e.getGradient().toFloatArray(), 1e-6f);
        }
    }

    @Test
    void zeroWhenNothingMoved() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray e = m.create(new float[] {0.6f, 0.8f, -1, 0}, new Shape(2, 2));
            assertEquals(0, Distillation.drift(e, e.duplicate()).getFloat(), 0);
        }
    }

    @Test
    void refusesANegativeWeightAndMismatchedShapes() {
        assertThrows(IllegalArgumentException.class, () -> new Distillation(-0.1));
        assertThrows(IllegalArgumentException.class, () -> new Distillation(Double.NaN));
        try (NDManager m = NDManager.newBaseManager()) {
            IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                    () -> Distillation.drift(m.zeros(new Shape(2, 3)), m.zeros(new Shape(3, 3))));
            assertEquals("the trained and the anchor embeddings differ in shape: (2, 3) vs (3, 3)", ex.getMessage());
        }
    }
}
