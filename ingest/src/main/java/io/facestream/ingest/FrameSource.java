package io.facestream.ingest;

import java.util.Optional;

/** A sequence of decoded frames from one camera, file or stream; not thread-safe. */
public interface FrameSource extends AutoCloseable {

    /**
     * The next frame, blocking until it is there (or its time has come, for a paced file); empty at the end of the
     * source. A failure to read throws {@link FrameSourceException}.
     */
    Optional<DecodedFrame> next();

    /** What this source reads, without credentials, for logs and error messages. */
    String description();

    /** Releases the decoder and the connection; safe to call twice. */
    @Override
    void close();
}
