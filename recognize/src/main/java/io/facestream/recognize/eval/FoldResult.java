package io.facestream.recognize.eval;

/**
 * The figures of one cross-validation fold: thresholds chosen on the other folds and the rates
 * they give on this held-out fold.
 *
 * @param fold           the fold id as given by the pairs
 * @param pairs          pairs in this (held-out) fold
 * @param threshold      distance threshold maximising accuracy on the other folds
 * @param trainAccuracy  that best accuracy on the other folds
 * @param accuracy       accuracy of {@code threshold} on this fold
 * @param valThreshold   threshold whose FAR on the other folds is the target FAR
 * @param val            true-accept rate of {@code valThreshold} on this fold
 * @param far            false-accept rate of {@code valThreshold} on this fold
 */
public record FoldResult(int fold, int pairs, double threshold, double trainAccuracy, double accuracy,
                         double valThreshold, double val, double far) {
}
