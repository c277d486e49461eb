package io.facestream.train.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.tracker.Tracker;
import org.junit.jupiter.api.Test;

/** LAMB's step: Adam's direction, each array moved by the learning rate times its own norm. */
class LambTest {

    @Test
    void everyArrayMovesByTheRateTimesItsNormInAdamsDirection() {
        float eta = 0.01f;
        Lamb lamb = Lamb.builder().optLearningRateTracker(Tracker.fixed(eta)).build();
        try (NDManager m = NDManager.newBaseManager()) {
            // a small array and a large one, as a 1x1 expansion's weights and a bias are
            NDArray small = m.create(new float[] {0.01f, -0.02f, 0.03f, 0.005f});
            NDArray large = m.create(new float[] {3f, -4f});
            float[] small0 = small.toFloatArray();
            float[] large0 = large.toFloatArray();
            NDArray gSmall = m.create(new float[] {1f, -2f, 0.5f, 0f});
            NDArray gLarge = m.create(new float[] {0.001f, 0.002f});
            lamb.update("small", small, gSmall);
            lamb.update("large", large, gLarge);
            // Adam's first step is g / |g| elementwise (bias-corrected moments, epsilon aside): the signs of g, 0 where g is 0
            float[][] sign = {{1, -1, 1, 0}, {1, 1}};
            float[][] before = {small0, large0};
            float[][] after = {small.toFloatArray(), large.toFloatArray()};
            for (int a = 0; a < 2; a++) {
                double wNorm = norm(before[a]);
                double uNorm = norm(sign[a]);
                for (int i = 0; i < before[a].length; i++) {
                    double expected = before[a][i] - eta * wNorm / uNorm * sign[a][i];
                    assertEquals(expected, after[a][i], 1e-6 * Math.max(1, wNorm), "array " + a + " element " + i);
                }
                double[] step = new double[before[a].length];
                for (int i = 0; i < step.length; i++) {
                    step[i] = after[a][i] - before[a][i];
                }
                assertEquals(eta, norm(step) / wNorm, 1e-4, "relative step of array " + a);
            }
            // the second step follows Adam's moments: a gradient that turns back shrinks the move, not its size rule
            float[] s1 = small.toFloatArray();
            lamb.update("small", small, gSmall.neg());
            double[] step2 = new double[s1.length];
            float[] s2 = small.toFloatArray();
            for (int i = 0; i < s1.length; i++) {
                step2[i] = s2[i] - s1[i];
            }
            assertEquals(eta, norm(step2) / norm(s1), 1e-4, "every step is eta relative to the array");
        }
    }

    @Test
    void aRateIsRequired() {
        assertThrows(IllegalArgumentException.class, () -> Lamb.builder().build());
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }
}
