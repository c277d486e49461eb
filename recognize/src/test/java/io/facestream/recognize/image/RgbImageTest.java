package io.facestream.recognize.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Conversions from and to {@link BufferedImage} give what {@code getRGB} gives, whatever the layout. */
class RgbImageTest {

    /** The reference: one {@code getRGB} per pixel. */
    static byte[] viaGetRgb(BufferedImage img) {
        byte[] out = new byte[img.getWidth() * img.getHeight() * 3];
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int p = img.getRGB(x, y);
                int o = (y * img.getWidth() + x) * 3;
                out[o] = (byte) (p >> 16);
                out[o + 1] = (byte) (p >> 8);
                out[o + 2] = (byte) p;
            }
        }
        return out;
    }

    static BufferedImage noise(int w, int h, int type, long seed) {
        BufferedImage img = new BufferedImage(w, h, type);
        Random r = new Random(seed);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, r.nextInt(1 << 24));
            }
        }
        return img;
    }

    @Test
    void everyColourLayoutGivesTheBytesOfGetRgb() {
        BufferedImage bgr = noise(37, 23, BufferedImage.TYPE_3BYTE_BGR, 1);
        assertArrayEquals(viaGetRgb(bgr), RgbImage.fromBufferedImage(bgr).pixels(), "packed BGR, the fast path");
        BufferedImage sub = bgr.getSubimage(5, 3, 20, 11);
        assertArrayEquals(viaGetRgb(sub), RgbImage.fromBufferedImage(sub).pixels(), "a BGR sub-image, offsets kept");
        BufferedImage argb = noise(8, 8, BufferedImage.TYPE_INT_ARGB, 3);
        assertArrayEquals(viaGetRgb(argb), RgbImage.fromBufferedImage(argb).pixels());
    }

    @Test
    void decodingAJpegGivesImageIosPixelsInRgbOrder() throws Exception {
        BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                img.setRGB(x, y, (x * 4) << 16 | (y * 5) << 8 | ((x + y) * 2));
            }
        }
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(img, "jpeg", jpeg);
        BufferedImage reference = ImageIO.read(new ByteArrayInputStream(jpeg.toByteArray()));
        RgbImage decoded = RgbImage.decode(jpeg.toByteArray(), "test");
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                int p = reference.getRGB(x, y);
                assertEquals((p >> 16) & 255, decoded.get(x, y, 0));
                assertEquals((p >> 8) & 255, decoded.get(x, y, 1));
                assertEquals(p & 255, decoded.get(x, y, 2));
            }
        }
        IOException e = assertThrows(IOException.class,
                () -> RgbImage.decode(new byte[] {1, 2, 3}, "three bytes"));
        assertTrue(e.getMessage().startsWith("three bytes"), e.getMessage());
    }

    @Test
    void aJpegCutShortIsRefusedWhereImageIoWouldFillItWithGrey() throws IOException {
        BufferedImage img = noise(96, 64, BufferedImage.TYPE_3BYTE_BGR, 9);
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(img, "jpeg", jpeg);
        byte[] whole = jpeg.toByteArray();
        byte[] half = Arrays.copyOf(whole, whole.length / 2);
        // ImageIO itself gives a picture of the right size for the half file.
        assertEquals(96, ImageIO.read(new ByteArrayInputStream(half)).getWidth());
        IOException e = assertThrows(IOException.class, () -> RgbImage.decode(half, "frame cam1 #7"));
        assertTrue(e.getMessage().startsWith("frame cam1 #7: truncated image, the data ends before the picture does ("),
                e.getMessage());
        assertEquals(96, RgbImage.decode(whole, "whole").width());
    }

    @Test
    void toBufferedImageAndBackIsTheSameImage() {
        RgbImage image = RgbImage.fromBufferedImage(noise(31, 17, BufferedImage.TYPE_3BYTE_BGR, 4));
        BufferedImage img = image.toBufferedImage();
        assertEquals(BufferedImage.TYPE_INT_RGB, img.getType());
        assertArrayEquals(image.pixels(), viaGetRgb(img));
        assertArrayEquals(image.pixels(), RgbImage.fromBufferedImage(img).pixels());
    }

    @Test
    void mirroredPartIsThatPartOfTheMirrorImage() {
        Random r = new Random(5);
        byte[] px = new byte[7 * 5 * 3];
        r.nextBytes(px);
        RgbImage image = new RgbImage(7, 5, px);
        RgbImage whole = image.flipHorizontal();
        // the whole mirror, pixel by pixel
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 7; x++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(image.get(6 - x, y, c), whole.get(x, y, c));
                }
            }
        }
        // columns 2..5, rows 1..3 mirrored: column x of the part is column 5 - x of the image
        RgbImage part = image.mirroredPart(2, 1, 4, 3);
        assertEquals(4, part.width());
        assertEquals(3, part.height());
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 4; x++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(image.get(5 - x, 1 + y, c), part.get(x, y, c));
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> image.mirroredPart(5, 0, 3, 5));
    }

    @Test
    void aGreySampleIsTakenAsItIsNotThroughJavasLinearGreyCurve() throws Exception {
        BufferedImage grey = new BufferedImage(4, 2, BufferedImage.TYPE_BYTE_GRAY);
        int[] levels = {0, 2, 10, 50, 114, 150, 200, 255};
        for (int i = 0; i < levels.length; i++) {
            grey.getRaster().setSample(i % 4, i / 4, 0, levels[i]);
        }
        // getRGB would give 0, 22, 56, 122, 178, 202, 229, 255: Java's grey is linear, and a dark face turns lit.
        byte[] px = RgbImage.fromBufferedImage(grey).pixels();
        for (int i = 0; i < levels.length; i++) {
            for (int c = 0; c < 3; c++) {
                assertEquals(levels[i], px[3 * i + c] & 0xff, "level " + levels[i] + ", channel " + c);
            }
        }
        // The same through a grey PNG file, as a grey data set's photos are read.
        java.nio.file.Path file = java.nio.file.Files.createTempFile("grey", ".png");
        try {
            javax.imageio.ImageIO.write(grey, "png", file.toFile());
            byte[] read = RgbImage.read(file).pixels();
            assertEquals(10, read[3 * 2] & 0xff);
            assertEquals(50, read[3 * 3 + 1] & 0xff);
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
        BufferedImage wide = new BufferedImage(1, 1, BufferedImage.TYPE_USHORT_GRAY);
        wide.getRaster().setSample(0, 0, 0, 50 * 257);
        assertEquals(50, RgbImage.fromBufferedImage(wide).pixels()[0] & 0xff);
    }
}
