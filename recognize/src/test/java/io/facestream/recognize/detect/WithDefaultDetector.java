package io.facestream.recognize.detect;

import io.facestream.recognize.weights.WeightStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Base of the detector tests that share one detector with the paper's defaults, opened once per test class. */
abstract class WithDefaultDetector {

    static MtcnnDetector detector;

    @BeforeAll
    static void load() {
        detector = MtcnnDetector.load(WeightStore.defaultStore(), MtcnnOptions.defaults());
    }

    @AfterAll
    static void close() {
        if (detector != null) {
            detector.close();
            detector = null;
        }
    }
}
