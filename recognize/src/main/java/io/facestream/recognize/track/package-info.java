/**
 * Per-camera face tracking: a face keeps its track id from frame to frame by box overlap and embedding
 * distance. Plain Java, no Flink: the recognize job keeps a {@link io.facestream.recognize.track.TrackerState}
 * per camera in keyed state and steps it with a {@link io.facestream.recognize.track.Tracker}.
 */
package io.facestream.recognize.track;
