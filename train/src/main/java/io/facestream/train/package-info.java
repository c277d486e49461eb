/** The train deployable of facestream; see the project README. */
package io.facestream.train;
