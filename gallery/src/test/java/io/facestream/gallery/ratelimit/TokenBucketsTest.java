package io.facestream.gallery.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token bucket on a clock the test moves. */
class TokenBucketsTest {

    @Test
    void aBurstGoesThroughThenTheRatePacesAndEachTokenHasItsOwnBucket() {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        TokenBuckets buckets = new TokenBuckets(new RateLimit(2, 3), now::get);
        for (int i = 0; i < 3; i++) {
            assertEquals(OptionalLong.empty(), buckets.take("ada"), "request " + i + " of the burst");
        }
        assertEquals(OptionalLong.of(500), buckets.take("ada"), "empty: one request refills in 1/2 s");
        assertEquals(OptionalLong.empty(), buckets.take("bob"), "another token is not slowed by ada");
        now.addAndGet(250_000_000L);
        assertEquals(OptionalLong.of(250), buckets.take("ada"), "half a request refilled, half to go");
        now.addAndGet(250_000_000L);
        assertEquals(OptionalLong.empty(), buckets.take("ada"));
        assertTrue(buckets.take("ada").isPresent());
        now.addAndGet(3_600_000_000_000L);
        for (int i = 0; i < 3; i++) {
            assertEquals(OptionalLong.empty(), buckets.take("ada"), "an hour later the bucket is full, no fuller");
        }
        assertTrue(buckets.take("ada").isPresent());
    }

    @Test
    void offLetsEverythingThroughAndBadLimitsSayWhy() {
        TokenBuckets off = new TokenBuckets(RateLimit.OFF);
        for (int i = 0; i < 10_000; i++) {
            assertEquals(OptionalLong.empty(), off.take("ada"));
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new RateLimit(-1, 5)).getMessage()
                .contains("0 (off) or more"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new RateLimit(5, 0)).getMessage()
                .contains("burst must be 1 or more"));
        assertEquals("2.5/s, bursts of 10", new RateLimit(2.5, 10).toString());
    }
}
