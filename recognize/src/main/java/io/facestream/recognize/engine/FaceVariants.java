package io.facestream.recognize.engine;

import io.facestream.core.Embedding;

/**
 * The four unit embeddings of one face that every evaluated configuration is made of: each network on
 * the aligned crop and on its mirror image.
 */
public record FaceVariants(Embedding mobileFaceNet, Embedding mobileFaceNetFlipped, Embedding dlib, Embedding dlibFlipped) {

    /** The embedding a configuration uses: one network or the ensemble, with or without the mirror added. */
    public Embedding select(FaceModel model, boolean flip, EnsembleWeights weights) {
        if (model == FaceModel.MOBILEFACENET) {
            return flip ? sum(mobileFaceNet, mobileFaceNetFlipped) : mobileFaceNet;
        }
        if (model == FaceModel.DLIB) {
            return flip ? sum(dlib, dlibFlipped) : dlib;
        }
        if (model == FaceModel.ENSEMBLE) {
            return weights.fuse(select(FaceModel.MOBILEFACENET, flip, weights), select(FaceModel.DLIB, flip, weights));
        }
        throw new IllegalArgumentException("the variants hold the public networks' embeddings only, not those of "
                + model.modelId() + "; embed with it directly");
    }

    /** The normalised sum of two unit embeddings of one model. */
    static Embedding sum(Embedding a, Embedding b) {
        float[] v = a.values();
        float[] w = b.values();
        for (int i = 0; i < v.length; i++) {
            v[i] += w[i];
        }
        return Embedding.normalise(a.modelId(), v);
    }
}
