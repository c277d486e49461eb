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
        return switch (model) {
            case MOBILEFACENET -> set.combine(mobileFaceNet);
            case DLIB -> set.combine(dlib);
            case ENSEMBLE -> weights.fuse(set.combine(mobileFaceNet), set.combine(dlib));
        };
    }
}
