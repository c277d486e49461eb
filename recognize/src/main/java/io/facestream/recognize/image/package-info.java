/** Decoded images and the pixel operations the face pipeline needs. */
package io.facestream.recognize.image;
