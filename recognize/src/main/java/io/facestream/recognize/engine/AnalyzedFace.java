package io.facestream.recognize.engine;

import io.facestream.core.DetectedFace;
import io.facestream.core.Embedding;

/** A detected face and, when asked for, its embedding (null otherwise). */
public record AnalyzedFace(DetectedFace detection, Embedding embedding) {

    public AnalyzedFace {
        if (detection == null) {
            throw new IllegalArgumentException("an analysed face needs its detection");
        }
    }
}
