package io.facestream.recognize.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * A decoded 8-bit RGB image, row-major, interleaved (H×W×3), the layout every decoder gives.
 * Immutable by convention: the pixel array is not copied on access for speed, so never write to it.
 */
public record RgbImage(int width, int height, byte[] pixels) {

    public RgbImage {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, was " + width + "x" + height);
        }
        if (pixels.length != width * height * 3) {
            throw new IllegalArgumentException("a " + width + "x" + height + " RGB image needs " + (width * height * 3)
                    + " bytes, got " + pixels.length);
        }
    }

    /** Channel {@code c} (0 = R) of the pixel at column {@code x}, row {@code y}, as 0..255. */
    public int get(int x, int y, int c) {
        return pixels[(y * width + x) * 3 + c] & 0xff;
    }

    /** Decodes a JPEG, PNG, BMP or GIF file; the message names the file and what went wrong. */
    public static RgbImage read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such file");
        }
        return decode(Files.readAllBytes(file), file.toString());
    }

    /** Decodes encoded image bytes; {@code source} names them in the error message. */
    public static RgbImage decode(byte[] encoded, String source) throws IOException {
        BufferedImage img;
        try {
            img = ImageIO.read(new ByteArrayInputStream(encoded));
        } catch (IOException | RuntimeException e) {
            throw new IOException(source + ": not a readable image (" + e.getMessage() + ")", e);
        }
        if (img == null) {
            throw new IOException(source + ": not an image in a supported format (JPEG, PNG, BMP, GIF)");
        }
        return fromBufferedImage(img);
    }

    /** Converts any {@link BufferedImage} (grey, RGB, ARGB, indexed) to RGB bytes. */
    public static RgbImage fromBufferedImage(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] px = new byte[w * h * 3];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = row[x];
                int o = (y * w + x) * 3;
                px[o] = (byte) (p >> 16);
                px[o + 1] = (byte) (p >> 8);
                px[o + 2] = (byte) p;
            }
        }
        return new RgbImage(w, h, px);
    }

    /** An RGB {@link BufferedImage} copy, for drawing and encoding. */
    public BufferedImage toBufferedImage() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int o = (y * width + x) * 3;
                row[x] = ((pixels[o] & 0xff) << 16) | ((pixels[o + 1] & 0xff) << 8) | (pixels[o + 2] & 0xff);
            }
            img.setRGB(0, y, width, 1, row, 0, width);
        }
        return img;
    }

    /** The mirror image (left ↔ right). */
    public RgbImage flipHorizontal() {
        byte[] out = new byte[pixels.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int s = (y * width + x) * 3;
                int d = (y * width + (width - 1 - x)) * 3;
                out[d] = pixels[s];
                out[d + 1] = pixels[s + 1];
                out[d + 2] = pixels[s + 2];
            }
        }
        return new RgbImage(width, height, out);
    }
}
