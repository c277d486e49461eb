/** Pictures of a training run, and the curve a model is published with. */
package io.facestream.train.report;
