/**
 * Getting frames in: JavaCV/FFmpeg frame sources (video files, RTSP/HTTP streams, V4L2 cameras), a frame-rate
 * cap, JPEG encoding, and the {@link io.facestream.ingest.Ingestor} loop that produces them to the {@code frames}
 * topic with reconnection, and frames too large for it to {@code frames.dlq}.
 */
package io.facestream.ingest;
