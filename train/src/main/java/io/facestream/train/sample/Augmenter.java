package io.facestream.train.sample;

import io.facestream.train.buffer.BufferedFace;
import java.util.Random;

/**
 * Light augmentation of aligned crops, applied when a batch is built: a horizontal flip with probability
 * 1/2 (faces are near-symmetric and the aligned template is centred), and a brightness gain drawn
 * uniformly from {@code [1 − jitter, 1 + jitter]}, values clipped to 0..255. Nothing geometric beyond the
 * flip: the crops are aligned on the five landmarks and inference sees them aligned the same way.
 */
public final class Augmenter {

    /** Default brightness jitter: ±20%. */
    public static final double DEFAULT_BRIGHTNESS_JITTER = 0.2;

    private final boolean flip;
    private final double jitter;
    private final Random random;

    /**
     * @param flip whether to mirror half of the crops
     * @param jitter the largest relative brightness change (0 = none, below 1)
     */
    public Augmenter(boolean flip, double jitter, long seed) {
        if (!(jitter >= 0 && jitter < 1)) {
            throw new IllegalArgumentException("brightness jitter must be in [0, 1), was " + jitter);
        }
        this.flip = flip;
        this.jitter = jitter;
        this.random = new Random(seed);
    }

    /** No augmentation at all (validation, tests). */
    public static Augmenter none() {
        return new Augmenter(false, 0, 0);
    }

    /** The face's planar 0..255 values, possibly flipped and brightened, as a new array. */
    public float[] apply(BufferedFace face) {
        int size = face.size();
        byte[] px = face.pixels();
        boolean mirror = flip && random.nextBoolean();
        float gain = jitter > 0 ? (float) (1 + jitter * (2 * random.nextDouble() - 1)) : 1f;
        float[] out = new float[px.length];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < size; y++) {
                int row = (c * size + y) * size;
                for (int x = 0; x < size; x++) {
                    float v = (px[row + (mirror ? size - 1 - x : x)] & 0xff) * gain;
                    out[row + x] = Math.min(255f, v);
                }
            }
        }
        return out;
    }
}
