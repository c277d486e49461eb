/** The {@code facestream} command line. */
package io.facestream.app;
