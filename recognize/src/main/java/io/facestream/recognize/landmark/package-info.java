/** The 68-point face landmarks (iBUG 300-W scheme) of a detected face, for dlib's own chip alignment. */
package io.facestream.recognize.landmark;
