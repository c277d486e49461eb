/** Pictures of a training run. */
package io.facestream.train.report;
