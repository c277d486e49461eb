package io.facestream.core.event;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A record that could not be processed, kept with the reason (the value of {@code frames.dlq}):
 * bad input never kills a stream and is never dropped silently.
 */
public record DeadLetter(String topic, String key, byte[] value, String error, Instant time) {

    /**
     * @param topic the topic the record came from
     * @param key its key, null when it had none
     * @param value its raw value bytes, empty when it had none
     * @param error why it was rejected, as a sentence
     * @param time when it was rejected
     */
    public DeadLetter {
        Checks.text(topic, "dead letter source topic");
        Checks.present(value, "dead letter raw value (use an empty array for a record without value)");
        value = value.clone();
        Checks.text(error, "dead letter error text");
        Checks.present(time, "dead letter time");
    }

    /** A copy of the raw value bytes. */
    @Override
    public byte[] value() {
        return value.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeadLetter d && topic.equals(d.topic) && Objects.equals(key, d.key)
                && Arrays.equals(value, d.value) && error.equals(d.error) && time.equals(d.time);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, key, error, time) * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "DeadLetter[" + topic + "/" + key + ", " + value.length + " bytes, " + error + ", " + time + "]";
    }
}
