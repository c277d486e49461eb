/** The ingest deployable of facestream; see the project README. */
package io.facestream.ingest;
