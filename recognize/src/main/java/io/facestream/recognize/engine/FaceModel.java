package io.facestream.recognize.engine;

import java.util.Arrays;
import java.util.Locale;

/**
 * The embedding choices users name on the command line. Each has a default verification threshold on
 * the squared L2 distance of unit embeddings.
 */
public enum FaceModel {
    /** MobileFaceNet, 112×112 ArcFace-aligned crops → 192-D. */
    MOBILEFACENET("mobilefacenet", "mobilefacenet-192", Thresholds.MOBILEFACENET),
    /** dlib's ResNet-29, 150×150 dlib chips → 128-D. */
    DLIB("dlib", "dlib-resnet-128", Thresholds.DLIB),
    /** Both embedders, each half weighted by its spread, concatenated and re-normalised. */
    ENSEMBLE("ensemble", "ensemble-mfn192-dlib128", Thresholds.ENSEMBLE);

    private final String cliName;
    private final String modelId;
    private final double threshold;

    FaceModel(String cliName, String modelId, double threshold) {
        this.cliName = cliName;
        this.modelId = modelId;
        this.threshold = threshold;
    }

    /** The name used on the command line. */
    public String cliName() {
        return cliName;
    }

    /** The model id carried by every embedding and event. */
    public String modelId() {
        return modelId;
    }

    /** Default squared-L2 threshold: at or below it two faces are the same person. */
    public double threshold() {
        return threshold;
    }

    /** Parses a command-line name; the error lists the accepted names. */
    public static FaceModel parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (FaceModel m : values()) {
            if (m.cliName.equals(n) || m.modelId.equals(n)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown model '" + name + "'; choose one of "
                + Arrays.stream(values()).map(FaceModel::cliName).toList());
    }

    @Override
    public String toString() {
        return cliName;
    }

    /**
     * Default thresholds (squared L2 on unit embeddings, without flip): the mean of the ten per-fold
     * thresholds that {@code facestream evaluate --all} picked on LFW's training folds (the protocol's
     * own choice; see the README). dlib's 0.18 agrees with dlib's documented 0.6 on raw descriptors of
     * norm ~1.43. A deployment should re-pick them on its own cameras.
     */
    static final class Thresholds {
        static final double MOBILEFACENET = 1.196;
        static final double DLIB = 0.180;
        static final double ENSEMBLE = 0.338;

        private Thresholds() {
        }
    }
}
