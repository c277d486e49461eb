package io.facestream.recognize.engine;

import io.facestream.recognize.embed.PublishedModels;
import io.facestream.recognize.embed.SavedModel;
import java.io.IOException;
import java.io.ObjectStreamException;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * The embedding choices users name on the command line: the three public configurations, or a trained
 * derivative of MobileFaceNet saved in a folder (see {@link #trained(Path)}). Each has a default
 * verification threshold on the squared L2 distance of unit embeddings.
 *
 * <p>A class rather than an enum so that a saved model is a value like the public ones; the public
 * ones stay singletons (also across Java serialization), so {@code ==} against them keeps working.
 */
public final class FaceModel implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    /** MobileFaceNet, 112×112 ArcFace-aligned crops → 192-D. */
    public static final FaceModel MOBILEFACENET = new FaceModel("mobilefacenet", "mobilefacenet-192",
            Thresholds.MOBILEFACENET, null, null);
    /** dlib's ResNet-29, 150×150 dlib chips → 128-D. */
    public static final FaceModel DLIB = new FaceModel("dlib", "dlib-resnet-128", Thresholds.DLIB, null, null);
    /** Both embedders, each half weighted by its spread, concatenated and re-normalised. */
    public static final FaceModel ENSEMBLE = new FaceModel("ensemble", "ensemble-mfn192-dlib128",
            Thresholds.ENSEMBLE, null, null);

    private static final FaceModel[] PUBLIC = {MOBILEFACENET, DLIB, ENSEMBLE};

    private final String cliName;
    private final String modelId;
    private final double threshold;
    /** The public model a trained one derives from; null for the public ones. */
    private final FaceModel base;
    /** The saved model folder, as text (serializable); null for the public ones. */
    private final String directory;

    private FaceModel(String cliName, String modelId, double threshold, FaceModel base, String directory) {
        this.cliName = cliName;
        this.modelId = modelId;
        this.threshold = threshold;
        this.base = base;
        this.directory = directory;
    }

    /**
     * The trained model saved in {@code dir} (a folder with {@code model.json} naming a
     * {@code mobilefacenet-192} derivative). Its threshold is the one its record carries (chosen on
     * held-out data), else its parent's default.
     */
    public static FaceModel trained(Path dir) {
        try {
            SavedModel.Header h = SavedModel.readHeader(dir);
            FaceModel base = MOBILEFACENET;
            double t = h.threshold() != null ? h.threshold() : base.threshold();
            return new FaceModel(h.id(), h.id(), t, base, dir.toAbsolutePath().normalize().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** The public configurations, in command-line order (trained models are not listed). */
    public static FaceModel[] values() {
        return PUBLIC.clone();
    }

    /** The name used on the command line (a trained model's is its id). */
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

    /** Whether this is a trained model opened from a folder. */
    public boolean isTrained() {
        return base != null;
    }

    /** The public single-network model whose structure, crops and preprocessing this one has (itself if public). */
    public FaceModel base() {
        return base == null ? this : base;
    }

    /** The saved model folder of a trained model, null for a public one. */
    public Path directory() {
        return directory == null ? null : Path.of(directory);
    }

    /**
     * Parses a command-line name, or opens a saved model when {@code name} is a folder with a
     * {@code model.json}; the error lists the accepted names.
     */
    public static FaceModel parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (FaceModel m : PUBLIC) {
            if (m.cliName.equals(n) || m.modelId.equals(n)) {
                return m;
            }
        }
        Path dir = Path.of(name.trim());
        if (!Files.isDirectory(dir) && !name.isBlank() && PublishedModels.safeName(name.trim()).equals(name.trim())
                && SavedModel.isSavedModel(PublishedModels.folder(name.trim()))) {
            dir = PublishedModels.folder(name.trim()); // the id of a published model on this machine
        }
        if (Files.isDirectory(dir)) {
            if (!SavedModel.isSavedModel(dir)) {
                throw new IllegalArgumentException("'" + name + "' is a folder without a " + SavedModel.RECORD
                        + "; give the folder a training run saved a model in");
            }
            try {
                return trained(dir);
            } catch (UncheckedIOException | IllegalArgumentException e) {
                throw new IllegalArgumentException("cannot open the saved model in " + dir + ": " + e.getMessage(), e);
            }
        }
        throw new IllegalArgumentException("unknown model '" + name + "'; choose one of "
                + Arrays.stream(PUBLIC).map(FaceModel::cliName).toList() + ", a saved model folder, or the id of a published"
                + " model in " + PublishedModels.root() + " (`facestream models fetch ID --bootstrap HOST:PORT` puts it there)");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FaceModel m && modelId.equals(m.modelId) && Objects.equals(directory, m.directory);
    }

    @Override
    public int hashCode() {
        return Objects.hash(modelId, directory);
    }

    @Override
    public String toString() {
        return cliName;
    }

    /** Keeps the public models singletons after deserialization. */
    @Serial
    private Object readResolve() throws ObjectStreamException {
        if (base == null) {
            for (FaceModel m : PUBLIC) {
                if (m.modelId.equals(modelId)) {
                    return m;
                }
            }
        }
        return this;
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
