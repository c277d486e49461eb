package io.facestream.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.facestream.core.event.DeadLetter;
import io.facestream.core.event.Frame;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The dead letter of a frame too large for its topic: the raw value when it fits, its size and metadata always. */
class OversizedFrameTest {

    private static final Instant CAPTURED = Instant.parse("2026-01-02T03:04:05Z");
    private static final Instant NOW = Instant.parse("2026-01-02T03:04:06Z");
    private static final Frame FRAME = new Frame("door-1", 42, CAPTURED, 1920, 1080, new byte[] {1, 2, 3});

    @Test
    void aValueUnderTheLimitIsKeptWhole() {
        byte[] value = {9, 8, 7, 6, 5};
        DeadLetter d = Ingestor.deadLetter(FRAME, value, 90, "is over the 64-byte limit for frames", 5, NOW);
        assertEquals("frames", d.topic());
        assertEquals("door-1", d.key());
        assertArrayEquals(value, d.value());
        assertEquals(NOW, d.time());
        assertEquals("frame 42 of camera door-1 (1920x1080, captured 2026-01-02T03:04:05Z) is a 90-byte record with a "
                + "5-byte value and is over the 64-byte limit for frames", d.error());
    }

    @Test
    void aValueOverTheLimitIsLeftOutAndTheReasonSaysSo() {
        DeadLetter d = Ingestor.deadLetter(FRAME, new byte[6], 91, "was refused as too large", 5, NOW);
        assertEquals(0, d.value().length);
        assertEquals("frame 42 of camera door-1 (1920x1080, captured 2026-01-02T03:04:05Z) is a 91-byte record with a "
                + "6-byte value and was refused as too large; its value is left out here, being over the 5 bytes a "
                + "dead letter carries", d.error());
    }
}
