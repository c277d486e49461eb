package io.facestream.recognize.job;

import io.facestream.core.event.DeadLetter;

/**
 * One record of an input topic as its source read it: the value, or the record that could not be read as one (then
 * the dead letter that keeps its raw bytes and the reason). A source cannot emit to a side output, so it emits this
 * either-type and the job splits it right after the source ({@link InputRecordSplit}).
 *
 * @param value the value read, null when the record was rejected
 * @param rejected the rejected record with the reason, null when it was read
 */
public record InputRecord<T>(T value, DeadLetter rejected) {

    public InputRecord {
        if ((value == null) == (rejected == null)) {
            throw new IllegalArgumentException("an input record is either a value or a rejected record, had "
                    + (value == null ? "neither" : "both"));
        }
    }

    /** A record that was read. */
    public static <T> InputRecord<T> of(T value) {
        return new InputRecord<>(value, null);
    }

    /** A record that could not be read. */
    public static <T> InputRecord<T> rejected(DeadLetter rejected) {
        return new InputRecord<>(null, rejected);
    }

    /** True when this is a value. */
    public boolean isValue() {
        return value != null;
    }
}
