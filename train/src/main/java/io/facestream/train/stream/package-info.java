/** The trainer as a long-running service: hard examples from the stream in, gated models out. */
package io.facestream.train.stream;
