package io.facestream.recognize.job;

import io.facestream.core.event.DeadLetter;
import io.facestream.core.event.Frame;
import io.facestream.core.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * One record of the {@code frames} topic as the job reads it: a frame, or the record that could not be
 * read as one (then the dead letter that keeps its raw bytes). A source cannot emit to a side output, so
 * it emits this either-type and the job splits it right after the source.
 *
 * @param frame the frame, null when the record was rejected
 * @param rejected the rejected record with the reason, null when it was a frame
 */
public record FrameInput(Frame frame, DeadLetter rejected) {

    public FrameInput {
        if ((frame == null) == (rejected == null)) {
            throw new IllegalArgumentException("a frame input is either a frame or a rejected record, had "
                    + (frame == null ? "neither" : "both"));
        }
    }

    /** A frame that was read. */
    public static FrameInput of(Frame frame) {
        return new FrameInput(frame, null);
    }

    /** A record that is not a frame. */
    public static FrameInput rejected(DeadLetter rejected) {
        return new FrameInput(null, rejected);
    }

    /**
     * Reads one raw {@code frames} record with the catalogue's serde; anything that does not decode becomes
     * a rejected input with the raw bytes, the key and the reason.
     *
     * @param where where the record came from (topic, partition, offset), for the reason
     * @param now the rejection time
     */
    public static FrameInput decode(Deserializer<Frame> frames, String topic, byte[] key, byte[] value, String where,
            Instant now) {
        String k = key == null ? null : new String(key, StandardCharsets.UTF_8);
        if (value == null) {
            return rejected(new DeadLetter(topic, k, new byte[0], "record " + where + " has no value (null), not a frame",
                    now));
        }
        try {
            return of(frames.deserialize(topic, value));
        } catch (RuntimeException e) {
            return rejected(new DeadLetter(topic, k, value, "record " + where + " is not a frame: " + e.getMessage(), now));
        }
    }

    /** {@link #decode} with the {@code frames} topic's own serde. */
    public static FrameInput decode(String topic, byte[] key, byte[] value, String where, Instant now) {
        return decode(Topics.FRAMES.valueSerde().deserializer(), topic, key, value, where, now);
    }

    /** True when this is a frame. */
    public boolean isFrame() {
        return frame != null;
    }
}
