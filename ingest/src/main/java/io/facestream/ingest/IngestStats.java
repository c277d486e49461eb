package io.facestream.ingest;

/**
 * Counters of one {@link Ingestor} since it started.
 *
 * @param read frames decoded from the source
 * @param sent frames the broker acknowledged
 * @param dropped frames dropped by the frame-rate cap
 * @param failed frames the producer could not deliver (too large, broker unreachable past the delivery timeout)
 * @param reconnects times the source was opened again after it failed or ended unexpectedly
 */
public record IngestStats(long read, long sent, long dropped, long failed, long reconnects) {
}
