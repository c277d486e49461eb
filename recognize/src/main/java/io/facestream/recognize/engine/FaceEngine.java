package io.facestream.recognize.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.facestream.core.BoundingBox;
import io.facestream.core.DetectedFace;
import io.facestream.core.Embedding;
import io.facestream.core.Landmarks;
import io.facestream.recognize.align.AlignmentTemplate;
import io.facestream.recognize.align.DlibChip;
import io.facestream.recognize.align.FaceAligner;
import io.facestream.recognize.align.FaceCrop;
import io.facestream.recognize.detect.MtcnnDetector;
import io.facestream.recognize.detect.MtcnnOptions;
import io.facestream.recognize.embed.EmbedderModel;
import io.facestream.recognize.embed.EmbedderOptions;
import io.facestream.recognize.embed.FaceEmbedder;
import io.facestream.recognize.image.RgbImage;
import io.facestream.recognize.landmark.FaceShape;
import io.facestream.recognize.landmark.Landmark68Net;
import io.facestream.recognize.weights.WeightStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Detection, alignment and embedding behind one facade. The detector is loaded at once, each embedder
 * the first time it is needed; all are released by {@link #close()}. One engine may serve several
 * threads (each network call works in its own native memory scope), but a worker pool is better served
 * by one engine per worker with one intra-op thread each.
 */
public final class FaceEngine implements AutoCloseable {

    private final EngineOptions options;
    private final WeightStore store;
    private final MtcnnDetector detector;
    private final Map<FaceModel, FaceEmbedder> embedders = new HashMap<>();
    private final EnsembleWeights ensemble = EnsembleWeights.BALANCED;
    private Landmark68Net landmarks;

    private FaceEngine(EngineOptions options) {
        this.options = options;
        this.store = options.weightsDir() == null ? WeightStore.defaultStore() : new WeightStore(options.weightsDir());
        this.detector = MtcnnDetector.load(store, MtcnnOptions.defaults().withMinFaceSize(options.minFace()),
                requestedDevice(options));
    }

    /** Opens an engine; fetches the weights first if they are not cached yet. */
    public static FaceEngine open(EngineOptions options) {
        if (options.threads() > 0) {
            // Read by the PyTorch engine when it loads; has no effect once it has.
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(options.threads()));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        return new FaceEngine(options);
    }

    /**
     * Loads {@code model}'s network and runs it once on a blank face, so that the first real face waits for neither
     * (the network is otherwise loaded on its first use, a few hundred milliseconds on a CPU).
     */
    public void warmUp(FaceModel model) {
        byte[] grey = new byte[160 * 160 * 3];
        Arrays.fill(grey, (byte) 128);
        DetectedFace face = new DetectedFace(new BoundingBox(40, 40, 120, 120), 1.0,
                Landmarks.of(65, 70, 95, 70, 80, 85, 68, 100, 92, 100));
        embed(new RgbImage(160, 160, grey), List.of(face), model, false);
    }

    /**
     * Faces in an image by the same networks with all three stages' thresholds at {@code threshold} instead of
     * MTCNN's 0.6, 0.7 and 0.7: more guesses, more of them wrong. For an image known to hold a face.
     */
    public List<DetectedFace> detectUnsure(RgbImage image, double threshold) {
        return detector.withThresholds(threshold, threshold, threshold).detect(image);
    }

    /** Faces in an image, in the detector's order. */
    public List<DetectedFace> detect(RgbImage image) {
        return detector.detect(image);
    }

    /**
     * Faces near known boxes, found without the detector's pyramid (see {@link MtcnnDetector#redetect}): for
     * following faces from frame to frame, with a full {@link #detect(RgbImage)} every few frames.
     */
    public List<DetectedFace> redetect(RgbImage image, List<BoundingBox> near) {
        return detector.redetect(image, near);
    }

    /** {@link #redetect} with all three stages' thresholds at {@code threshold} (0: the detector's own). */
    public List<DetectedFace> redetect(RgbImage image, List<BoundingBox> near, double threshold) {
        return threshold <= 0 ? detector.redetect(image, near)
                : detector.withThresholds(threshold, threshold, threshold).redetect(image, near);
    }

    /** Faces in windows around boxes where faces were lost (see {@link MtcnnDetector#searchNear}). */
    public List<DetectedFace> searchNear(RgbImage image, List<BoundingBox> lost) {
        return detector.searchNear(image, lost);
    }

    /**
     * Faces near known boxes and anywhere at the scales of one part of the detector's pyramid (see
     * {@link MtcnnDetector#detectPart}).
     */
    public List<DetectedFace> detectPart(RgbImage image, List<BoundingBox> near, int part, int parts) {
        return detector.detectPart(image, near, part, parts);
    }

    /** Faces of several images (frames) at once. */
    public List<List<DetectedFace>> detect(List<RgbImage> images) {
        return detector.detect(images);
    }

    /**
     * Every face with, when {@code model} is not null, its embedding ({@code flip}: the mirrored crop's
     * embedding added before normalising).
     */
    public List<AnalyzedFace> analyze(RgbImage image, FaceModel model, boolean flip) {
        List<DetectedFace> faces = detect(image);
        List<AnalyzedFace> out = new ArrayList<>(faces.size());
        List<Embedding> emb = model == null || faces.isEmpty() ? null : embed(image, faces, model, flip);
        for (int i = 0; i < faces.size(); i++) {
            out.add(new AnalyzedFace(faces.get(i), emb == null ? null : emb.get(i)));
        }
        return out;
    }

    /** Embeddings of the given faces of one image. */
    public List<Embedding> embed(RgbImage image, List<DetectedFace> faces, FaceModel model, boolean flip) {
        return embed(Collections.nCopies(faces.size(), image), faces, model, flip);
    }

    /**
     * Embeddings of faces paired with the images they are in ({@code faces.get(i)} lies in
     * {@code images.get(i)}), in one batch per network; {@code flip} adds the mirrored face's embedding.
     */
    public List<Embedding> embed(List<RgbImage> images, List<DetectedFace> faces, FaceModel model, boolean flip) {
        int n = faces.size();
        List<Embedding> out = new ArrayList<>(n);
        if (model == FaceModel.ENSEMBLE) {
            List<Embedding> m = embed(images, faces, FaceModel.MOBILEFACENET, flip);
            List<Embedding> d = embed(images, faces, FaceModel.DLIB, flip);
            for (int i = 0; i < n; i++) {
                out.add(ensemble.fuse(m.get(i), d.get(i)));
            }
            return out;
        }
        if (!flip) {
            List<FaceCrop> crops = new ArrayList<>(n);
            List<FaceShape> shapes = usesShape(model) ? shapes(images, faces) : null;
            for (int i = 0; i < n; i++) {
                crops.add(shapes != null ? DlibChip.chip(images.get(i), shapes.get(i)) : crop(images.get(i), faces.get(i), model));
            }
            return embedCrops(model, crops);
        }
        List<Embedding> e = embedWithMirrors(images, faces, model);
        for (int i = 0; i < n; i++) {
            out.add(FaceVariants.sum(e.get(i), e.get(n + i)));
        }
        return out;
    }

    /**
     * One network's embeddings of the faces followed by those of their mirror images, in one batch:
     * element {@code i} is face {@code i}, element {@code n + i} its mirror.
     */
    public List<Embedding> embedWithMirrors(List<RgbImage> images, List<DetectedFace> faces, FaceModel model) {
        int n = faces.size();
        FaceCrop[] crops = new FaceCrop[2 * n];
        // one landmark pass, for all faces at once, serves each face and its mirror
        List<FaceShape> shapes = usesShape(model) ? shapes(images, faces) : null;
        for (int i = 0; i < n; i++) {
            if (shapes != null) {
                crops[i] = DlibChip.chip(images.get(i), shapes.get(i));
                crops[n + i] = DlibChip.chipMirrored(images.get(i), shapes.get(i));
            } else {
                crops[i] = crop(images.get(i), faces.get(i), model);
                crops[n + i] = mirroredCrop(images.get(i), faces.get(i), model);
            }
        }
        return embedCrops(model, Arrays.asList(crops));
    }

    /** The aligned crop a single-network model takes. */
    public FaceCrop crop(RgbImage image, DetectedFace face, FaceModel model) {
        if (usesShape(model)) {
            return DlibChip.chip(image, shape(image, face));
        }
        return FaceAligner.align(image, face.landmarks(), template(model));
    }

    /** The aligned crop of the face's mirror image (for flip test-time augmentation). */
    public FaceCrop mirroredCrop(RgbImage image, DetectedFace face, FaceModel model) {
        if (usesShape(model)) {
            return DlibChip.chipMirrored(image, shape(image, face));
        }
        return FaceAligner.alignMirrored(image, face.landmarks(), template(model));
    }

    /** Whether the model's crop is dlib's own chip from 68 landmarks ({@code EngineOptions.dlibChip} shape68). */
    private boolean usesShape(FaceModel model) {
        return options.dlibShape68() && model.base() == FaceModel.DLIB;
    }

    /** The 68 landmarks of a detected face, from the landmark network on the square below its box. */
    public FaceShape shape(RgbImage image, DetectedFace face) {
        return shapes(List.of(image), List.of(face)).get(0);
    }

    /**
     * The 68 landmarks of faces paired with their images, in one network call: each the mean of the estimates on the
     * image and on its mirror image ({@link Landmark68Net#predictSymmetric}).
     */
    public List<FaceShape> shapes(List<RgbImage> images, List<DetectedFace> faces) {
        return landmarkNet().predictSymmetric(images, faces.stream().map(f -> Landmark68Net.squareBelow(f.box())).toList());
    }

    private synchronized Landmark68Net landmarkNet() {
        if (landmarks == null) {
            landmarks = Landmark68Net.load(store, requestedDevice(options));
        }
        return landmarks;
    }

    /** Embeddings of aligned crops of a single-network model, batched. */
    public List<Embedding> embedCrops(FaceModel model, List<FaceCrop> crops) {
        return embedder(model).embed(crops);
    }

    /** Fuses per-network embeddings into the ensemble embedding. */
    public Embedding fuse(Embedding mobileFaceNet, Embedding dlib) {
        return ensemble.fuse(mobileFaceNet, dlib);
    }

    /** The alignment template a single-network model was trained on. */
    public static AlignmentTemplate template(FaceModel model) {
        FaceModel base = model.base();
        if (base == FaceModel.MOBILEFACENET) {
            return AlignmentTemplate.ARCFACE_112;
        }
        if (base == FaceModel.DLIB) {
            return AlignmentTemplate.DLIB_150;
        }
        throw new IllegalArgumentException("the ensemble has two templates; align for each network");
    }

    /** The embedder of a single-network model, opened on first use (a trained one from its folder). */
    private synchronized FaceEmbedder embedder(FaceModel model) {
        FaceEmbedder e = embedders.get(model);
        if (e != null) {
            return e;
        }
        if (model.isTrained()) {
            try {
                e = EmbedderModel.openSaved(model.directory(), embedderOptions());
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot open the saved model " + model.directory() + ": " + ex.getMessage(), ex);
            }
        } else if (model == FaceModel.MOBILEFACENET) {
            e = EmbedderModel.MOBILEFACENET.open(embedderOptions());
        } else if (model == FaceModel.DLIB) {
            e = EmbedderModel.DLIB.open(embedderOptions());
        } else {
            throw new IllegalArgumentException("the ensemble is two embedders; embed with each");
        }
        embedders.put(model, e);
        return e;
    }

    private EmbedderOptions embedderOptions() {
        EmbedderOptions o = EmbedderOptions.defaults().withWeights(store);
        Device d = requestedDevice(options);
        return d == null ? o : o.withDevice(d);
    }

    /**
     * The device named by {@code --device}; {@code null} for auto (the engine's default: a GPU when present).
     *
     * @throws IllegalArgumentException for {@code gpu} where PyTorch sees none, instead of libtorch's dispatcher dump
     *     at the first tensor
     */
    public static Device requestedDevice(EngineOptions options) {
        return switch (options.device()) {
            case "cpu" -> Device.cpu();
            case "gpu" -> {
                if (Engine.getInstance().getGpuCount() == 0) {
                    throw new IllegalArgumentException("--device gpu, but PyTorch sees no GPU here: either this build has"
                            + " the CPU natives (build with -Pgpu, README \"GPU\") or no NVIDIA driver and device are"
                            + " visible (check nvidia-smi); use --device auto or cpu to run on the CPU");
                }
                yield Device.gpu();
            }
            default -> null;
        };
    }

    /** The options the engine was opened with. */
    public EngineOptions options() {
        return options;
    }

    @Override
    public synchronized void close() {
        for (FaceEmbedder e : embedders.values()) {
            e.close();
        }
        embedders.clear();
        if (landmarks != null) {
            landmarks.close();
            landmarks = null;
        }
        detector.close();
    }
}
