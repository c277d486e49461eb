package io.facestream.gallery.ratelimit;

import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per API token name: each request takes one token from its bucket; the bucket refills at
 * {@link RateLimit#perSecond()} up to {@link RateLimit#burst()}. A request that finds its bucket empty is told how
 * long to wait. Buckets are per name, so two tokens never slow each other down.
 */
public final class TokenBuckets {

    private final RateLimit limit;
    private final LongSupplier nanoTime;
    private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public TokenBuckets(RateLimit limit) {
        this(limit, System::nanoTime);
    }

    /** @param nanoTime the clock, {@link System#nanoTime()} outside tests */
    public TokenBuckets(RateLimit limit, LongSupplier nanoTime) {
        this.limit = limit;
        this.nanoTime = nanoTime;
    }

    public RateLimit limit() {
        return limit;
    }

    /**
     * Takes one request from the bucket of {@code name}: empty when it may go ahead, else how long until the bucket
     * holds one again (rounded up to whole milliseconds).
     */
    public OptionalLong take(String name) {
        if (!limit.on()) {
            return OptionalLong.empty();
        }
        return buckets.computeIfAbsent(name, n -> new Bucket(limit.burst(), nanoTime.getAsLong())).take();
    }

    private final class Bucket {
        private double tokens;
        private long refilledAt;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.refilledAt = now;
        }

        synchronized OptionalLong take() {
            long now = nanoTime.getAsLong();
            tokens = Math.min(limit.burst(), tokens + (now - refilledAt) / 1e9 * limit.perSecond());
            refilledAt = now;
            if (tokens >= 1) {
                tokens -= 1;
                return OptionalLong.empty();
            }
            return OptionalLong.of((long) Math.ceil((1 - tokens) / limit.perSecond() * 1000));
        }
    }
}
