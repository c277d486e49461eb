package io.facestream.recognize.job;

import io.facestream.recognize.align.FaceCrop;
import io.facestream.recognize.image.RgbImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * Encodes aligned face crops for the gallery as PNG: lossless, because the crops are what the gallery
 * re-embeds when a new model is published, and deterministic, so that the same photo gives the same bytes.
 */
public final class CropPng {

    private CropPng() {
    }

    /** The crop as PNG bytes, each value rounded and clamped to 0..255. */
    public static byte[] encode(FaceCrop crop) {
        int n = crop.size();
        BufferedImage img = new BufferedImage(n, n, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                img.setRGB(x, y, (channel(crop, 0, y, x) << 16) | (channel(crop, 1, y, x) << 8) | channel(crop, 2, y, x));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, "png", out)) {
                throw new IllegalStateException("no PNG writer in this JVM");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode a " + n + "x" + n + " face crop as PNG", e);
        }
        return out.toByteArray();
    }

    /**
     * A crop back from its PNG bytes: planar CHW values 0..255, the layout the embedders take. The pixels are read as
     * every image is ({@link RgbImage#fromBufferedImage}), so a grey PNG keeps its samples.
     */
    public static FaceCrop decode(byte[] png) {
        BufferedImage img;
        try {
            img = ImageIO.read(new ByteArrayInputStream(png));
        } catch (IOException e) {
            throw new UncheckedIOException("a gallery crop is not a readable PNG: " + e.getMessage(), e);
        }
        if (img == null || img.getWidth() != img.getHeight()) {
            throw new IllegalArgumentException("a gallery crop must be a square PNG, was "
                    + (img == null ? "no image" : img.getWidth() + "x" + img.getHeight()));
        }
        int n = img.getWidth();
        byte[] rgb = RgbImage.fromBufferedImage(img).pixels();
        int plane = n * n;
        float[] chw = new float[3 * plane];
        for (int i = 0; i < plane; i++) {
            chw[i] = rgb[3 * i] & 0xff;
            chw[plane + i] = rgb[3 * i + 1] & 0xff;
            chw[2 * plane + i] = rgb[3 * i + 2] & 0xff;
        }
        return new FaceCrop(n, chw);
    }

    private static int channel(FaceCrop crop, int c, int y, int x) {
        return (int) Math.max(0, Math.min(255, Math.round(crop.get(c, y, x))));
    }
}
