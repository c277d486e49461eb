package io.facestream.recognize.track;

import io.facestream.core.BoundingBox;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** One-to-one pairing of the boxes of two frames by overlap, the largest overlaps first. */
final class BoxPairing {

    /** Whether box {@code i} of the first list may pair with box {@code j} of the second at all. */
    @FunctionalInterface
    interface Admissible {
        boolean test(int i, int j);
    }

    private BoxPairing() {
    }

    /**
     * For each box of {@code a}, the index of its partner in {@code b}, or -1. Pairs overlap by at least
     * {@code minOverlap} (IoU) and are {@code admissible}; the largest overlap pairs first, ties in list order, and
     * each box pairs once.
     */
    static int[] largestOverlapFirst(List<BoundingBox> a, List<BoundingBox> b, double minOverlap, Admissible admissible) {
        List<double[]> pairs = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            for (int j = 0; j < b.size(); j++) {
                double o = a.get(i).iou(b.get(j));
                if (o >= minOverlap && admissible.test(i, j)) {
                    pairs.add(new double[] {o, i, j});
                }
            }
        }
        pairs.sort((x, y) -> Double.compare(y[0], x[0]));
        int[] partner = new int[a.size()];
        Arrays.fill(partner, -1);
        boolean[] taken = new boolean[b.size()];
        for (double[] p : pairs) {
            int i = (int) p[1];
            int j = (int) p[2];
            if (partner[i] < 0 && !taken[j]) {
                partner[i] = j;
                taken[j] = true;
            }
        }
        return partner;
    }
}
