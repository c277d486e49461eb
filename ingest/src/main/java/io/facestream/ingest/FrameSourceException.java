package io.facestream.ingest;

/** A frame source could not be opened or read; the message says which source and what to check. */
public class FrameSourceException extends RuntimeException {

    private final boolean permanent;

    /** A failure; {@code permanent} when retrying the same source cannot help (a missing or unreadable file). */
    public FrameSourceException(String message, boolean permanent, Throwable cause) {
        super(message, cause);
        this.permanent = permanent;
    }

    /** Whether retrying the same source cannot help. */
    public boolean permanent() {
        return permanent;
    }
}
