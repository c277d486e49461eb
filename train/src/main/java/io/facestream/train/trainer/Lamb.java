package io.facestream.train.trainer;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Adam with a layer-wise trust ratio (LAMB, You et al. 2019, without weight decay): each parameter array takes Adam's
 * step scaled so that its norm is the learning rate times the array's own norm, {@code w ← w − η · (‖w‖ / ‖u‖) · u}
 * with u Adam's bias-corrected {@code m̂ / (√v̂ + ε)}.
 *
 * <p>Adam alone moves every element by about η per step whatever its size: in the public MobileFaceNet the 1×1
 * expansion weights have an RMS of 0.02–0.04, half of them below 0.015, where the depthwise weights are near 1 and the
 * biases 2–5, so at one rate the expansions change 30 times faster, relative to themselves, than the depthwise layers.
 * Here η is the relative change of every array per step, the same for all.
 */
public final class Lamb extends Optimizer {

    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;

    private final ParameterTracker rate;
    private final Map<String, Map<Device, NDArray>> means = new ConcurrentHashMap<>();
    private final Map<String, Map<Device, NDArray>> variances = new ConcurrentHashMap<>();

    private Lamb(Builder builder) {
        super(builder);
        this.rate = builder.rate;
    }

    /** A builder; the learning-rate tracker is required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        int t = updateCount(parameterId);
        float eta = rate.getNewValue(parameterId, t);
        NDArray m = withDefaultState(means, parameterId, weight.getDevice(), k -> weight.zerosLike());
        NDArray v = withDefaultState(variances, parameterId, weight.getDevice(), k -> weight.zerosLike());
        try (NDManager step = weight.getManager().newSubManager()) {
            NDArray g = scoped(grad.mul(rescaleGrad), step);
            if (clipGrad > 0) {
                g = g.clip(-clipGrad, clipGrad);
            }
            m.muli(BETA1).addi(g.mul(1 - BETA1));
            v.muli(BETA2).addi(g.square().mul(1 - BETA2));
            double c1 = 1 - Math.pow(BETA1, t);
            double c2 = 1 - Math.pow(BETA2, t);
            NDArray u = scoped(m.div((float) c1), step).div(scoped(v.div((float) c2), step).sqrt().add(EPSILON));
            double wNorm = scoped(weight.norm(), step).getFloat();
            double uNorm = u.norm().getFloat();
            double trust = wNorm > 0 && uNorm > 0 ? wNorm / uNorm : 1;
            weight.subi(u.mul((float) (eta * trust)));
        }
    }

    /**
     * {@code fresh}, a new array made from one of the optimiser's or the model's, moved into {@code scope}: it and what
     * is computed from it are freed with the step.
     */
    private static NDArray scoped(NDArray fresh, NDManager scope) {
        fresh.attach(scope);
        return fresh;
    }

    /** Builds a {@link Lamb}. */
    public static final class Builder extends OptimizerBuilder<Builder> {
        private ParameterTracker rate;

        private Builder() {
        }

        @Override
        protected Builder self() {
            return this;
        }

        /** The relative step of every parameter array, by update. */
        public Builder optLearningRateTracker(ParameterTracker tracker) {
            this.rate = tracker;
            return this;
        }

        public Lamb build() {
            if (rate == null) {
                throw new IllegalArgumentException("LAMB needs a learning-rate tracker");
            }
            return new Lamb(this);
        }
    }
}
