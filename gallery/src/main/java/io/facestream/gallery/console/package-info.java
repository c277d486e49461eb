/**
 * What the operator's console shows beyond the stores: each camera's latest frames with the faces found in
 * them, pushed to browsers; the published models; and the stream's figures (frames/s, latency, lag, dead letters).
 */
package io.facestream.gallery.console;
