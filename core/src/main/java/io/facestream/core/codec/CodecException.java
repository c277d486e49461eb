package io.facestream.core.codec;

/** Bytes that are not a valid encoding of the expected value, or a value that cannot be encoded. */
public class CodecException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }

    public CodecException(String message) {
        super(message);
    }
}
