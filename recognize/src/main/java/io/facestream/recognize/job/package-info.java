/**
 * The Flink recognize job: frames in, one match event per face out with its per-camera track id and its
 * identity from the broadcast gallery; enrolments in, gallery entries and enrolment results out. Records
 * of {@code frames} that are not frames and frames that do not decode go to the dead-letter topic; a
 * request with an unusable photo gets an error result.
 */
package io.facestream.recognize.job;
