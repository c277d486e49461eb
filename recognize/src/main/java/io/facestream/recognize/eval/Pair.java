package io.facestream.recognize.eval;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One verification pair from a pairs file: two images, whether they show the same person, and
 * the cross-validation fold (0-based) the pair belongs to.
 */
public record Pair(Path a, Path b, boolean same, int fold) {

    /** Validates that both images are given and the fold is not negative. */
    public Pair {
        Objects.requireNonNull(a, "image a of a pair must not be null");
        Objects.requireNonNull(b, "image b of a pair must not be null");
        if (fold < 0) {
            throw new IllegalArgumentException("fold must be 0 or more, was " + fold + " (pair " + a + ", " + b + ")");
        }
    }
}
