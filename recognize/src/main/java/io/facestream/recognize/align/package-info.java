/** Alignment: similarity transforms of the five landmarks onto a template, and the warped face crops. */
package io.facestream.recognize.align;
