package io.facestream.recognize.group;

import java.util.Random;

/** Synthetic unit embeddings for the grouping tests: tight clusters around chosen directions on the sphere. */
final class Blobs {

    private Blobs() {
    }

    /** A unit vector of {@code dim} values along axis {@code axis}, or between axes when given several. */
    static float[] direction(int dim, int... axes) {
        float[] v = new float[dim];
        for (int a : axes) {
            v[a] = 1;
        }
        return normalise(v);
    }

    /** {@code count} unit vectors scattered around {@code centre} with per-coordinate noise {@code sigma}. */
    static float[][] around(float[] centre, int count, double sigma, Random random) {
        float[][] out = new float[count][];
        for (int i = 0; i < count; i++) {
            float[] v = centre.clone();
            for (int d = 0; d < v.length; d++) {
                v[d] += (float) (sigma * random.nextGaussian());
            }
            out[i] = normalise(v);
        }
        return out;
    }

    /** Random unit vectors (uniform on the sphere). */
    static float[][] random(int count, int dim, Random random) {
        float[][] out = new float[count][dim];
        for (int i = 0; i < count; i++) {
            for (int d = 0; d < dim; d++) {
                out[i][d] = (float) random.nextGaussian();
            }
            out[i] = normalise(out[i]);
        }
        return out;
    }

    static float[] normalise(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x * x;
        }
        float inv = (float) (1 / Math.sqrt(s));
        float[] o = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            o[i] = v[i] * inv;
        }
        return o;
    }

    /** The rows of several arrays, one after the other. */
    static float[][] concat(float[][]... parts) {
        int n = 0;
        for (float[][] p : parts) {
            n += p.length;
        }
        float[][] out = new float[n][];
        int at = 0;
        for (float[][] p : parts) {
            for (float[] r : p) {
                out[at++] = r;
            }
        }
        return out;
    }

    static double squared(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return s;
    }
}
