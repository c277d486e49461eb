package io.facestream.train.general;

import io.facestream.core.BoundingBox;
import io.facestream.recognize.image.RgbImage;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * A face cut out of a frame with its surroundings, the way LFW's images show a face: a square centred on
 * the detector's box, {@value #SCALE} times its larger side, scaled to {@value #SIZE}×{@value #SIZE} px,
 * black where it reaches beyond the frame. Written like this, a general-set image goes through the same
 * detection and alignment as an LFW or Yale B image ({@code evaluate}, the trainer's gate).
 */
public final class ContextCrop {

    /** Side of the written image, LFW's. */
    public static final int SIZE = 250;
    /**
     * Crop side over the box's side: LFW's 250 px images hold an MTCNN box of about 100–115 px, so the
     * face and its margin keep LFW's proportions.
     */
    public static final double SCALE = 2.2;

    private ContextCrop() {
    }

    /** The crop of {@code box} in {@code frame}. */
    public static BufferedImage of(RgbImage frame, BoundingBox box) {
        return of(frame.toBufferedImage(), box);
    }

    /** The crop of {@code box} in {@code frame} (convert a frame once when it has several faces). */
    public static BufferedImage of(BufferedImage frame, BoundingBox box) {
        double side = SCALE * Math.max(box.width(), box.height());
        double cx = (box.x1() + box.x2()) / 2;
        double cy = (box.y1() + box.y2()) / 2;
        double x0 = cx - side / 2;
        double y0 = cy - side / 2;
        double scale = SIZE / side;
        BufferedImage out = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.BLACK);
            g.fillRect(0, 0, SIZE, SIZE);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.scale(scale, scale);
            g.translate(-x0, -y0);
            g.drawImage(frame, 0, 0, null);
        } finally {
            g.dispose();
        }
        return out;
    }
}
