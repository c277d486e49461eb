package io.facestream.recognize.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The resequencer as an operator with keyed state and timers, processing time driven by hand. */
class ResequenceFunctionTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    @Test
    void framesComeOutInSequenceOrder() throws Exception {
        try (var h = harness()) {
            h.processElement(frame("cam-1", 0), 0);
            h.processElement(frame("cam-1", 2), 0);
            assertEquals(List.of(0L), sequences(h), "frame 2 waits for frame 1");
            h.processElement(frame("cam-1", 1), 0);
            h.processElement(frame("cam-1", 4), 0);
            h.processElement(frame("cam-1", 3), 0);
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L), sequences(h));
            assertFalse(h.extractOutputValues().stream().anyMatch(SequencedFrame::restarted));
        }
    }

    @Test
    void camerasAreOrderedIndependently() throws Exception {
        try (var h = harness()) {
            h.processElement(frame("cam-1", 0), 0);
            h.processElement(frame("cam-2", 0), 0);
            h.processElement(frame("cam-2", 2), 0);
            h.processElement(frame("cam-1", 1), 0);
            assertEquals(List.of("cam-1:0", "cam-2:0", "cam-1:1"), h.extractOutputValues().stream()
                    .map(s -> s.frame().cameraId() + ":" + s.frame().sequence()).toList());
        }
    }

    @Test
    void aGapThatPersistsIsSkippedAfterTheTimeoutAndTheMissingFrameCountsAsLate() throws Exception {
        try (var h = harness()) {
            h.setProcessingTime(1_000);
            h.processElement(frame("cam-1", 0), 0);
            h.processElement(frame("cam-1", 2), 0);
            h.processElement(frame("cam-1", 3), 0);
            h.setProcessingTime(1_000 + TIMEOUT.toMillis() - 1);
            assertEquals(List.of(0L), sequences(h), "still waiting for frame 1");
            h.setProcessingTime(1_000 + TIMEOUT.toMillis());
            assertEquals(List.of(0L, 2L, 3L), sequences(h), "gap skipped after the timeout");
            // Frame 1 turns up after all: passed on at once for best-effort tracking.
            h.processElement(frame("cam-1", 1), 0);
            assertEquals(List.of(0L, 2L, 3L, 1L), sequences(h));
            h.processElement(frame("cam-1", 4), 0);
            assertEquals(List.of(0L, 2L, 3L, 1L, 4L), sequences(h), "order continues after the skipped gap");
        }
    }

    @Test
    void aSecondGapWaitsItsOwnTimeout() throws Exception {
        try (var h = harness()) {
            h.setProcessingTime(0);
            h.processElement(frame("cam-1", 0), 0);
            h.processElement(frame("cam-1", 2), 0);
            h.processElement(frame("cam-1", 4), 0);
            h.setProcessingTime(1_500);
            h.processElement(frame("cam-1", 1), 0);
            assertEquals(List.of(0L, 1L, 2L), sequences(h));
            // The gap before 4 was first in line at 1.5 s: it is skipped at 3.5 s, not at 2 s.
            h.setProcessingTime(2_000);
            assertEquals(List.of(0L, 1L, 2L), sequences(h));
            h.setProcessingTime(3_500);
            assertEquals(List.of(0L, 1L, 2L, 4L), sequences(h));
        }
    }

    @Test
    void zeroFaceFramesAndDeadLetteredMarkersFillTheirPlace() throws Exception {
        try (var h = harness()) {
            h.processElement(frame("cam-1", 0), 0);
            h.processElement(frame("cam-1", 3), 0);
            h.processElement(AnalyzedFrame.deadLettered("cam-1", 1, T0.plusSeconds(1), T0), 0);
            h.processElement(frame("cam-1", 2), 0);
            assertEquals(List.of(0L, 1L, 2L, 3L), sequences(h), "no timeout needed");
            assertTrue(h.extractOutputValues().get(1).frame().deadLettered());
        }
    }

    @Test
    void aFirstFrameOtherThanZeroWaitsForItsPredecessors() throws Exception {
        try (var h = harness()) {
            h.setProcessingTime(0);
            h.processElement(frame("cam-1", 11), 0);
            h.processElement(frame("cam-1", 10), 0);
            assertEquals(List.of(), sequences(h), "frames before 10 may still be under way");
            h.setProcessingTime(TIMEOUT.toMillis());
            assertEquals(List.of(10L, 11L), sequences(h));
            h.processElement(frame("cam-1", 12), 0);
            assertEquals(List.of(10L, 11L, 12L), sequences(h));
        }
    }

    @Test
    void aRestartedCameraIsToldApartFromALateFrameByItsCaptureTime() throws Exception {
        try (var h = harness()) {
            for (int s = 0; s <= 3; s++) {
                h.processElement(frame("cam-1", s), 0);
            }
            h.processElement(frame("cam-1", 5), 0);
            // Ingest restarted: numbering from 0 again, but captured later than frame 5.
            h.processElement(new AnalyzedFrame("cam-1", 0, T0.plusSeconds(600), T0, List.of(), false), 0);
            h.processElement(new AnalyzedFrame("cam-1", 1, T0.plusSeconds(601), T0, List.of(), false), 0);
            List<SequencedFrame> out = h.extractOutputValues();
            assertEquals(List.of(0L, 1L, 2L, 3L, 5L, 0L, 1L), sequences(h), "the old run's waiting frame goes first");
            assertEquals(List.of(false, false, false, false, false, true, false),
                    out.stream().map(SequencedFrame::restarted).toList());
        }
    }

    @Test
    void theEndOfABoundedInputReleasesEverything() throws Exception {
        try (var h = harness()) {
            h.processElement(frame("cam-1", 0), 0);
            h.processElement(frame("cam-1", 7), 0);
            h.processElement(frame("cam-1", 5), 0);
            h.processWatermark(Long.MAX_VALUE);
            assertEquals(List.of(0L, 5L, 7L), sequences(h));
        }
    }

    @Test
    void tooManyWaitingFramesSkipTheGapAtOnce() throws Exception {
        try (var h = harness()) {
            h.processElement(frame("cam-1", 0), 0);
            for (long s = 2; s <= ResequenceFunction.MAX_PENDING_FRAMES + 2; s++) {
                h.processElement(frame("cam-1", s), 0);
            }
            List<Long> out = sequences(h);
            assertEquals(ResequenceFunction.MAX_PENDING_FRAMES + 2, out.size(), "all but the missing frame 1");
            assertEquals(2L, out.get(1));
        }
    }

    @Test
    void waitingFramesAndTheTimerSurviveACheckpoint() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.setProcessingTime(0);
            h.processElement(frame("cam-1", 0), 0);
            h.processElement(frame("cam-1", 2), 0);
            h.processElement(frame("cam-1", 3), 0);
            snapshot = h.snapshot(1, 0);
        }
        try (var restored = harness(snapshot)) {
            restored.processElement(frame("cam-1", 1), 0);
            assertEquals(List.of(1L, 2L, 3L), sequences(restored), "frame 0 was released before the checkpoint");
        }
        try (var restored = harness(snapshot)) {
            restored.setProcessingTime(TIMEOUT.toMillis());
            assertEquals(List.of(2L, 3L), sequences(restored), "the gap timer was restored");
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, AnalyzedFrame, SequencedFrame> harness()
            throws Exception {
        return harness(null);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, AnalyzedFrame, SequencedFrame> harness(
            OperatorSubtaskState restore) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new ResequenceFunction(TIMEOUT)),
                AnalyzedFrame::cameraId, Types.STRING);
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
        return h;
    }

    private static List<Long> sequences(KeyedOneInputStreamOperatorTestHarness<String, AnalyzedFrame, SequencedFrame> h) {
        return h.extractOutputValues().stream().map(s -> s.frame().sequence()).toList();
    }

    /** A frame without faces, captured one second per sequence number after T0. */
    private static AnalyzedFrame frame(String camera, long sequence) {
        return new AnalyzedFrame(camera, sequence, T0.plusSeconds(sequence), T0.plusSeconds(sequence), List.of(), false);
    }
}
