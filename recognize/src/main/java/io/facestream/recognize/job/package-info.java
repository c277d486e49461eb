/** The Flink recognize job: frames in, one match event per face out, undecodable frames to the dead-letter topic. */
package io.facestream.recognize.job;
