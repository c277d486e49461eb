package io.facestream.train.trainer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The guard trips when a window of batches has collapsed toward one point, and stays tripped. */
class CollapseGuardTest {

    private static StepResult step(int n, double spread) {
        return new StepResult(n, 0.2, 1.0, 32, 0, 32, spread, 32, 1.0, true);
    }

    @Test
    void tripsOnAWindowOfCollapsedBatchesOnly() {
        CollapseGuard g = new CollapseGuard(0.2);
        for (int i = 1; i <= 50; i++) {
            assertFalse(g.update(step(i, 1.6)));
        }
        // tight batches trip it only once the window's mean falls below the line:
        // 8 of 10 at 0.01 average (2 × 1.6 + 8 × 0.01) / 10 = 0.328
        for (int i = 51; i <= 58; i++) {
            assertFalse(g.update(step(i, 0.01)), "step " + i);
        }
        assertNull(g.reason());
        // 9 of 10: (1.6 + 9 × 0.01) / 10 = 0.169
        assertTrue(g.update(step(59, 0.01)));
        assertTrue(g.reason().contains("step 59"), g.reason());
    }

    @Test
    void staysTrippedOnceCollapsed() {
        CollapseGuard g = new CollapseGuard(0.2);
        for (int i = 1; i <= 10; i++) {
            g.update(step(i, 0.05));
        }
        assertTrue(g.collapsed());
        assertTrue(g.reason().contains("step 10"), g.reason());
        assertTrue(g.update(step(11, 1.9)));
    }
}
