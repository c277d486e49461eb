package io.facestream.recognize.engine;

import io.facestream.core.Embedding;
import io.facestream.recognize.engine.MultiView.View;
import java.util.Map;

/**
 * Each network's unit embedding of each view of one face ({@link MultiView}), from which the embedding of any
 * model with any set among those views can be made; a network that was not run has no views.
 *
 * @param mobileFaceNet MobileFaceNet's embedding of each view
 * @param dlib dlib's embedding of each view
 */
public record FaceViews(Map<View, Embedding> mobileFaceNet, Map<View, Embedding> dlib) {

    public FaceViews {
        mobileFaceNet = Map.copyOf(mobileFaceNet);
        dlib = Map.copyOf(dlib);
    }

    /** The embedding of one network or the ensemble with the views of {@code set} summed. */
    public Embedding select(FaceModel model, MultiView set, EnsembleWeights weights) {
        if (model == FaceModel.ENSEMBLE) {
            return weights.fuse(select(FaceModel.MOBILEFACENET, set, weights), select(FaceModel.DLIB, set, weights));
        }
        if (model == FaceModel.MOBILEFACENET) {
            return set.combine(ran(mobileFaceNet, FaceModel.MOBILEFACENET));
        }
        if (model == FaceModel.DLIB) {
            return set.combine(ran(dlib, FaceModel.DLIB));
        }
        throw new IllegalArgumentException("views are kept for the public networks only, not for " + model);
    }

    private static Map<View, Embedding> ran(Map<View, Embedding> views, FaceModel network) {
        if (views.isEmpty()) {
            throw new IllegalArgumentException(network + " was not run on this face; embed its views with it first");
        }
        return views;
    }
}
