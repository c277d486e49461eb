package io.facestream.train.buffer;

import io.facestream.core.event.HardExample.LabelSource;
import io.facestream.recognize.align.FaceCrop;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One face in the replay buffer: an aligned crop as bytes (planar RGB, C×H×W, each value rounded to
 * 0..255), its identity label and where the label came from.
 *
 * @param sequence order of arrival in the buffer (larger = newer); survives a reopen
 * @param lineage the label of the first track of the face's track's lineage (see {@code HardExample}), or null
 * @param negatives labels of the other faces of the face's frame: people sure to be someone else
 */
public record BufferedFace(long sequence, String label, LabelSource source, int size, byte[] pixels, String lineage,
        List<String> negatives) {

    public BufferedFace {
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("a buffered face needs a label");
        }
        if (source == null) {
            throw new IllegalArgumentException("face of " + label + " needs a label source");
        }
        if (size <= 0 || pixels == null || pixels.length != 3 * size * size) {
            throw new IllegalArgumentException("face of " + label + ": a " + size + "×" + size + " crop needs "
                    + 3 * size * size + " bytes, got " + (pixels == null ? "none" : pixels.length));
        }
        if (lineage != null && (lineage.isBlank() || lineage.equals(label))) {
            throw new IllegalArgumentException("face of " + label + ": a lineage names another track, was '" + lineage
                    + "'");
        }
        negatives = negatives == null ? List.of() : List.copyOf(negatives);
        if (negatives.contains(label)) {
            throw new IllegalArgumentException("face of " + label + " names its own label among its negatives");
        }
    }

    /** A face without a lineage or negatives. */
    public BufferedFace(long sequence, String label, LabelSource source, int size, byte[] pixels) {
        this(sequence, label, source, size, pixels, null, List.of());
    }

    /** The crop's values rounded to bytes, as the buffer stores them. */
    public static byte[] toBytes(FaceCrop crop) {
        float[] v = crop.chw();
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (byte) Math.max(0, Math.min(255, Math.round(v[i])));
        }
        return out;
    }

    /** The crop as the embedders take it. */
    public FaceCrop toCrop() {
        float[] v = new float[pixels.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = pixels[i] & 0xff;
        }
        return new FaceCrop(size, v);
    }

    /**
     * Whether the label may be wrong: a track's, or an unknown group's (tracks the two networks agreed on), not a
     * person's confirmation or a gallery match. Positives of noisy labels far apart are not trained on.
     */
    public boolean noisyLabel() {
        return source == LabelSource.TRACK || source == LabelSource.CONSENSUS;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BufferedFace f && sequence == f.sequence && label.equals(f.label) && source == f.source
                && size == f.size && Arrays.equals(pixels, f.pixels) && Objects.equals(lineage, f.lineage)
                && negatives.equals(f.negatives);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(sequence) * 31 + Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "BufferedFace[#" + sequence + " " + label + " (" + source + ")" + (lineage == null ? "" : " of " + lineage)
                + ", " + size + "×" + size + "]";
    }
}
