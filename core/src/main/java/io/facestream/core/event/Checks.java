package io.facestream.core.event;

import java.util.Arrays;
import java.util.List;

/** Validation and copying helpers shared by the event records, so their messages read alike. */
final class Checks {

    private Checks() {
    }

    static String text(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must be a non-empty text, was "
                    + (value == null ? "null" : "\"" + value + "\""));
        }
        return value;
    }

    static <T> T present(T value, String what) {
        if (value == null) {
            throw new IllegalArgumentException(what + " is required, was null");
        }
        return value;
    }

    static byte[] bytes(byte[] value, String what) {
        if (value == null || value.length == 0) {
            throw new IllegalArgumentException(what + " must hold at least one byte, was "
                    + (value == null ? "null" : "empty"));
        }
        return value.clone();
    }

    static long notNegative(long value, String what) {
        if (value < 0) {
            throw new IllegalArgumentException(what + " must be >= 0, was " + value);
        }
        return value;
    }

    /** A distance: finite and >= 0 (squared L2 on the unit sphere lies in [0, 4]). */
    static double distance(double value, String what) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(what + " must be a finite number >= 0, was " + value);
        }
        return value;
    }

    static List<byte[]> copyAll(List<byte[]> arrays, String what) {
        present(arrays, what);
        byte[][] copy = new byte[arrays.size()][];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = bytes(arrays.get(i), what + " [" + i + "]");
        }
        return List.of(copy);
    }

    static List<byte[]> cloneAll(List<byte[]> arrays) {
        return arrays.stream().map(byte[]::clone).toList();
    }

    static boolean sameArrays(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    static int hashArrays(List<byte[]> arrays) {
        int h = 1;
        for (byte[] a : arrays) {
            h = 31 * h + Arrays.hashCode(a);
        }
        return h;
    }
}
