package io.facestream.ingest;

/**
 * Counters of one {@link Ingestor} since it started. Once the ingestor has returned, every frame read is counted in
 * exactly one of {@code dropped}, {@code sent}, {@code deadLetters} and {@code failed}.
 *
 * @param read frames decoded from the source
 * @param sent frames the broker acknowledged in {@code frames}
 * @param dropped frames dropped by the frame-rate cap
 * @param failed frames lost: the producer could not deliver them (broker unreachable past the delivery timeout), or
 *     they were too large and could not be written to {@code frames.dlq} either
 * @param reconnects times the source was opened again after it failed or ended unexpectedly
 * @param deadLetters frames too large for {@code frames} that the broker acknowledged in {@code frames.dlq} instead
 */
public record IngestStats(long read, long sent, long dropped, long failed, long reconnects, long deadLetters) {

    /** Counters of a run in which no frame was too large. */
    public IngestStats(long read, long sent, long dropped, long failed, long reconnects) {
        this(read, sent, dropped, failed, reconnects, 0);
    }
}
