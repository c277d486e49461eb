package io.facestream.train.distill;

import io.facestream.recognize.align.FaceCrop;
import java.util.Random;

/**
 * Random views of a kept face for the distillation term: a similarity transform about the crop's centre (a turn, a
 * scale, a shift, as a landmark detector's small errors move an aligned crop) and a colour change (a gain per channel,
 * as white balance does, and a blend toward grey). The trained network and the starting model see the same view,
 * so the term asks the two to agree on faces near the kept ones as well as on the kept ones themselves: the set
 * they agree on grows from a few dozen points to a neighbourhood of each.
 *
 * <p>At strength {@code s} in (0, 1]: a turn in ±15s degrees, a scale in [1 − 0.15s, 1 + 0.15s], a shift of up to
 * 0.1s of the side in each direction, gains in [1 − 0.2s, 1 + 0.2s], and a blend toward grey by a share uniform in
 * [0, s]. Pixels the transform brings in from outside the crop repeat its edge. Values stay in 0..255.
 */
public final class FaceJitter {

    private final double strength;
    private final Random random;

    /** Views of strength {@code strength} (in (0, 1]); {@code seed} fixes the draws. */
    public FaceJitter(double strength, long seed) {
        if (!(strength > 0 && strength <= 1)) {
            throw new IllegalArgumentException("kept-face jitter strength must be in (0, 1], was " + strength);
        }
        this.strength = strength;
        this.random = new Random(seed);
    }

    /** The jitter's strength. */
    public double strength() {
        return strength;
    }

    /** One random view of {@code face}, as a new crop. */
    public FaceCrop view(FaceCrop face) {
        double angle = Math.toRadians(15 * strength * uniform());
        double scale = 1 + 0.15 * strength * uniform();
        double dx = 0.1 * strength * face.size() * uniform();
        double dy = 0.1 * strength * face.size() * uniform();
        float[] gains = new float[3];
        for (int c = 0; c < 3; c++) {
            gains[c] = (float) (1 + 0.2 * strength * uniform());
        }
        float grey = (float) (strength * random.nextDouble());
        return transform(face, angle, scale, dx, dy, gains, grey);
    }

    /** A draw uniform in [−1, 1]. */
    private double uniform() {
        return 2 * random.nextDouble() - 1;
    }

    /**
     * {@code face} turned by {@code angle} (radians, counter-clockwise on the image), scaled by {@code scale} about
     * its centre and shifted by ({@code dx}, {@code dy}) pixels; each channel then multiplied by its gain and blended
     * toward the pixel's grey (the mean of the channels) by {@code grey}.
     */
    static FaceCrop transform(FaceCrop face, double angle, double scale, double dx, double dy, float[] gains, float grey) {
        int n = face.size();
        float[] src = face.chw();
        float[] out = new float[src.length];
        int plane = n * n;
        double half = (n - 1) / 2.0;
        // Output pixel p = centre + R(angle) * scale * (q - centre) + d; so q = centre + R(-angle) (p - centre - d) / scale.
        double cos = Math.cos(angle) / scale;
        double sin = Math.sin(angle) / scale;
        float[] rgb = new float[3];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                double px = x - half - dx;
                double py = y - half - dy;
                double sx = half + cos * px + sin * py;
                double sy = half - sin * px + cos * py;
                sx = Math.max(0, Math.min(n - 1, sx));
                sy = Math.max(0, Math.min(n - 1, sy));
                int x0 = Math.min(n - 2, (int) sx);
                int y0 = Math.min(n - 2, (int) sy);
                float fx = (float) (sx - x0);
                float fy = (float) (sy - y0);
                float mean = 0;
                for (int c = 0; c < 3; c++) {
                    int base = c * plane + y0 * n + x0;
                    float top = src[base] + fx * (src[base + 1] - src[base]);
                    float bottom = src[base + n] + fx * (src[base + n + 1] - src[base + n]);
                    rgb[c] = (top + fy * (bottom - top)) * gains[c];
                    mean += rgb[c] / 3;
                }
                for (int c = 0; c < 3; c++) {
                    float v = rgb[c] + grey * (mean - rgb[c]);
                    out[c * plane + y * n + x] = Math.max(0f, Math.min(255f, v));
                }
            }
        }
        return new FaceCrop(n, out);
    }
}
