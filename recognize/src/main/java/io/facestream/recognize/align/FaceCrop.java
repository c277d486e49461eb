package io.facestream.recognize.align;

/**
 * An aligned face crop: {@code size×size} RGB, planar (C×H×W), unrounded values in 0..255.
 * This is what the embedders consume; each applies its own normalisation.
 */
public record FaceCrop(int size, float[] chw) {

    public FaceCrop {
        if (size <= 0 || chw.length != 3 * size * size) {
            throw new IllegalArgumentException("a " + size + "x" + size + " crop needs " + (3 * size * size)
                    + " values (3×H×W), got " + chw.length);
        }
    }

    /** Channel c (0 = R) at row y, column x. */
    public float get(int c, int y, int x) {
        return chw[(c * size + y) * size + x];
    }

    /** The mirrored crop (left ↔ right), for flip test-time augmentation. */
    public FaceCrop flipped() {
        float[] out = new float[chw.length];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < size; y++) {
                int row = (c * size + y) * size;
                for (int x = 0; x < size; x++) {
                    out[row + x] = chw[row + size - 1 - x];
                }
            }
        }
        return new FaceCrop(size, out);
    }
}
