/** The validation gate: a candidate model is kept only if it verifies at least as well as the current one. */
package io.facestream.train.gate;
