/** Limiting forgetting: a frozen copy of the starting model and the distillation term that keeps the trained embedding near it. */
package io.facestream.train.distill;
