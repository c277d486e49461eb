package io.facestream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FrameRateCapTest {

    @Test
    void halvesA25FpsSourceAt12Point5EvenWithJitteredTimestamps() {
        FrameRateCap cap = new FrameRateCap(12.5);
        for (int i = 0; i < 250; i++) {
            // 40 ms apart, each off by up to +-2 us as a rounded time base gives them.
            long jitter = (i % 3) - 1;
            cap.admit(i * 40_000L + jitter * 2);
        }
        assertEquals(125, cap.passed());
        assertEquals(125, cap.dropped());
    }

    @Test
    void noCapPassesEverything() {
        FrameRateCap cap = new FrameRateCap(0);
        for (int i = 0; i < 100; i++) {
            assertTrue(cap.admit(i));
        }
        assertEquals(0, cap.dropped());
    }

    @Test
    void aGapRestartsTheScheduleInsteadOfLettingABurstThrough() {
        FrameRateCap cap = new FrameRateCap(10);
        assertTrue(cap.admit(0));
        assertTrue(cap.admit(5_000_000));
        assertFalse(cap.admit(5_040_000), "40 ms after the last admitted frame, under a 100 ms interval");
        assertTrue(cap.admit(5_100_000));
    }

    @Test
    void rejectsANegativeCapNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FrameRateCap(-1));
        assertEquals("frame-rate cap must be a finite number >= 0 (0 = no cap), was -1.0", e.getMessage());
    }
}
