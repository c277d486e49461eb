package io.facestream.core.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;

/** Encodes one value type to bytes in one {@link Format} and back; thread-safe. */
public final class Codec<T> {

    private final Class<T> type;
    private final Format format;

    private Codec(Class<T> type, Format format) {
        if (type == null || format == null) {
            throw new IllegalArgumentException("a codec needs a type and a format, had " + type + " and " + format);
        }
        this.type = type;
        this.format = format;
    }

    /** A JSON codec for the type. */
    public static <T> Codec<T> json(Class<T> type) {
        return new Codec<>(type, Format.JSON);
    }

    /** A CBOR codec for the type. */
    public static <T> Codec<T> cbor(Class<T> type) {
        return new Codec<>(type, Format.CBOR);
    }

    public Class<T> type() {
        return type;
    }

    public Format format() {
        return format;
    }

    /** The value as bytes; a null value is refused (a tombstone is the caller's decision, not the codec's). */
    public byte[] encode(T value) {
        if (value == null) {
            throw new CodecException("cannot encode a null " + type.getSimpleName() + " as " + format);
        }
        try {
            return format.mapper().writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new CodecException("could not encode " + value + " as " + format + ": " + firstLine(e), e);
        }
    }

    /** The value the bytes encode; never null, a {@link CodecException} saying what is wrong otherwise. */
    public T decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new CodecException("cannot decode a " + type.getSimpleName() + " from "
                    + (bytes == null ? "null" : "zero bytes") + " of " + format);
        }
        T value;
        try {
            value = format.mapper().readValue(bytes, type);
        } catch (IOException | RuntimeException e) {
            // RuntimeException too: a record constructor's IllegalArgumentException may surface unwrapped.
            throw new CodecException("could not decode a " + type.getSimpleName() + " from " + bytes.length
                    + " bytes of " + format + ": " + firstLine(e), e);
        }
        if (value == null) {
            throw new CodecException("could not decode a " + type.getSimpleName() + " from " + bytes.length
                    + " bytes of " + format + ": they encode null");
        }
        return value;
    }

    private static String firstLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() instanceof IllegalArgumentException && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root instanceof JsonProcessingException j ? j.getOriginalMessage() : root.getMessage();
        if (m == null) {
            return root.getClass().getSimpleName();
        }
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    @Override
    public String toString() {
        return format + " codec of " + type.getSimpleName();
    }
}
