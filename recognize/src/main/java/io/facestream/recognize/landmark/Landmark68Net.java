package io.facestream.recognize.landmark;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import io.facestream.core.BoundingBox;
import io.facestream.recognize.image.RgbImage;
import io.facestream.recognize.nn.TorchLogLevel;
import io.facestream.recognize.weights.Tensor;
import io.facestream.recognize.weights.TfjsWeights;
import io.facestream.recognize.weights.WeightFile;
import io.facestream.recognize.weights.WeightStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * face-api's 68-point landmark network (@vladmandic/face-api 1.7.15, {@code face_landmark_68_model}) on the PyTorch
 * engine: a face box, padded to a square and scaled to 112×112, goes through four dense blocks of depthwise-separable
 * convolutions (32, 64, 128, 256 channels, each halving the size), a 7×7 average and a fully connected layer to 136
 * numbers, the 68 points as fractions of the square.
 *
 * <p>As face-api prepares its input: the box is clipped to the image and floored to whole pixels, the crop is padded
 * with black to a square (centred), resized bilinearly to 112×112 with TensorFlow's corner-aligned-free sampling
 * ({@code src = dst · in/out}), and normalised as {@code (v − mean) / 255} with the RGB mean (122.782, 117.001,
 * 104.298). Convolutions use TensorFlow's "same" padding (the extra pixel of a stride-2 layer at the bottom/right).
 *
 * <p>Thread-safe: each call runs under its own child manager of the weights' manager.
 */
public final class Landmark68Net implements AutoCloseable {

    /** Side of the network's input. */
    public static final int INPUT = 112;
    private static final float[] MEAN = {122.782f, 117.001f, 104.298f};
    private static final String[] BLOCKS = {"dense0", "dense1", "dense2", "dense3"};

    private final NDManager manager;
    private final Map<String, NDArray> params;

    private Landmark68Net(NDManager manager, Map<String, NDArray> params) {
        this.manager = manager;
        this.params = params;
    }

    /** Loads the network from the weight cache (fetching the package once if needed); {@code device} null: default. */
    public static Landmark68Net load(WeightStore store, Device device) {
        Map<String, Tensor> tensors;
        try {
            store.require(WeightFile.LANDMARK68_BIN);
            tensors = TfjsWeights.read(store.require(WeightFile.LANDMARK68_MANIFEST));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the 68-point landmark weights: " + e.getMessage(), e);
        }
        TorchLogLevel.apply();
        NDManager manager = device == null ? NDManager.newBaseManager() : NDManager.newBaseManager(device);
        try {
            return new Landmark68Net(manager, convert(tensors, manager));
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** tfjs layouts to PyTorch's: conv HWIO → OIHW, depthwise HW C 1 → C 1 HW, pointwise 1 1 I O → O I 1 1. */
    private static Map<String, NDArray> convert(Map<String, Tensor> t, NDManager manager) {
        Map<String, NDArray> p = new java.util.HashMap<>();
        for (String block : BLOCKS) {
            for (int c = 0; c < 4; c++) {
                String prefix = block + "/conv" + c + "/";
                if (c == 0 && block.equals("dense0")) {
                    put(p, manager, prefix + "filters", require(t, prefix + "filters", 4).transpose(3, 2, 0, 1));
                } else {
                    put(p, manager, prefix + "depthwise_filter", require(t, prefix + "depthwise_filter", 4).transpose(2, 3, 0, 1));
                    put(p, manager, prefix + "pointwise_filter", require(t, prefix + "pointwise_filter", 4).transpose(3, 2, 0, 1));
                }
                put(p, manager, prefix + "bias", require(t, prefix + "bias", 1));
            }
        }
        Tensor fc = require(t, "fc/weights", 2);
        if (!Arrays.equals(fc.shape(), new int[] {256, 2 * FaceShape.COUNT})) {
            throw new IllegalArgumentException("the landmark net's fc should be [256, 136], was " + Arrays.toString(fc.shape()));
        }
        put(p, manager, "fc/weights", fc);
        put(p, manager, "fc/bias", require(t, "fc/bias", 1));
        return p;
    }

    private static void put(Map<String, NDArray> p, NDManager manager, String name, Tensor t) {
        p.put(name, manager.create(t.data(), new Shape(t.shapeAsLongs())));
    }

    private static Tensor require(Map<String, Tensor> t, String name, int rank) {
        Tensor x = t.get(name);
        if (x == null || x.shape().length != rank) {
            throw new IllegalArgumentException("the landmark weights have no rank-" + rank + " tensor '" + name
                    + "'; is the manifest @vladmandic/face-api's face_landmark_68_model one?");
        }
        return x;
    }

    /** How far below the detector box's centre the network's square is centred, as a fraction of its side. */
    static final double SQUARE_SHIFT = 0.15;

    /**
     * The square the network reads for an MTCNN face box: its longer side, centred 0.15 of it below the box's centre.
     * MTCNN's boxes reach higher up the forehead than the boxes the network was trained on; on dlib's annotated faces
     * ({@code data/stills/dlib_faces}, 42 faces found) this square put the 33 fitted points of dlib's chip 1.6 px (of 150)
     * from where the chip of dlib's own 68 points puts them, against 2.3 px for the box's own square and 2.9 px for the
     * box as it is (shifts of 0, 0.05, 0.10 and 0.15 of the side tried, squares 1.0, 1.1 and 1.2 times the side; MTCNN's
     * five points on the dlib template: 3.6 px).
     */
    public static BoundingBox squareBelow(BoundingBox box) {
        double side = Math.max(box.width(), box.height());
        double cx = (box.x1() + box.x2()) / 2;
        double cy = (box.y1() + box.y2()) / 2 + SQUARE_SHIFT * side;
        return new BoundingBox(cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2);
    }

    /** The 68 landmarks of each face box of an image, in image pixels; one network call for all boxes. */
    public List<FaceShape> predict(RgbImage image, List<BoundingBox> boxes) {
        return predict(Collections.nCopies(boxes.size(), image), boxes);
    }

    /**
     * The 68 landmarks of faces paired with the images they are in ({@code boxes.get(i)} lies in
     * {@code images.get(i)}), in image pixels; one network call for all of them.
     */
    public List<FaceShape> predict(List<RgbImage> images, List<BoundingBox> boxes) {
        if (images.size() != boxes.size()) {
            throw new IllegalArgumentException(boxes.size() + " boxes for " + images.size() + " images");
        }
        if (boxes.isEmpty()) {
            return List.of();
        }
        int n = boxes.size();
        float[] input = new float[n * 3 * INPUT * INPUT];
        double[][] frames = new double[n][];
        for (int i = 0; i < n; i++) {
            frames[i] = fillInput(images.get(i), boxes.get(i), input, i * 3 * INPUT * INPUT);
        }
        float[] out;
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.create(input, new Shape(n, 3, INPUT, INPUT));
            out = forward(x).toFloatArray();
        }
        List<FaceShape> shapes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double[] xy = new double[2 * FaceShape.COUNT];
            double[] f = frames[i];
            for (int k = 0; k < FaceShape.COUNT; k++) {
                xy[2 * k] = f[0] + out[i * 2 * FaceShape.COUNT + 2 * k] * f[2];
                xy[2 * k + 1] = f[1] + out[i * 2 * FaceShape.COUNT + 2 * k + 1] * f[2];
            }
            shapes.add(new FaceShape(xy));
        }
        return shapes;
    }

    /**
     * The 68 landmarks of each face estimated twice, on the image and on its mirror image, and averaged: the mirror's
     * shape is mirrored back (left and right relabelled) before the mean. The network is not mirror-symmetric, so the
     * two estimates err differently; one network call of twice the batch. Only the face's neighbourhood is mirrored
     * (a 1080p frame mirrored whole costs 30 ms); the network reads the same pixels as on the whole mirror image.
     */
    public List<FaceShape> predictSymmetric(List<RgbImage> images, List<BoundingBox> boxes) {
        if (images.size() != boxes.size()) {
            throw new IllegalArgumentException(boxes.size() + " boxes for " + images.size() + " images");
        }
        int n = boxes.size();
        List<RgbImage> all = new ArrayList<>(images);
        List<BoundingBox> allBoxes = new ArrayList<>(boxes);
        int[][] origins = new int[n][];
        for (int i = 0; i < n; i++) {
            RgbImage image = images.get(i);
            BoundingBox b = boxes.get(i);
            // columns c0..c1 and rows r0..r1 hold every pixel the network reads for this box, with a margin
            int c0 = clamp((int) Math.floor(b.x1()) - 2, image.width());
            int c1 = clamp((int) Math.ceil(b.x2()) + 2, image.width());
            int r0 = clamp((int) Math.floor(b.y1()) - 2, image.height());
            int r1 = clamp((int) Math.ceil(b.y2()) + 2, image.height());
            all.add(image.mirroredPart(c0, r0, c1 - c0 + 1, r1 - r0 + 1));
            // column x of the image is column c1 − x of the mirrored part (x → width − 1 − x on the whole mirror)
            allBoxes.add(new BoundingBox(c1 - b.x2(), b.y1() - r0, c1 - b.x1(), b.y2() - r0));
            origins[i] = new int[] {c0, r0, c1 - c0 + 1};
        }
        List<FaceShape> shapes = predict(all, allBoxes);
        List<FaceShape> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double[] a = shapes.get(i).xy();
            double[] m = shapes.get(n + i).mirror(origins[i][2]).xy();
            for (int k = 0; k < a.length; k += 2) {
                a[k] = (a[k] + m[k] + origins[i][0]) / 2;
                a[k + 1] = (a[k + 1] + m[k + 1] + origins[i][1]) / 2;
            }
            out.add(new FaceShape(a));
        }
        return out;
    }

    private static int clamp(int v, int size) {
        return Math.max(0, Math.min(size - 1, v));
    }

    /**
     * Writes one face's normalised 3×112×112 input at {@code offset} and returns the square it shows as
     * {x0, y0, side} in image pixels (the network's outputs are fractions of it).
     */
    static double[] fillInput(RgbImage image, BoundingBox box, float[] dst, int offset) {
        int x0 = (int) Math.floor(Math.max(box.x1(), 0));
        int y0 = (int) Math.floor(Math.max(box.y1(), 0));
        int w = (int) Math.floor(Math.min(box.x2() - Math.max(box.x1(), 0), image.width() - Math.max(box.x1(), 0)));
        int h = (int) Math.floor(Math.min(box.y2() - Math.max(box.y1(), 0), image.height() - Math.max(box.y1(), 0)));
        if (w < 1 || h < 1) {
            throw new IllegalArgumentException("the face box " + box + " lies outside the " + image.width() + "x"
                    + image.height() + " image");
        }
        int side = Math.max(w, h);
        int diff = side - Math.min(w, h);
        // face-api appends round(diff / 2) after the crop and the rest before it.
        int before = diff - (int) Math.round(diff * 0.5);
        int padX = w < h ? before : 0;
        int padY = h < w ? before : 0;
        double scale = (double) side / INPUT;
        byte[] px = image.pixels();
        int plane = INPUT * INPUT;
        for (int v = 0; v < INPUT; v++) {
            double sy = v * scale;
            int ya = (int) Math.floor(sy);
            int yb = Math.min(ya + 1, side - 1);
            double fy = sy - ya;
            for (int u = 0; u < INPUT; u++) {
                double sx = u * scale;
                int xa = (int) Math.floor(sx);
                int xb = Math.min(xa + 1, side - 1);
                double fx = sx - xa;
                for (int c = 0; c < 3; c++) {
                    double top = sample(px, image.width(), x0, y0, w, h, xa - padX, ya - padY, c) * (1 - fx)
                            + sample(px, image.width(), x0, y0, w, h, xb - padX, ya - padY, c) * fx;
                    double bottom = sample(px, image.width(), x0, y0, w, h, xa - padX, yb - padY, c) * (1 - fx)
                            + sample(px, image.width(), x0, y0, w, h, xb - padX, yb - padY, c) * fx;
                    double value = top + (bottom - top) * fy;
                    dst[offset + c * plane + v * INPUT + u] = (float) ((value - MEAN[c]) / 255.0);
                }
            }
        }
        // The network's square: the padding, when before the crop, lies left of / above the box.
        return new double[] {x0 - (double) diff / 2 * (w < h ? 1 : 0), y0 - (double) diff / 2 * (h < w ? 1 : 0), side};
    }

    /** Pixel (cx, cy) of the w×h crop at (x0, y0); black outside it (face-api's square padding). */
    private static double sample(byte[] px, int width, int x0, int y0, int w, int h, int cx, int cy, int c) {
        if (cx < 0 || cy < 0 || cx >= w || cy >= h) {
            return 0;
        }
        return px[((y0 + cy) * width + x0 + cx) * 3 + c] & 0xff;
    }

    /** The network on a normalised N×3×112×112 batch: N×136 fractions of the input square. */
    NDArray forward(NDArray x) {
        NDArray out = x;
        for (int b = 0; b < BLOCKS.length; b++) {
            out = denseBlock(out, BLOCKS[b], b == 0);
        }
        out = Pool.avgPool2d(out, new Shape(7, 7), new Shape(2, 2), new Shape(0, 0), false, true);
        out = out.reshape(out.getShape().get(0), -1);
        return out.matMul(params.get("fc/weights")).add(params.get("fc/bias"));
    }

    private NDArray denseBlock(NDArray x, String name, boolean first) {
        String p = name + "/conv0/";
        NDArray out1 = Activation.relu(first
                ? conv(samePad(x, 3, 2), params.get(p + "filters"), params.get(p + "bias"), 2, 1)
                : separable(x, name + "/conv0/", 2));
        NDArray out2 = separable(out1, name + "/conv1/", 1);
        NDArray sum = out1.add(out2);
        NDArray out3 = separable(Activation.relu(sum), name + "/conv2/", 1);
        sum = sum.add(out3);
        NDArray out4 = separable(Activation.relu(sum), name + "/conv3/", 1);
        return Activation.relu(sum.add(out4));
    }

    /** TensorFlow's separable convolution with "same" padding: depthwise 3×3 (no bias), pointwise 1×1, then the bias. */
    private NDArray separable(NDArray x, String p, int stride) {
        NDArray dw = params.get(p + "depthwise_filter");
        int channels = (int) dw.getShape().get(0);
        NDArray y = conv(samePad(x, 3, stride), dw, null, stride, channels);
        return conv(y, params.get(p + "pointwise_filter"), params.get(p + "bias"), 1, 1);
    }

    private static NDArray conv(NDArray x, NDArray w, NDArray b, int stride, int groups) {
        return Conv2d.conv2d(x, w, b, new Shape(stride, stride), new Shape(0, 0), new Shape(1, 1), groups).head();
    }

    /** TensorFlow "same" zero padding of a square input: the odd pixel goes bottom/right. */
    private static NDArray samePad(NDArray x, int kernel, int stride) {
        long in = x.getShape().get(2);
        long out = (in + stride - 1) / stride;
        long total = Math.max((out - 1) * stride + kernel - in, 0);
        long before = total / 2;
        long after = total - before;
        return x.pad(new Shape(before, after, before, after), 0);
    }

    @Override
    public void close() {
        manager.close();
    }
}
