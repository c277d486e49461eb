/** The gallery deployable of facestream; see the project README. */
package io.facestream.gallery;
