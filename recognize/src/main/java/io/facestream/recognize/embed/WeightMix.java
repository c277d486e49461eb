package io.facestream.recognize.embed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Weight-space ensembling of two MobileFaceNets with the same structure ("WiSE-FT", Wortsman et al., 2022, "Robust
 * fine-tuning of zero-shot models"): the parameters {@code (1 - alpha) * start + alpha * tuned}. Fine-tuning from a
 * model keeps the two in one basin, so the mix keeps much of what the tuned model learnt on its target domain and much
 * of what the start knew elsewhere: a knob against forgetting that costs nothing at inference.
 *
 * <p>A snapshot is a copy of a network's parameters, held in its own manager; {@link #apply} writes a mix of two
 * snapshots into a network in place, with gradient recording off on the calling thread.
 */
public final class WeightMix {

    private WeightMix() {
    }

    /** A copy of a network's parameters by name. */
    public static final class Snapshot implements AutoCloseable {
        private final NDManager manager;
        private final Map<String, NDArray> arrays;

        private Snapshot(NDManager manager, Map<String, NDArray> arrays) {
            this.manager = manager;
            this.arrays = arrays;
        }

        @Override
        public void close() {
            manager.close();
        }
    }

    /** Copies the parameters of {@code net} as they are now. */
    public static Snapshot snapshot(TrainableNetwork net) {
        NDManager manager = net.model().getNDManager().newSubManager();
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        TrainableNetwork.noGradientsOnThisThread();
        for (Pair<String, Parameter> p : net.model().getBlock().getParameters()) {
            NDArray copy = p.getValue().getArray().duplicate();
            copy.attach(manager);
            arrays.put(p.getKey(), copy);
        }
        return new Snapshot(manager, arrays);
    }

    /** Writes {@code (1 - alpha) * start + alpha * tuned} into the parameters of {@code net}. */
    public static void apply(TrainableNetwork net, Snapshot start, Snapshot tuned, double alpha) {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("a weight mix takes alpha in [0, 1], was " + alpha);
        }
        TrainableNetwork.noGradientsOnThisThread();
        for (Pair<String, Parameter> p : net.model().getBlock().getParameters()) {
            NDArray a = start.arrays.get(p.getKey());
            NDArray b = tuned.arrays.get(p.getKey());
            if (a == null || b == null || !a.getShape().equals(b.getShape())) {
                throw new IllegalArgumentException("cannot mix the networks: parameter " + p.getKey()
                        + " is missing or differs in shape");
            }
            NDArray target = p.getValue().getArray();
            try (NDManager scope = net.model().getNDManager().newSubManager()) {
                NDArray fromStart = a.mul(1 - alpha);
                fromStart.attach(scope);
                NDArray fromTuned = b.mul(alpha);
                fromTuned.attach(scope);
                target.muli(0).addi(fromStart.addi(fromTuned));
            }
        }
    }
}
