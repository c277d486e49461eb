package io.facestream.core.serde;

import io.facestream.core.codec.Codec;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka serde for one value type over its {@link Codec}. A null value maps to a null record value
 * both ways, because that is a tombstone on the compacted topics; any other undecodable bytes throw
 * {@link io.facestream.core.codec.CodecException}.
 */
public final class CodecSerde<T> implements Serde<T> {

    private final Codec<T> codec;

    public CodecSerde(Codec<T> codec) {
        if (codec == null) {
            throw new IllegalArgumentException("a serde needs a codec, was null");
        }
        this.codec = codec;
    }

    public Codec<T> codec() {
        return codec;
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> value == null ? null : codec.encode(value);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> bytes == null ? null : codec.decode(bytes);
    }

    @Override
    public String toString() {
        return "serde over " + codec;
    }
}
