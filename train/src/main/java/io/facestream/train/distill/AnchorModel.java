package io.facestream.train.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import io.facestream.recognize.embed.TrainableNetwork;
import io.facestream.train.mining.TripletLoss;

/**
 * The model training started from, frozen: f₀ of the distillation term. It runs the same differentiable
 * forward as the trained network (so on unchanged weights both give the very same numbers), with gradient
 * recording switched off, so it adds no graph and no parameter to the update.
 *
 * <p>It does not own the network it wraps; the caller closes it. One trainer thread uses it.
 */
public final class AnchorModel {

    private final TrainableNetwork net;

    /** Freezes {@code net} and uses it as the anchor; {@code net} must hold the starting weights. */
    public AnchorModel(TrainableNetwork net) {
        if (net == null) {
            throw new IllegalArgumentException("an anchor model needs the starting network, was null");
        }
        this.net = net;
        net.model().getBlock().freezeParameters(true);
    }

    /** The id of the model the anchor holds. */
    public String id() {
        return net.loadedId();
    }

    /**
     * Unit embeddings (N, D) of a normalised input batch (N, 3, S, S), computed without gradient. Call it
     * before the trainer's gradient collector opens: it switches gradient recording off on this thread.
     */
    public NDArray unitEmbeddings(NDArray input) {
        TrainableNetwork.noGradientsOnThisThread();
        NDList y = net.model().getBlock().forward(new ParameterStore(input.getManager(), false), new NDList(input), true);
        return TripletLoss.normalise(y.head());
    }
}
