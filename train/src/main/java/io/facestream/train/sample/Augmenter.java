package io.facestream.train.sample;

import io.facestream.recognize.align.FaceCrop;
import io.facestream.train.buffer.BufferedFace;
import java.util.Random;

/**
 * Light augmentation of aligned crops, applied when a batch is built: a horizontal flip with probability
 * 1/2 (faces are near-symmetric and the aligned template is centred), a brightness gain drawn
 * uniformly from {@code [1 − jitter, 1 + jitter]}, and optionally a directional light: a gain that
 * changes linearly across the crop, {@code 1 + s·d} where {@code d} runs from −1 to 1 along a random
 * direction and {@code s} is uniform in {@code [0, directional]} (one side darker, the other brighter, as a
 * lamp off to one side makes it). Values are clipped to 0..255. Nothing geometric beyond the flip: the
 * crops are aligned on the five landmarks and inference sees them aligned the same way.
 */
public final class Augmenter {

    /** Default brightness jitter: ±20%. */
    public static final double DEFAULT_BRIGHTNESS_JITTER = 0.2;

    private final boolean flip;
    private final double jitter;
    private final double directional;
    private final Random random;

    /**
     * @param flip whether to mirror half of the crops
     * @param jitter the largest relative brightness change (0 = none, below 1)
     */
    public Augmenter(boolean flip, double jitter, long seed) {
        this(flip, jitter, 0, seed);
    }

    /**
     * @param flip whether to mirror half of the crops
     * @param jitter the largest relative brightness change (0 = none, below 1)
     * @param directional the largest relative change of a directional light from the centre to an edge (0 = none,
     *     below 1)
     */
    public Augmenter(boolean flip, double jitter, double directional, long seed) {
        if (!(jitter >= 0 && jitter < 1)) {
            throw new IllegalArgumentException("brightness jitter must be in [0, 1), was " + jitter);
        }
        if (!(directional >= 0 && directional < 1)) {
            throw new IllegalArgumentException("directional light strength must be in [0, 1), was " + directional);
        }
        this.flip = flip;
        this.jitter = jitter;
        this.directional = directional;
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
        float[] out = new float[px.length];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < size; y++) {
                int row = (c * size + y) * size;
                for (int x = 0; x < size; x++) {
                    out[row + x] = px[row + (mirror ? size - 1 - x : x)] & 0xff;
                }
            }
        }
        light(out, size);
        return out;
    }

    /**
     * The crop's planar 0..255 values under this augmenter's light (brightness gain and directional light, no flip), as a
     * new array.
     */
    public float[] relit(FaceCrop crop) {
        float[] out = crop.chw().clone();
        light(out, crop.size());
        return out;
    }

    /** Applies one draw of the brightness gain and the directional light to {@code v} in place. */
    private void light(float[] v, int size) {
        float gain = jitter > 0 ? (float) (1 + jitter * (2 * random.nextDouble() - 1)) : 1f;
        float[] light = lightMap(size);
        int plane = size * size;
        for (int i = 0; i < v.length; i++) {
            float x = v[i] * gain;
            if (light != null) {
                x *= light[i % plane];
            }
            v[i] = Math.min(255f, x);
        }
    }

    /** The directional gain of each pixel, or null when there is none. */
    private float[] lightMap(int size) {
        if (directional <= 0) {
            return null;
        }
        double strength = directional * random.nextDouble();
        double angle = 2 * Math.PI * random.nextDouble();
        double cx = Math.cos(angle);
        double cy = Math.sin(angle);
        double half = (size - 1) / 2.0;
        float[] map = new float[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double d = ((x - half) * cx + (y - half) * cy) / half;
                map[y * size + x] = (float) (1 + strength * Math.max(-1, Math.min(1, d)));
            }
        }
        return map;
    }
}
