package io.facestream.train.trainer;

import io.facestream.recognize.embed.TrainableNetwork;
import io.facestream.recognize.engine.FaceModel;
import io.facestream.train.mining.SemiHardMiner;
import io.facestream.train.sample.Augmenter;
import java.util.List;
import java.util.Locale;

/**
 * How the trainer steps.
 *
 * @param p identities per batch
 * @param k faces per identity
 * @param steps optimiser steps to take
 * @param learningRate the optimiser's step size; fine-tuning from public weights wants a small one
 * @param alpha the triplet margin (FaceNet: 0.2)
 * @param evalEvery steps between two gate evaluations (and checkpoints)
 * @param flip whether augmentation mirrors half of the crops
 * @param brightnessJitter largest relative brightness change of augmentation
 * @param noisyPositiveCap positive distance above which a pair with a track label is ignored
 * @param collapseDistance mean pairwise squared distance of a batch below which the embedding counts
 *     as collapsed (spread-out unit vectors sit near 2)
 * @param seed seeds sampling and augmentation
 * @param directionalLight largest strength of augmentation's directional light (0 = none)
 * @param firstTrainedLayer the first MobileFaceNet layer that is trained; the ones before it stay frozen
 *     (null trains every layer)
 * @param distillWeight λ of the distillation term {@code λ · mean ‖f(x) − f₀(x)‖²} toward the starting
 *     model on the batch's crops (0 = none; see {@link io.facestream.train.distill.Distillation})
 * @param optimizer {@code adam}, {@code lamb} or {@code sgd} (with momentum {@link #SGD_MOMENTUM}): Adam moves every
 *     trainable weight by about the learning rate while its moments are young, whatever its gradient or its size;
 *     LAMB ({@link Lamb}) scales Adam's step of each parameter array to the learning rate times the array's norm, the
 *     same relative change for every layer; SGD moves each in proportion to its gradient, so weights the triplet loss
 *     does not need stay as published
 * @param parameters which parameters of the trained layers learn: {@code all}, {@code biases} (the convolution
 *     weights and PReLU slopes stay as published), or {@code pointwise} (the 1×1 convolutions' weights only; see
 *     {@link TrainableNetwork#freezeOutside(String, String, TrainableNetwork.Trained)})
 * @param distillTarget what the distillation term pulls each crop toward: {@code crop}, the starting model's
 *     embedding of the same crop, or {@code centre}, its person's centre in the starting model's space (see
 *     {@link io.facestream.train.distill.PersonCentres})
 * @param lastTrainedLayer the last MobileFaceNet layer that is trained; the ones after it keep their starting
 *     parameters (null trains to the end). {@code bneck14_project} keeps the head (the 1×1 expansion, the global
 *     depthwise convolution and the two linear layers that make the embedding) as published: the head maps every
 *     face's features into the embedding space, so a change there moves every face, while the stages before it can
 *     learn what the target domain needs
 * @param warmupSteps updates over which the learning rate rises linearly from 0 to {@code learningRate} (0 = none).
 *     Adam's first updates move every trainable weight by about the rate, whatever its gradient (its moments hold one
 *     gradient, so each step is the gradient's sign): a kick in a random direction, which the distillation terms then
 *     pull back only on the faces they see
 */
public record TrainerOptions(int p, int k, int steps, double learningRate, double alpha, int evalEvery, boolean flip,
        double brightnessJitter, double noisyPositiveCap, double collapseDistance, long seed, double directionalLight,
        String firstTrainedLayer, double distillWeight, String optimizer, String parameters, String distillTarget,
        String lastTrainedLayer, int warmupSteps) {

    /** Default identities per batch. */
    public static final int DEFAULT_P = 8;
    /** Default faces per identity. */
    public static final int DEFAULT_K = 4;
    /** Default learning rate. */
    public static final double DEFAULT_LEARNING_RATE = 1e-4;
    /**
     * Default cap on noisy positives: 1.5 × the public MobileFaceNet threshold. A track's two faces further
     * apart than that are more likely two people than one person in two lights.
     */
    public static final double DEFAULT_NOISY_POSITIVE_CAP = 1.5 * FaceModel.MOBILEFACENET.threshold();
    /**
     * Default first trained layer: the 14×14 stage onwards. On 2 CPU cores the backward pass through the
     * stem and the 56×56 and 28×28 stages took three quarters of a step (3.2 s of 4 at 8×4; 0.8 s from
     * here); and with a few dozen training identities, the generic low-level filters learnt from many
     * thousands of people are the part worth keeping as they are.
     */
    public static final String DEFAULT_FIRST_TRAINED_LAYER = "bneck5_expand";
    /** The optimisers there are. */
    public static final List<String> OPTIMIZERS = List.of("adam", "lamb", "sgd");
    /** The parameter sets there are: every parameter of the trained layers, or their biases only. */
    public static final List<String> PARAMETERS = List.of("all", "biases", "pointwise");
    /** What the distillation term can pull toward: the start's embedding of the crop, or of the person. */
    public static final List<String> DISTILL_TARGETS = List.of("crop", "centre");
    /** Momentum of {@code sgd}. */
    public static final double SGD_MOMENTUM = 0.9;
    /** Default collapse line: a tenth of the typical spread. */
    public static final double DEFAULT_COLLAPSE_DISTANCE = 0.2;

    public TrainerOptions {
        if (p < 2 || k < 2) {
            throw new IllegalArgumentException("a P×K batch needs P ≥ 2 and K ≥ 2, was " + p + "×" + k);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be at least 1, was " + steps);
        }
        if (!(learningRate > 0 && learningRate < 1)) {
            throw new IllegalArgumentException("learning rate must be in (0, 1), was " + learningRate);
        }
        if (evalEvery < 1) {
            throw new IllegalArgumentException("evaluation interval must be at least 1 step, was " + evalEvery);
        }
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("warm-up steps must be at least 0, was " + warmupSteps);
        }
        if (!(distillWeight >= 0) || Double.isInfinite(distillWeight)) {
            throw new IllegalArgumentException("distillation weight must be a finite number >= 0, was " + distillWeight);
        }
        optimizer = oneOf(optimizer, OPTIMIZERS, "the optimiser");
        parameters = oneOf(parameters, PARAMETERS, "the trained parameters");
        distillTarget = oneOf(distillTarget, DISTILL_TARGETS, "the distillation target");
        if (!(collapseDistance >= 0 && collapseDistance < 4)) {
            throw new IllegalArgumentException("collapse distance must be in [0, 4), was " + collapseDistance);
        }
    }

    /**
     * {@code value} lower-cased, or the first of {@code allowed} when null; refused, naming {@code what}, when it is
     * not one of them.
     */
    private static String oneOf(String value, List<String> allowed, String what) {
        String v = value == null ? allowed.get(0) : value.toLowerCase(Locale.ROOT);
        if (!allowed.contains(v)) {
            throw new IllegalArgumentException(what + " must be " + String.join(" or ", allowed) + ", was '" + v + "'");
        }
        return v;
    }

    /** The defaults: 8×4 batches, 1,000 steps, Adam at 1e-4, α 0.2, gate every 100 steps, flip and ±20% brightness. */
    public static TrainerOptions defaults() {
        return new TrainerOptions(DEFAULT_P, DEFAULT_K, 1000, DEFAULT_LEARNING_RATE, SemiHardMiner.FACENET_ALPHA, 100, true,
                Augmenter.DEFAULT_BRIGHTNESS_JITTER, DEFAULT_NOISY_POSITIVE_CAP, DEFAULT_COLLAPSE_DISTANCE, 2015,
                0, DEFAULT_FIRST_TRAINED_LAYER, 0, "adam", "all", "crop", null, 0);
    }

    /** A copy with another step count and evaluation interval. */
    public TrainerOptions withSteps(int n, int every) {
        return new TrainerOptions(p, k, n, learningRate, alpha, every, flip, brightnessJitter, noisyPositiveCap,
                collapseDistance, seed, directionalLight, firstTrainedLayer, distillWeight, optimizer, parameters,
                distillTarget, lastTrainedLayer, warmupSteps);
    }

    /** A copy with another batch shape. */
    public TrainerOptions withBatch(int newP, int newK) {
        return new TrainerOptions(newP, newK, steps, learningRate, alpha, evalEvery, flip, brightnessJitter,
                noisyPositiveCap, collapseDistance, seed, directionalLight, firstTrainedLayer, distillWeight, optimizer,
                parameters, distillTarget, lastTrainedLayer, warmupSteps);
    }

    /** A copy with another learning rate. */
    public TrainerOptions withLearningRate(double lr) {
        return new TrainerOptions(p, k, steps, lr, alpha, evalEvery, flip, brightnessJitter, noisyPositiveCap,
                collapseDistance, seed, directionalLight, firstTrainedLayer, distillWeight, optimizer, parameters,
                distillTarget, lastTrainedLayer, warmupSteps);
    }

    /** A copy with augmentation switched on or off. */
    public TrainerOptions withAugmentation(boolean mirror, double jitter) {
        return new TrainerOptions(p, k, steps, learningRate, alpha, evalEvery, mirror, jitter, noisyPositiveCap,
                collapseDistance, seed, directionalLight, firstTrainedLayer, distillWeight, optimizer, parameters,
                distillTarget, lastTrainedLayer, warmupSteps);
    }

    /** A copy that trains from {@code layer} on (null: every layer). */
    public TrainerOptions trainingFrom(String layer) {
        return new TrainerOptions(p, k, steps, learningRate, alpha, evalEvery, flip, brightnessJitter, noisyPositiveCap,
                collapseDistance, seed, directionalLight, layer, distillWeight, optimizer, parameters,
                distillTarget, lastTrainedLayer, warmupSteps);
    }

    /** A copy that trains up to {@code layer} and keeps the layers after it as they start (null: to the end). */
    public TrainerOptions trainingTo(String layer) {
        return new TrainerOptions(p, k, steps, learningRate, alpha, evalEvery, flip, brightnessJitter, noisyPositiveCap,
                collapseDistance, seed, directionalLight, firstTrainedLayer, distillWeight, optimizer, parameters,
                distillTarget, layer, warmupSteps);
    }

    /** A copy with augmentation's directional light up to {@code strength} (0 = none). */
    public TrainerOptions withDirectionalLight(double strength) {
        return new TrainerOptions(p, k, steps, learningRate, alpha, evalEvery, flip, brightnessJitter, noisyPositiveCap,
                collapseDistance, seed, strength, firstTrainedLayer, distillWeight, optimizer, parameters,
                distillTarget, lastTrainedLayer, warmupSteps);
    }

    /** A copy with another seed. */
    public TrainerOptions withSeed(long s) {
        return new TrainerOptions(p, k, steps, learningRate, alpha, evalEvery, flip, brightnessJitter, noisyPositiveCap,
                collapseDistance, s, directionalLight, firstTrainedLayer, distillWeight, optimizer, parameters,
                distillTarget, lastTrainedLayer, warmupSteps);
    }

    /** A copy with another optimiser ({@code adam} or {@code sgd}). */
    public TrainerOptions withOptimizer(String name) {
        return new TrainerOptions(p, k, steps, learningRate, alpha, evalEvery, flip, brightnessJitter, noisyPositiveCap,
                collapseDistance, seed, directionalLight, firstTrainedLayer, distillWeight, name, parameters,
                distillTarget, lastTrainedLayer, warmupSteps);
    }

    /** A copy with the distillation term's weight λ (0 = none). */
    public TrainerOptions withDistillation(double weight) {
        return new TrainerOptions(p, k, steps, learningRate, alpha, evalEvery, flip, brightnessJitter, noisyPositiveCap,
                collapseDistance, seed, directionalLight, firstTrainedLayer, weight, optimizer, parameters,
                distillTarget, lastTrainedLayer, warmupSteps);
    }

    /** A copy that trains {@code which} parameters of the trained layers ({@code all} or {@code biases}). */
    public TrainerOptions withParameters(String which) {
        return new TrainerOptions(p, k, steps, learningRate, alpha, evalEvery, flip, brightnessJitter, noisyPositiveCap,
                collapseDistance, seed, directionalLight, firstTrainedLayer, distillWeight, optimizer, which,
                distillTarget, lastTrainedLayer, warmupSteps);
    }

    /** A copy whose distillation term pulls toward {@code target} ({@code crop} or {@code centre}). */
    public TrainerOptions withDistillTarget(String target) {
        return new TrainerOptions(p, k, steps, learningRate, alpha, evalEvery, flip, brightnessJitter, noisyPositiveCap,
                collapseDistance, seed, directionalLight, firstTrainedLayer, distillWeight, optimizer, parameters, target,
                lastTrainedLayer, warmupSteps);
    }

    /** A copy whose learning rate rises linearly from 0 over the first {@code n} updates (0 = none). */
    public TrainerOptions withWarmup(int n) {
        return new TrainerOptions(p, k, steps, learningRate, alpha, evalEvery, flip, brightnessJitter, noisyPositiveCap,
                collapseDistance, seed, directionalLight, firstTrainedLayer, distillWeight, optimizer, parameters,
                distillTarget, lastTrainedLayer, n);
    }

    /** Whether the distillation term pulls each crop toward its person's centre rather than its own start embedding. */
    public boolean distillToCentre() {
        return "centre".equals(distillTarget);
    }

    /** Whether only the biases of the trained layers learn. */
    public boolean biasesOnly() {
        return trained() == TrainableNetwork.Trained.BIASES;
    }

    /** Which parameters of the trained layers learn. */
    public TrainableNetwork.Trained trained() {
        return switch (parameters) {
            case "biases" -> TrainableNetwork.Trained.BIASES;
            case "pointwise" -> TrainableNetwork.Trained.POINTWISE;
            default -> TrainableNetwork.Trained.ALL;
        };
    }
}
