package io.facestream.recognize.detect;

/**
 * A box on its way through the stages, in the pipeline's 1-based MATLAB-derived frame, with the values
 * of the network that scored it last. Mutable: the stages regress and square it in place.
 */
final class Candidate {

    double x1;
    double y1;
    double x2;
    double y2;
    /** Face probability of the last network. */
    double score;
    /** Logit margin z1 − z0 of the last network: the NMS ranking key (README §6, NMS step 1). */
    double margin;
    /** Box regression (dx1, dy1, dx2, dy2) of the last network. */
    final double[] reg = new double[4];
    /** Stage 3 only: landmarks x0..x4, y0..y4 in 0-based pixels. */
    double[] landmarks;

    Candidate(double x1, double y1, double x2, double y2) {
        this.x1 = x1;
        this.y1 = y1;
        this.x2 = x2;
        this.y2 = y2;
    }

    Candidate copyBox() {
        return new Candidate(x1, y1, x2, y2);
    }

    double[] toRow() {
        return new double[] {x1, y1, x2, y2, score};
    }
}
