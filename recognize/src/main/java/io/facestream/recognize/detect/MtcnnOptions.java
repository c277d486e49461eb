package io.facestream.recognize.detect;

/**
 * Settings of the MTCNN detector. The defaults are those of Zhang et al. (2016) as used by facenet's
 * {@code detect_face.py}, which the reference outputs follow.
 *
 * @param minFaceSize smallest face side in pixels that the pyramid covers
 * @param scaleFactor ratio between neighbouring pyramid levels, in (0, 1)
 * @param pnetThreshold stage-1 face probability, kept when {@code p ≥} it
 * @param rnetThreshold stage-2 face probability, kept when {@code p >} it
 * @param onetThreshold stage-3 face probability, kept when {@code p >} it
 * @param pnetScaleNms IoU above which stage 1 drops a box within one pyramid level
 * @param pnetNms IoU above which stage 1 drops a box across the levels
 * @param rnetNms IoU above which stage 2 drops a box
 * @param onetNms overlap (intersection over the smaller box) above which stage 3 drops a box
 * @param batchSize most R-Net or O-Net crops run in one forward
 */
public record MtcnnOptions(int minFaceSize, double scaleFactor, double pnetThreshold, double rnetThreshold,
        double onetThreshold, double pnetScaleNms, double pnetNms, double rnetNms, double onetNms, int batchSize) {

    /** Zhang et al. 2016 / facenet {@code detect_face.py}: {@code minsize = 20}. */
    public static final int DEFAULT_MIN_FACE_SIZE = 20;
    /** facenet {@code detect_face.py}: {@code factor = 0.709} (about 1/√2 in area). */
    public static final double DEFAULT_SCALE_FACTOR = 0.709;
    /** facenet {@code detect_face.py}: {@code threshold = [0.6, 0.7, 0.7]}. */
    public static final double DEFAULT_PNET_THRESHOLD = 0.6;
    /** facenet {@code detect_face.py}: second entry of {@code threshold}. */
    public static final double DEFAULT_RNET_THRESHOLD = 0.7;
    /** facenet {@code detect_face.py}: third entry of {@code threshold}. */
    public static final double DEFAULT_ONET_THRESHOLD = 0.7;
    /** facenet {@code detect_face.py}: {@code nms(boxes, 0.5, 'Union')} per pyramid level. */
    public static final double DEFAULT_PNET_SCALE_NMS = 0.5;
    /** facenet {@code detect_face.py}: {@code nms(total_boxes, 0.7, 'Union')} after stage 1. */
    public static final double DEFAULT_PNET_NMS = 0.7;
    /** facenet {@code detect_face.py}: {@code nms(total_boxes, 0.7, 'Union')} after stage 2. */
    public static final double DEFAULT_RNET_NMS = 0.7;
    /** facenet {@code detect_face.py}: {@code nms(total_boxes, 0.7, 'Min')} after stage 3. */
    public static final double DEFAULT_ONET_NMS = 0.7;
    /** Crops per R-Net/O-Net forward; bounds the memory of a crowded frame. */
    public static final int DEFAULT_BATCH_SIZE = 256;

    public MtcnnOptions {
        if (minFaceSize < 1) {
            throw new IllegalArgumentException("minFaceSize must be at least 1 pixel, was " + minFaceSize);
        }
        if (!(scaleFactor > 0 && scaleFactor < 1)) {
            throw new IllegalArgumentException("scaleFactor must be in (0, 1), was " + scaleFactor);
        }
        requireUnit("pnetThreshold", pnetThreshold);
        requireUnit("rnetThreshold", rnetThreshold);
        requireUnit("onetThreshold", onetThreshold);
        requireUnit("pnetScaleNms", pnetScaleNms);
        requireUnit("pnetNms", pnetNms);
        requireUnit("rnetNms", rnetNms);
        requireUnit("onetNms", onetNms);
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
        }
    }

    /** The published settings. */
    public static MtcnnOptions defaults() {
        return new MtcnnOptions(DEFAULT_MIN_FACE_SIZE, DEFAULT_SCALE_FACTOR, DEFAULT_PNET_THRESHOLD,
                DEFAULT_RNET_THRESHOLD, DEFAULT_ONET_THRESHOLD, DEFAULT_PNET_SCALE_NMS, DEFAULT_PNET_NMS,
                DEFAULT_RNET_NMS, DEFAULT_ONET_NMS, DEFAULT_BATCH_SIZE);
    }

    /** A copy with another minimum face size. */
    public MtcnnOptions withMinFaceSize(int pixels) {
        return new MtcnnOptions(pixels, scaleFactor, pnetThreshold, rnetThreshold, onetThreshold, pnetScaleNms,
                pnetNms, rnetNms, onetNms, batchSize);
    }

    /** A copy with other stage thresholds. */
    public MtcnnOptions withThresholds(double pnet, double rnet, double onet) {
        return new MtcnnOptions(minFaceSize, scaleFactor, pnet, rnet, onet, pnetScaleNms, pnetNms, rnetNms, onetNms,
                batchSize);
    }

    private static void requireUnit(String name, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], was " + v);
        }
    }
}
