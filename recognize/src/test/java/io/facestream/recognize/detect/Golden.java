package io.facestream.recognize.detect;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.facestream.recognize.testing.SharedData;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The arrays of a reference {@code .npz} file by name, loaded with DJL; closes them with its manager. */
final class Golden implements AutoCloseable {

    private final NDManager manager = NDManager.newBaseManager();
    private final Map<String, NDArray> arrays = new HashMap<>();

    Golden(String relative) {
        Path file = SharedData.require(relative);
        try (InputStream in = Files.newInputStream(file)) {
            for (NDArray a : NDList.decode(manager, in)) {
                arrays.put(a.getName(), a);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    NDArray get(String name) {
        NDArray a = arrays.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no array '" + name + "' in the golden file; it has " + arrays.keySet());
        }
        return a;
    }

    float[] floats(String name) {
        return get(name).toFloatArray();
    }

    NDManager manager() {
        return manager;
    }

    /** Largest absolute difference; fails on a size mismatch. */
    static double maxAbsDiff(float[] expected, float[] actual) {
        if (expected.length != actual.length) {
            throw new AssertionError("expected " + expected.length + " values, got " + actual.length);
        }
        double m = 0;
        for (int i = 0; i < expected.length; i++) {
            m = Math.max(m, Math.abs((double) expected[i] - actual[i]));
        }
        return m;
    }

    @Override
    public void close() {
        manager.close();
    }
}
