package io.facestream.recognize.align;

/**
 * Where the five landmarks go in an aligned crop, and the crop's size. Each embedder was trained on
 * crops made with one of these.
 */
public enum AlignmentTemplate {
    /** The ArcFace / InsightFace 112×112 template, used by MobileFaceNet. */
    ARCFACE_112(112, new double[][] {
        {38.2946, 51.6963}, {73.5318, 51.5014}, {56.0252, 71.7366}, {41.5493, 92.3655}, {70.7299, 92.2041}}),
    /**
     * dlib's 5-point chip at 150×150 (size 150, padding 0.25), expressed in MTCNN's landmark order
     * (eye centres, nose tip, mouth corners), used by the dlib ResNet.
     */
    DLIB_150(150, new double[][] {
        {47.549, 46.599}, {100.476, 46.599}, {74.0127, 76.5625}, {50.4149, 103.0233}, {97.6104, 103.0233}});

    private final int size;
    private final double[][] points;

    AlignmentTemplate(int size, double[][] points) {
        this.size = size;
        this.points = points;
    }

    /** Side of the square crop in pixels. */
    public int size() {
        return size;
    }

    /** A copy of the five target points (x, y) in crop pixels. */
    public double[][] points() {
        double[][] copy = new double[points.length][];
        for (int i = 0; i < points.length; i++) {
            copy[i] = points[i].clone();
        }
        return copy;
    }
}
