package io.facestream.recognize.engine;

import io.facestream.core.Embedding;

/**
 * Fuses a MobileFaceNet and a dlib embedding into one unit vector: each half is scaled by the inverse
 * of its embedder's typical distance between different faces, the halves are concatenated and the
 * result re-normalised. The two embedders spread different faces very differently on the sphere
 * (MobileFaceNet's are nearly orthogonal, dlib's cluster in a cap), so an equal-norm concatenation
 * would let MobileFaceNet decide almost alone.
 *
 * @param mobileFaceNet weight of the MobileFaceNet half
 * @param dlib weight of the dlib half
 */
public record EnsembleWeights(double mobileFaceNet, double dlib) {

    /**
     * Root-mean-square L2 distance between different people, measured without labels on faces that
     * share a photo (two faces in one picture are two people): {@code facestream bench spread} on the
     * group photos of {@code ../shared/data/stills} (with {@code dlib_faces}) and the six sample photos
     * of the weights package, 123 faces in 736 pairs. None of them is an LFW image.
     */
    public static final double MOBILEFACENET_SPREAD = 1.2351;
    /** As {@link #MOBILEFACENET_SPREAD}, for dlib's normalised embeddings. */
    public static final double DLIB_SPREAD = 0.4888;

    /** Each half weighted by the inverse of its spread. */
    public static final EnsembleWeights BALANCED = new EnsembleWeights(1 / MOBILEFACENET_SPREAD, 1 / DLIB_SPREAD);

    public EnsembleWeights {
        if (!(mobileFaceNet > 0 && dlib > 0)) {
            throw new IllegalArgumentException("ensemble weights must be positive, were " + mobileFaceNet + " and " + dlib);
        }
    }

    /**
     * dlib's share of the fused squared distance over MobileFaceNet's: the fused squared distance is
     * {@code (d_mobilefacenet + ratio × d_dlib) / (1 + ratio)} when both halves are unit vectors.
     */
    public double ratio() {
        return (dlib / mobileFaceNet) * (dlib / mobileFaceNet);
    }

    /** The fused unit embedding. */
    public Embedding fuse(Embedding mfn, Embedding dl) {
        float[] a = mfn.values();
        float[] b = dl.values();
        float[] v = new float[a.length + b.length];
        for (int i = 0; i < a.length; i++) {
            v[i] = (float) (a[i] * mobileFaceNet);
        }
        for (int i = 0; i < b.length; i++) {
            v[a.length + i] = (float) (b[i] * dlib);
        }
        return Embedding.normalise(FaceModel.ENSEMBLE.modelId(), v);
    }
}
