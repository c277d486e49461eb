package io.facestream.recognize.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The box arithmetic of the reference pipeline (README §6), in double, with facenet's operation order. */
final class BoxOps {

    /** Which overlap measure non-maximum suppression uses. */
    enum Overlap { IOU, MIN }

    private static final Comparator<Candidate> BY_MARGIN_DESC = (a, b) -> Double.compare(b.margin, a.margin);

    private BoxOps() {
    }

    /**
     * Greedy NMS. Candidates are ranked by descending logit margin with a stable sort, because float32
     * softmax saturates at 1.0 and would leave the order to rounding noise; ties keep their input order.
     */
    static List<Candidate> nms(List<Candidate> in, double threshold, Overlap mode) {
        List<Candidate> order = new ArrayList<>(in);
        order.sort(BY_MARGIN_DESC);
        int n = order.size();
        boolean[] dropped = new boolean[n];
        List<Candidate> keep = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (dropped[i]) {
                continue;
            }
            Candidate a = order.get(i);
            keep.add(a);
            double areaA = (a.x2 - a.x1 + 1) * (a.y2 - a.y1 + 1);
            for (int j = i + 1; j < n; j++) {
                if (dropped[j]) {
                    continue;
                }
                Candidate b = order.get(j);
                double w = Math.max(0, Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1) + 1);
                double h = Math.max(0, Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1) + 1);
                double inter = w * h;
                double areaB = (b.x2 - b.x1 + 1) * (b.y2 - b.y1 + 1);
                double overlap = mode == Overlap.IOU ? inter / (areaA + areaB - inter) : inter / Math.min(areaA, areaB);
                if (overlap > threshold) {
                    dropped[j] = true;
                }
            }
        }
        return keep;
    }

    /** Applies the regression with the given extra pixel on the width (stage 1: 0, stages 2-3: 1). */
    static void regress(Candidate c, double plusOne) {
        double w = c.x2 - c.x1 + plusOne;
        double h = c.y2 - c.y1 + plusOne;
        double x1 = c.x1 + c.reg[0] * w;
        double y1 = c.y1 + c.reg[1] * h;
        double x2 = c.x2 + c.reg[2] * w;
        double y2 = c.y2 + c.reg[3] * h;
        c.x1 = x1;
        c.y1 = y1;
        c.x2 = x2;
        c.y2 = y2;
    }

    /** Squares the box about its centre (facenet {@code rerec}), then truncates the corners toward zero. */
    static void squareAndTruncate(Candidate c) {
        double w = c.x2 - c.x1;
        double h = c.y2 - c.y1;
        double l = Math.max(w, h);
        c.x1 = c.x1 + w * 0.5 - l * 0.5;
        c.y1 = c.y1 + h * 0.5 - l * 0.5;
        c.x2 = c.x1 + l;
        c.y2 = c.y1 + l;
        c.x1 = trunc(c.x1);
        c.y1 = trunc(c.y1);
        c.x2 = trunc(c.x2);
        c.y2 = trunc(c.y2);
    }

    /** Toward zero, like numpy's {@code fix}. */
    static double trunc(double v) {
        return v < 0 ? Math.ceil(v) : Math.floor(v);
    }
}
