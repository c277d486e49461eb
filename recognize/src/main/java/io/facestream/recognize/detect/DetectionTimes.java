package io.facestream.recognize.detect;

import java.util.Locale;

/**
 * Wall time of each MTCNN stage, summed over the detector calls it is handed to: where a frame's
 * detection time goes. Not thread-safe; one per measuring thread.
 */
public final class DetectionTimes {

    /** The stages in pipeline order. */
    public enum Stage {
        /** Summed-area table and the area-resized pyramid levels, in Java. */
        PYRAMID("image pyramid"),
        /** P-Net on every level: input copies, conv1 + PReLU + pool per level, the rest per level or on one canvas. */
        PNET("P-Net"),
        /** Candidate boxes from the P-Net maps, NMS per level and across levels, regression and squaring. */
        PNET_BOXES("P-Net boxes + NMS"),
        /** Cutting and area-resizing the 24×24 R-Net crops, in Java. */
        RNET_CROPS("R-Net crops"),
        /** R-Net on all crops, outputs copied back. */
        RNET("R-Net"),
        /** Cutting and area-resizing the 48×48 O-Net crops, in Java. */
        ONET_CROPS("O-Net crops"),
        /** O-Net on all crops, outputs copied back. */
        ONET("O-Net"),
        /** Thresholds, NMS, regression and landmarks after R-Net and O-Net. */
        BOXES("R/O-Net boxes + NMS");

        private final String label;

        Stage(String label) {
            this.label = label;
        }

        /** A short name for tables. */
        public String label() {
            return label;
        }
    }

    private final long[] nanos = new long[Stage.values().length];
    private int calls;

    /** Adds the time from {@code since} to now to {@code stage}; returns now, the start of the next stage. */
    long lap(Stage stage, long since) {
        long now = System.nanoTime();
        nanos[stage.ordinal()] += now - since;
        return now;
    }

    void countCall() {
        calls++;
    }

    /** Detector calls measured so far. */
    public int calls() {
        return calls;
    }

    /** Mean milliseconds per call spent in {@code stage}; 0 before the first call. */
    public double millisPerCall(Stage stage) {
        return calls == 0 ? 0 : nanos[stage.ordinal()] / 1e6 / calls;
    }

    /** Mean milliseconds per call over all stages. */
    public double totalMillisPerCall() {
        double sum = 0;
        for (Stage s : Stage.values()) {
            sum += millisPerCall(s);
        }
        return sum;
    }

    /** Forgets everything measured. */
    public void reset() {
        java.util.Arrays.fill(nanos, 0);
        calls = 0;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("DetectionTimes[" + calls + " calls");
        for (Stage s : Stage.values()) {
            sb.append(String.format(Locale.ROOT, ", %s %.2f ms", s.label(), millisPerCall(s)));
        }
        return sb.append(']').toString();
    }
}
