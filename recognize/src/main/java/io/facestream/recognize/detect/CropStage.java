package io.facestream.recognize.detect;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.facestream.recognize.image.AreaResizer;
import java.util.List;

/** Crops boxes out of their images (README §6 "Crop") and runs R-Net or O-Net on all of them in batches. */
final class CropStage {

    private CropStage() {
    }

    /** A box and the index of the image it belongs to. */
    record Item(int image, Candidate box) {
    }

    /** The network outputs for all items, row-major per item; {@code landmarks} is null for R-Net. */
    record Outputs(float[] logits, float[] prob, float[] reg, float[] landmarks) {
    }

    /**
     * True when the integer box spans at least one pixel; regression can invert a box, and such a box
     * has no crop.
     */
    static boolean croppable(Candidate c) {
        return c.x2 >= c.x1 && c.y2 >= c.y1;
    }

    /**
     * Runs {@code net} on the {@code size}×{@code size} crops of all items, at most {@code batch} per forward,
     * adding the time spent cropping to {@code cropStage} and in the network to {@code netStage}.
     */
    static Outputs run(Block net, List<AreaResizer> images, List<Item> items, int size, int batch, NDManager m,
            boolean landmarks, DetectionTimes times, DetectionTimes.Stage cropStage, DetectionTimes.Stage netStage) {
        long t = System.nanoTime();
        int n = items.size();
        float[] logits = new float[n * 2];
        float[] prob = new float[n * 2];
        float[] reg = new float[n * 4];
        float[] lm = landmarks ? new float[n * 10] : null;
        int per = 3 * size * size;
        for (int start = 0; start < n; start += batch) {
            int count = Math.min(batch, n - start);
            float[] in = new float[count * per];
            for (int k = 0; k < count; k++) {
                Item it = items.get(start + k);
                Candidate c = it.box();
                // 1-based boxes: patch pixel (r, c) is image pixel (y1 − 1 + r, x1 − 1 + c); outside is 0.
                images.get(it.image()).resize((int) c.x1 - 1, (int) c.y1 - 1, (int) (c.x2 - c.x1) + 1,
                        (int) (c.y2 - c.y1) + 1, size, size, MtcnnDetector.PIXEL_OFFSET, MtcnnDetector.PIXEL_SCALE,
                        in, k * per);
            }
            t = times.lap(cropStage, t);
            try (NDManager sub = m.newSubManager()) {
                NDList out = net.forward(new ParameterStore(sub, false),
                        new NDList(sub.create(in, new Shape(count, 3, size, size))), false);
                System.arraycopy(out.get(0).toFloatArray(), 0, logits, start * 2, count * 2);
                System.arraycopy(out.get(1).toFloatArray(), 0, prob, start * 2, count * 2);
                System.arraycopy(out.get(2).toFloatArray(), 0, reg, start * 4, count * 4);
                if (landmarks) {
                    System.arraycopy(out.get(3).toFloatArray(), 0, lm, start * 10, count * 10);
                }
            }
            t = times.lap(netStage, t);
        }
        return new Outputs(logits, prob, reg, lm);
    }
}
