package io.facestream.gallery.console;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The health page's latency percentiles: nearest rank over the latest values only. */
class PercentilesTest {

    @Test
    void nearestRankOverTheLatestValues() {
        Percentiles p = new Percentiles(100);
        assertTrue(Double.isNaN(p.of(50)[0]), "no value, no percentile");
        for (int i = 1; i <= 100; i++) {
            p.add(i);
        }
        assertArrayEquals(new double[] {50, 95, 99, 100}, p.of(50, 95, 99, 100));
        for (int i = 0; i < 100; i++) {
            p.add(1000 + i); // the first hundred leave
        }
        assertEquals(100, p.count());
        assertArrayEquals(new double[] {1049, 1099}, p.of(50, 100));
        Percentiles one = new Percentiles(10);
        one.add(7);
        assertArrayEquals(new double[] {7, 7}, one.of(1, 99));
    }
}
