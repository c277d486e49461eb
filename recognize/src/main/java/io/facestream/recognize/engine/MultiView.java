package io.facestream.recognize.engine;

import io.facestream.core.BoundingBox;
import io.facestream.core.DetectedFace;
import io.facestream.core.Embedding;
import io.facestream.core.Landmarks;
import io.facestream.recognize.align.FaceAligner;
import io.facestream.recognize.align.FaceCrop;
import io.facestream.recognize.image.RgbImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Test-time augmentation: a set of views of each face ({@link View}), each embedded by the network and summed
 * before normalising. Three of the six views need a second detection, on the mirrored image: its landmarks, mapped
 * back, are a second estimate of the same five points, and their average with the first is a better one (MTCNN is
 * not mirror-symmetric, so the two estimates err differently). A set without those views detects once, and a view
 * not in the set is never aligned or embedded.
 *
 * <p>Where the mirrored image shows no face at the same place (IoU under {@link #SAME_FACE_IOU}), the views fall
 * back to the first detection, so every face gets every view of the set.
 */
public final class MultiView {

    /** One way of showing a face to the network. */
    public enum View {
        /** The face aligned on its landmarks: what every embedding without augmentation is. */
        PLAIN("plain", false),
        /** Its mirror image aligned on the template ({@link FaceEngine#mirroredCrop}): the view {@code --flip} adds. */
        TEMPLATE_MIRROR("tmirror", false),
        /** The plain crop flipped left to right (the mirror about the crop's centre, half a pixel off the template's). */
        CENTRE_FLIP("cflip", false),
        /** The face aligned on its landmarks averaged with the mirrored image's estimate. */
        AVERAGED("avg", true),
        /** The mirror image aligned on the template with the averaged landmarks. */
        AVERAGED_MIRROR("avgmirror", true),
        /** The mirrored image aligned on its own detection. */
        MIRROR_DETECTED("mirrordet", true);

        private final String cliName;
        private final boolean mirrorDetection;

        View(String cliName, boolean mirrorDetection) {
            this.cliName = cliName;
            this.mirrorDetection = mirrorDetection;
        }

        /** The name used on the command line and in reports. */
        public String cliName() {
            return cliName;
        }

        /** Whether the view needs the detector run again on the mirrored image. */
        public boolean needsMirrorDetection() {
            return mirrorDetection;
        }

        /** Parses a command-line name; the error lists the accepted names. */
        public static View parse(String name) {
            String n = name.strip().toLowerCase(Locale.ROOT);
            for (View v : values()) {
                if (v.cliName.equals(n)) {
                    return v;
                }
            }
            throw new IllegalArgumentException("unknown view '" + name + "'; choose from "
                    + Arrays.stream(values()).map(View::cliName).collect(Collectors.joining(", ")));
        }

        @Override
        public String toString() {
            return cliName;
        }
    }

    /** Overlap above which the mirrored image's detection is taken for the same face (the usual IoU match rule). */
    public static final double SAME_FACE_IOU = 0.3;

    /** All six views. */
    public static final MultiView ALL = new MultiView(EnumSet.allOf(View.class));

    /**
     * The view set {@code --multiview} uses, as a {@code --views} list: chosen on verification pairs over Extended
     * Yale B's training people ({@code evaluate --views-experiment}, candidates and rule fixed before the run; the
     * README has the table). No candidate beat the plain view there (all eight ensembles within 0.25 points, a fifth
     * of the folds' spread), so the rule's tie-break, the cheapest set, gave the plain view.
     */
    public static final String CHOSEN_LIST = "plain";

    /** The view set {@code --multiview} uses. */
    public static final MultiView CHOSEN = parse(CHOSEN_LIST);

    /**
     * As {@link #CHOSEN_LIST}, for the engine with dlib's own chip ({@code --dlib-chip shape68}): the same experiment
     * on the same pairs chose the face and its mirror on the template, {@code --flip}'s views (96.72% against 96.50%
     * for the plain view, all six 96.68%).
     */
    public static final String CHOSEN_LIST_SHAPE68 = "plain,tmirror";

    /** The view set {@code --multiview} uses with the given engine options. */
    public static MultiView chosen(EngineOptions options) {
        return options.dlibShape68() ? parse(CHOSEN_LIST_SHAPE68) : CHOSEN;
    }

    /** The face and its mirror on the template: the same embedding as {@code --flip}. */
    public static final MultiView FLIP = new MultiView(EnumSet.of(View.PLAIN, View.TEMPLATE_MIRROR));

    /**
     * What the views of a batch of faces are made from; the lists are empty when no view of the set needs the
     * second detection.
     *
     * @param mirrored each image mirrored
     * @param averaged each face with its landmarks averaged with the mirrored image's estimate
     * @param mirroredFaces each face as detected in the mirrored image (in its coordinates)
     */
    public record Prepared(List<RgbImage> mirrored, List<DetectedFace> averaged, List<DetectedFace> mirroredFaces) {
        static final Prepared NONE = new Prepared(List.of(), List.of(), List.of());
    }

    private final Set<View> views;

    private MultiView(EnumSet<View> views) {
        if (views.isEmpty()) {
            throw new IllegalArgumentException("a view set needs at least one view; choose from "
                    + Arrays.stream(View.values()).map(View::cliName).collect(Collectors.joining(", ")));
        }
        this.views = Collections.unmodifiableSet(views);
    }

    /** The set of the given views. */
    public static MultiView of(Collection<View> views) {
        return new MultiView(views.isEmpty() ? EnumSet.noneOf(View.class) : EnumSet.copyOf(views));
    }

    /** Parses a comma-separated list of view names, such as {@code plain,tmirror}; a name given twice counts once. */
    public static MultiView parse(String list) {
        List<View> parsed = new ArrayList<>();
        for (String name : list.split(",")) {
            if (!name.isBlank()) {
                parsed.add(View.parse(name));
            }
        }
        return of(parsed);
    }

    /** The views, in their fixed order. */
    public Set<View> views() {
        return views;
    }

    /** Whether any view needs the detector run again on the mirrored image. */
    public boolean needsMirrorDetection() {
        return views.stream().anyMatch(View::needsMirrorDetection);
    }

    /** Whether a view shows the face mirrored, so that the set is a flip augmentation (the reports' {@code flip}). */
    public boolean hasMirror() {
        return views.stream().anyMatch(v -> v != View.PLAIN && v != View.AVERAGED);
    }

    /** The views joined by '+', as in reports: {@code plain+tmirror}. */
    public String label() {
        return views.stream().map(View::cliName).collect(Collectors.joining("+"));
    }

    /**
     * Detects again on the mirrored images where a view of the set needs it ({@link Prepared#NONE} otherwise);
     * {@code faces.get(i)} is the face of {@code images.get(i)} to view.
     */
    public Prepared prepare(FaceEngine engine, List<RgbImage> images, List<DetectedFace> faces) {
        if (!needsMirrorDetection()) {
            return Prepared.NONE;
        }
        List<RgbImage> mirrored = new ArrayList<>(images.size());
        for (RgbImage i : images) {
            mirrored.add(i.flipHorizontal());
        }
        List<List<DetectedFace>> found = engine.detect(mirrored);
        List<DetectedFace> averaged = new ArrayList<>(images.size());
        List<DetectedFace> mirroredFaces = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            int w = images.get(i).width();
            DetectedFace face = faces.get(i);
            DetectedFace twin = null;
            double best = SAME_FACE_IOU;
            for (DetectedFace m : found.get(i)) {
                double iou = mirror(m, w).box().iou(face.box());
                if (iou >= best) {
                    best = iou;
                    twin = m;
                }
            }
            averaged.add(twin == null ? face : average(face, mirror(twin, w)));
            mirroredFaces.add(twin == null ? mirror(face, w) : twin);
        }
        return new Prepared(mirrored, averaged, mirroredFaces);
    }

    /**
     * One network's unit embedding of each view of the set, per face, in one batch. {@code prepared} comes from
     * {@link #prepare} on the same images and faces.
     */
    public List<Map<View, Embedding>> embedEach(FaceEngine engine, List<RgbImage> images, List<DetectedFace> faces,
            Prepared prepared, FaceModel model) {
        if (model == FaceModel.ENSEMBLE) {
            throw new IllegalArgumentException("the ensemble is two networks; embed each and fuse");
        }
        int n = faces.size();
        int k = views.size();
        List<FaceCrop> crops = new ArrayList<>(k * n);
        for (int i = 0; i < n; i++) {
            RgbImage image = images.get(i);
            DetectedFace face = faces.get(i);
            FaceCrop first = views.contains(View.PLAIN) || views.contains(View.CENTRE_FLIP)
                    ? engine.crop(image, face, model) : null;
            for (View v : views) {
                crops.add(switch (v) {
                    case PLAIN -> first;
                    case TEMPLATE_MIRROR -> engine.mirroredCrop(image, face, model);
                    case CENTRE_FLIP -> first.flipped();
                    case AVERAGED -> engine.crop(image, prepared.averaged().get(i), model);
                    case AVERAGED_MIRROR -> engine.mirroredCrop(image, prepared.averaged().get(i), model);
                    case MIRROR_DETECTED -> engine.crop(prepared.mirrored().get(i), prepared.mirroredFaces().get(i), model);
                });
            }
        }
        List<Embedding> embedded = engine.embedCrops(model, crops);
        List<Map<View, Embedding>> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Map<View, Embedding> each = new EnumMap<>(View.class);
            int j = 0;
            for (View v : views) {
                each.put(v, embedded.get(k * i + j++));
            }
            out.add(each);
        }
        return out;
    }

    /** One network's embedding of each face with the views of the set summed and normalised. */
    public List<Embedding> embed(FaceEngine engine, List<RgbImage> images, List<DetectedFace> faces,
            Prepared prepared, FaceModel model) {
        List<Embedding> out = new ArrayList<>(faces.size());
        for (Map<View, Embedding> each : embedEach(engine, images, faces, prepared, model)) {
            out.add(combine(each));
        }
        return out;
    }

    /**
     * The normalised sum of this set's views, taken from one network's per-view embeddings of a face (which may
     * hold more views than the set).
     *
     * @throws IllegalArgumentException when a view of the set is missing
     */
    public Embedding combine(Map<View, Embedding> each) {
        float[] sum = null;
        String modelId = null;
        for (View v : views) {
            Embedding e = each.get(v);
            if (e == null) {
                throw new IllegalArgumentException("view " + v + " of " + label() + " was not embedded; embedded were " + each.keySet());
            }
            if (sum == null) {
                sum = e.values();
                modelId = e.modelId();
            } else {
                float[] w = e.values();
                for (int j = 0; j < sum.length; j++) {
                    sum[j] += w[j];
                }
            }
        }
        return Embedding.normalise(modelId, sum);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MultiView m && m.views.equals(views);
    }

    @Override
    public int hashCode() {
        return views.hashCode();
    }

    @Override
    public String toString() {
        return label();
    }

    /** A detection in an image of width {@code w} as it appears in the mirrored image. */
    static DetectedFace mirror(DetectedFace f, int w) {
        BoundingBox b = f.box();
        return new DetectedFace(new BoundingBox(w - 1 - b.x2(), b.y1(), w - 1 - b.x1(), b.y2()), f.score(),
                FaceAligner.mirror(f.landmarks(), w));
    }

    private static DetectedFace average(DetectedFace a, DetectedFace b) {
        double[] xy = new double[2 * Landmarks.COUNT];
        for (int i = 0; i < Landmarks.COUNT; i++) {
            xy[2 * i] = (a.landmarks().get(i).x() + b.landmarks().get(i).x()) / 2;
            xy[2 * i + 1] = (a.landmarks().get(i).y() + b.landmarks().get(i).y()) / 2;
        }
        return new DetectedFace(a.box(), a.score(), Landmarks.of(xy));
    }
}
