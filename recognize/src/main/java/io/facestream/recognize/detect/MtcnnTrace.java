package io.facestream.recognize.detect;

import io.facestream.core.DetectedFace;
import java.util.List;

/**
 * What one image went through, for checks against the reference: scales, the boxes after stages 1
 * and 2 (1-based, squared, truncated: x1, y1, x2, y2, score) and the final boxes before the shift to
 * 0-based coordinates.
 */
record MtcnnTrace(double[] scales, List<double[]> stage1, List<double[]> stage2, List<double[]> finalBoxes,
        List<DetectedFace> faces) {
}
