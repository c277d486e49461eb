package io.facestream.recognize.job;

import java.io.Serializable;
import java.time.Duration;

/**
 * Holds a test's input back until an outcome of the running job has been observed (a sink has seen what
 * it must), so that a MiniCluster test can order events across independent inputs: "enrol, then show
 * frames", "match, then delete". Only for the JVM-local MiniCluster, where sinks and gates share memory.
 */
final class Gate {

    /** The longest a gate waits before it fails the job with its description. */
    static final Duration LIMIT = Duration.ofSeconds(120);

    /** A condition on what the job has produced so far. */
    @FunctionalInterface
    interface Condition extends Serializable {
        boolean holds();
    }

    private Gate() {
    }

    /** Waits until {@code condition} holds, then {@code settle} longer for records already under way. */
    static void await(String what, Condition condition, Duration settle) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gave up after " + LIMIT.toSeconds() + " s waiting for " + what);
            }
            sleep(50);
        }
        sleep(settle.toMillis());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        }
    }
}
