package io.facestream.recognize.align;

import io.facestream.recognize.image.RgbImage;
import io.facestream.recognize.landmark.FaceShape;

/**
 * dlib's own face chip from 68 landmarks ({@code get_face_chip_details(shape, 150, 0.25)}, the chip its ResNet was
 * trained and measured on): the least-squares similarity of 33 of the points — nose, eyes, the outer upper lip and
 * the inner upper lip; not the jaw, the eyebrows or the lower lip — onto dlib's mean face, scaled into the chip with
 * a padding of a quarter of the face on each side.
 *
 * <p>The mean face is dlib's published average shape of points 17–67 as fractions of the face's extent.
 */
public final class DlibChip {

    /** The chip dlib's face recognition ResNet takes. */
    public static final int SIZE = 150;
    /** dlib's padding for that chip, a fraction of the mean face's extent on each side. */
    public static final double PADDING = 0.25;

    private static final double[] MEAN_X = {
        0.000213256, 0.0752622, 0.18113, 0.29077, 0.393397, 0.586856, 0.689483, 0.799124,
        0.904991, 0.98004, 0.490127, 0.490127, 0.490127, 0.490127, 0.36688, 0.426036,
        0.490127, 0.554217, 0.613373, 0.121737, 0.187122, 0.265825, 0.334606, 0.260918,
        0.182743, 0.645647, 0.714428, 0.793132, 0.858516, 0.79751, 0.719335, 0.254149,
        0.340985, 0.428858, 0.490127, 0.551395, 0.639268, 0.726104, 0.642159, 0.556721,
        0.490127, 0.423532, 0.338094, 0.290379, 0.428096, 0.490127, 0.552157, 0.689874,
        0.553364, 0.490127, 0.42689};
    private static final double[] MEAN_Y = {
        0.106454, 0.038915, 0.0187482, 0.0344891, 0.0773906, 0.0773906, 0.0344891,
        0.0187482, 0.038915, 0.106454, 0.203352, 0.307009, 0.409805, 0.515625, 0.587326,
        0.609345, 0.628106, 0.609345, 0.587326, 0.216423, 0.178758, 0.179852, 0.231733,
        0.245099, 0.244077, 0.231733, 0.179852, 0.178758, 0.216423, 0.244077, 0.245099,
        0.780233, 0.745405, 0.727388, 0.742578, 0.727388, 0.745405, 0.780233, 0.864805,
        0.902192, 0.909281, 0.902192, 0.864805, 0.784792, 0.778746, 0.785343, 0.778746,
        0.784792, 0.824182, 0.831803, 0.824182};

    private DlibChip() {
    }

    /** Whether point {@code i} takes part in the fit: 27–54 and 60–64. */
    static boolean fitted(int i) {
        return i >= 27 && !(i >= 55 && i <= 59) && !(i >= 65);
    }

    /** Where point {@code i} (17–67) of the mean face lies in a chip of {@code size} with {@code padding}. */
    static double[] target(int i, int size, double padding) {
        return new double[] {(padding + MEAN_X[i - 17]) / (2 * padding + 1) * size,
            (padding + MEAN_Y[i - 17]) / (2 * padding + 1) * size};
    }

    /** The image → chip similarity of a face shape. */
    public static SimilarityTransform transform(FaceShape shape, int size, double padding) {
        int n = 0;
        for (int i = 0; i < FaceShape.COUNT; i++) {
            n += fitted(i) ? 1 : 0;
        }
        double[][] src = new double[n][];
        double[][] dst = new double[n][];
        int k = 0;
        double[] xy = shape.xy();
        for (int i = 0; i < FaceShape.COUNT; i++) {
            if (fitted(i)) {
                src[k] = new double[] {xy[2 * i], xy[2 * i + 1]};
                dst[k] = target(i, size, padding);
                k++;
            }
        }
        return SimilarityTransform.estimate(src, dst);
    }

    /** The 150×150 chip of the face. */
    public static FaceCrop chip(RgbImage image, FaceShape shape) {
        return FaceAligner.warp(image, transform(shape, SIZE, PADDING), SIZE);
    }

    /** The 150×150 chip of the face's mirror image (its shape mirrored and relabelled). */
    public static FaceCrop chipMirrored(RgbImage image, FaceShape shape) {
        return FaceAligner.warpMirrored(image, transform(shape.mirror(image.width()), SIZE, PADDING), SIZE);
    }
}
