package io.facestream.recognize.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.facestream.recognize.testing.SharedData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;

/** Reads the reference arrays and compares network outputs with them. */
final class Golden {

    private Golden() {
    }

    /** The arrays of {@code reference/<file>} in {@code manager}; skips the test if the bundle is absent. */
    static NDList load(NDManager manager, String file) throws IOException {
        try (InputStream in = Files.newInputStream(SharedData.require("reference/" + file))) {
            return NDList.decode(manager, in);
        }
    }

    /** The array named {@code name}. */
    static NDArray get(NDList list, String name) {
        NDArray a = list.get(name);
        if (a == null) {
            throw new IllegalArgumentException("the reference file has no array " + name);
        }
        return a;
    }

    /** max |a − b| / max |b|. */
    static double relativeMaxDiff(float[] actual, float[] expected) {
        assertEquals(expected.length, actual.length, "length");
        double diff = 0;
        double ref = 0;
        for (int i = 0; i < expected.length; i++) {
            diff = Math.max(diff, Math.abs((double) actual[i] - expected[i]));
            ref = Math.max(ref, Math.abs(expected[i]));
        }
        return diff / ref;
    }

    /** Cosine of two vectors, in double. */
    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    /** Row {@code r} of a row-major {@code rows × cols} array. */
    static float[] row(float[] flat, int r, int cols) {
        float[] out = new float[cols];
        System.arraycopy(flat, r * cols, out, 0, cols);
        return out;
    }

    /** Asserts relative max difference and per-row cosine; prints both so the report carries the numbers. */
    static void assertClose(String what, float[] actual, float[] expected, int cols, double maxRel, double minCos) {
        double rel = relativeMaxDiff(actual, expected);
        double worstCos = 1;
        for (int r = 0; r < expected.length / cols; r++) {
            worstCos = Math.min(worstCos, cosine(row(actual, r, cols), row(expected, r, cols)));
        }
        System.out.printf("%s: max|diff|/max|ref| = %.3g, min cosine = %.12f%n", what, rel, worstCos);
        assertTrue(rel <= maxRel, what + ": relative max difference " + rel + " > " + maxRel);
        assertTrue(worstCos >= minCos, what + ": cosine " + worstCos + " < " + minCos);
    }
}
