package io.facestream.train.mining;

/**
 * One selected triplet of batch indices with its squared distances at selection time.
 *
 * @param anchor index of the anchor face in the batch
 * @param positive index of a face of the same identity
 * @param negative index of a face of another identity
 * @param positiveDistance squared L2 between anchor and positive (unit embeddings: 0..4)
 * @param negativeDistance squared L2 between anchor and negative
 * @param kind why this negative was chosen
 */
public record Triplet(int anchor, int positive, int negative, double positiveDistance, double negativeDistance,
        Kind kind) {

    /** How the negative relates to the positive's distance. */
    public enum Kind {
        /** {@code d(a,p) < d(a,n) < d(a,p) + α}: FaceNet's semi-hard negative, the closest such one. */
        SEMI_HARD,
        /** No semi-hard negative: the closest negative beyond {@code d(a,p) + α}; its loss is zero. */
        EASY,
        /** Every negative is at most as far as the positive: the farthest of them (the least hard). */
        HARD
    }

    /** The hinge loss {@code max(0, d(a,p) − d(a,n) + α)} at selection time. */
    public double loss(double alpha) {
        return Math.max(0, positiveDistance - negativeDistance + alpha);
    }
}
