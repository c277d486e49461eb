/** The identity-balanced, bounded, persistent store of labelled face crops the trainer samples from. */
package io.facestream.train.buffer;
