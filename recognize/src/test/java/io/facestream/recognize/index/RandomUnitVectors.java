package io.facestream.recognize.index;

import java.util.Random;

/** Random points on the unit sphere, and the brute-force nearest neighbour the indexes are checked against. */
final class RandomUnitVectors {

    private RandomUnitVectors() {
    }

    static float[][] draw(int n, int dimension, long seed) {
        Random r = new Random(seed);
        float[][] out = new float[n][dimension];
        for (float[] v : out) {
            double s = 0;
            for (int i = 0; i < dimension; i++) {
                v[i] = (float) r.nextGaussian();
                s += v[i] * v[i];
            }
            float inv = (float) (1 / Math.sqrt(s));
            for (int i = 0; i < dimension; i++) {
                v[i] *= inv;
            }
        }
        return out;
    }

    static double distance(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return s;
    }

    /** Index of the nearest of {@code gallery} to {@code q} among those {@code live} allows, by a plain scan. */
    static int bruteNearest(float[][] gallery, boolean[] live, float[] q) {
        int best = -1;
        double bestD = Double.POSITIVE_INFINITY;
        for (int i = 0; i < gallery.length; i++) {
            if (live != null && !live[i]) {
                continue;
            }
            double d = distance(gallery[i], q);
            if (d < bestD) {
                bestD = d;
                best = i;
            }
        }
        return best;
    }
}
