package io.facestream.recognize.engine;

import io.facestream.core.BoundingBox;
import io.facestream.core.DetectedFace;
import io.facestream.core.Embedding;
import io.facestream.core.Landmarks;
import io.facestream.recognize.align.FaceAligner;
import io.facestream.recognize.align.FaceCrop;
import io.facestream.recognize.image.RgbImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Test-time augmentation with six views of each face, for verification where accuracy matters more than time
 * (about three times the embedding work and twice the detection of {@code --flip}). The detector runs again on the
 * mirrored image; its landmarks, mapped back, are a second estimate of the same five points, and their average
 * with the first is a better one (MTCNN is not mirror-symmetric, so the two estimates err differently). The views,
 * each embedded by the network and summed before normalising:
 * <ol>
 * <li>the face aligned on its landmarks, and</li>
 * <li>its mirror image aligned on the template ({@link FaceEngine#mirroredCrop});</li>
 * <li>the first crop flipped left to right (the mirror about the crop's centre, half a pixel off the template's);</li>
 * <li>the face aligned on the averaged landmarks, and</li>
 * <li>its mirror image on the template;</li>
 * <li>the mirrored image aligned on its own detection.</li>
 * </ol>
 * Where the mirrored image shows no face at the same place (IoU under {@link #SAME_FACE_IOU}), the views fall back
 * to the first detection, so every face gets six views.
 */
public final class MultiView {

    /** Views per face. */
    public static final int VIEWS = 6;

    /** Overlap above which the mirrored image's detection is taken for the same face (the usual IoU match rule). */
    public static final double SAME_FACE_IOU = 0.3;

    /**
     * What the views of a batch of faces are made from.
     *
     * @param mirrored each image mirrored
     * @param averaged each face with its landmarks averaged with the mirrored image's estimate
     * @param mirroredFaces each face as detected in the mirrored image (in its coordinates)
     */
    public record Prepared(List<RgbImage> mirrored, List<DetectedFace> averaged, List<DetectedFace> mirroredFaces) {
    }

    private MultiView() {
    }

    /** Detects again on the mirrored images; {@code faces.get(i)} is the face of {@code images.get(i)} to view. */
    public static Prepared prepare(FaceEngine engine, List<RgbImage> images, List<DetectedFace> faces) {
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

    /** One network's six-view embedding of each face, the views summed and normalised. */
    public static List<Embedding> embed(FaceEngine engine, List<RgbImage> images, List<DetectedFace> faces,
            Prepared prepared, FaceModel model) {
        if (model == FaceModel.ENSEMBLE) {
            throw new IllegalArgumentException("the ensemble is two networks; embed each and fuse");
        }
        int n = faces.size();
        List<FaceCrop> crops = new ArrayList<>(VIEWS * n);
        for (int i = 0; i < n; i++) {
            RgbImage image = images.get(i);
            FaceCrop first = engine.crop(image, faces.get(i), model);
            crops.add(first);
            crops.add(engine.mirroredCrop(image, faces.get(i), model));
            crops.add(first.flipped());
            crops.add(engine.crop(image, prepared.averaged().get(i), model));
            crops.add(engine.mirroredCrop(image, prepared.averaged().get(i), model));
            crops.add(engine.crop(prepared.mirrored().get(i), prepared.mirroredFaces().get(i), model));
        }
        List<Embedding> views = engine.embedCrops(model, crops);
        List<Embedding> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] sum = views.get(VIEWS * i).values();
            for (int k = 1; k < VIEWS; k++) {
                float[] v = views.get(VIEWS * i + k).values();
                for (int j = 0; j < sum.length; j++) {
                    sum[j] += v[j];
                }
            }
            out.add(Embedding.normalise(views.get(VIEWS * i).modelId(), sum));
        }
        return out;
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
