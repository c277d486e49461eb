package io.facestream.recognize.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.PixelInterleavedSampleModel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

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

    /**
     * Decodes encoded image bytes; {@code source} names them in the error message. The bytes are read from memory:
     * {@code ImageIO.read(InputStream)} would, with ImageIO's default cache setting, copy every frame to a temporary
     * file first. A truncated file is refused: ImageIO decodes what is there and fills the rest with grey, warning
     * only to listeners, and a frame cut short would otherwise be searched for faces as if it were whole.
     */
    public static RgbImage decode(byte[] encoded, String source) throws IOException {
        BufferedImage img;
        List<String> cutShort = new ArrayList<>();
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(encoded))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IOException(source + ": not an image in a supported format (JPEG, PNG, BMP, GIF)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                reader.addIIOReadWarningListener((r, warning) -> {
                    if (isTruncation(warning)) {
                        cutShort.add(warning);
                    }
                });
                img = reader.read(0, reader.getDefaultReadParam());
            } catch (IOException | RuntimeException e) {
                throw new IOException(source + ": not a readable image (" + e.getMessage() + ")", e);
            } finally {
                reader.dispose();
            }
        }
        if (!cutShort.isEmpty()) {
            throw new IOException(source + ": truncated image, the data ends before the picture does ("
                    + String.join("; ", cutShort) + "); copy or encode it again");
        }
        return fromBufferedImage(img);
    }

    /** Whether a decoder warning says the data ended early (the JPEG reader's words for a cut-off file). */
    private static boolean isTruncation(String warning) {
        String w = warning.toLowerCase(Locale.ROOT);
        return w.contains("truncated") || w.contains("premature end");
    }

    /** Converts any {@link BufferedImage} (grey, RGB, ARGB, indexed) to RGB bytes; a grey sample v becomes (v, v, v). */
    public static RgbImage fromBufferedImage(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] bgr = packedBgr(img);
        if (bgr != null) {
            // What JPEG decoders and FFmpeg's converter give: the same bytes getRGB would, without a
            // colour-model call per pixel (ten times faster on a video frame).
            int offset = ((DataBufferByte) img.getRaster().getDataBuffer()).getOffset();
            byte[] px = new byte[w * h * 3];
            for (int i = 0; i < px.length; i += 3) {
                px[i] = bgr[offset + i + 2];
                px[i + 1] = bgr[offset + i + 1];
                px[i + 2] = bgr[offset + i];
            }
            return new RgbImage(w, h, px);
        }
        if (img.getType() == BufferedImage.TYPE_BYTE_GRAY || img.getType() == BufferedImage.TYPE_USHORT_GRAY) {
            return fromGrey(img);
        }
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

    /**
     * A grey image's samples as R = G = B. A grey JPEG or PNG holds values coded like any colour image's (as OpenCV and
     * PIL read them), but Java's grey colour model is linear, and {@code getRGB} would pass every sample through the
     * sRGB curve: 10 becomes 56, 50 becomes 122, a dark face a lit one. Sixteen-bit samples keep their high byte.
     */
    private static RgbImage fromGrey(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        java.awt.image.Raster raster = img.getRaster();
        int shift = img.getType() == BufferedImage.TYPE_USHORT_GRAY ? 8 : 0;
        byte[] px = new byte[w * h * 3];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            raster.getSamples(0, y, w, 1, 0, row);
            for (int x = 0; x < w; x++) {
                byte v = (byte) (row[x] >> shift);
                int o = (y * w + x) * 3;
                px[o] = v;
                px[o + 1] = v;
                px[o + 2] = v;
            }
        }
        return new RgbImage(w, h, px);
    }

    /**
     * The pixel bytes of a {@code TYPE_3BYTE_BGR} image laid out as one packed block (no sub-image, no row
     * padding), or null for any other layout.
     */
    private static byte[] packedBgr(BufferedImage img) {
        if (img.getType() != BufferedImage.TYPE_3BYTE_BGR
                || !(img.getRaster().getDataBuffer() instanceof DataBufferByte buffer)
                || !(img.getRaster().getSampleModel() instanceof PixelInterleavedSampleModel model)
                || img.getRaster().getSampleModelTranslateX() != 0 || img.getRaster().getSampleModelTranslateY() != 0
                || model.getPixelStride() != 3 || model.getScanlineStride() != 3 * img.getWidth()
                || !Arrays.equals(model.getBandOffsets(), new int[] {2, 1, 0})) {
            return null;
        }
        return buffer.getData();
    }

    /** An RGB {@link BufferedImage} copy, for drawing and encoding. */
    public BufferedImage toBufferedImage() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] data = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
        for (int i = 0, o = 0; i < data.length; i++, o += 3) {
            data[i] = ((pixels[o] & 0xff) << 16) | ((pixels[o + 1] & 0xff) << 8) | (pixels[o + 2] & 0xff);
        }
        return img;
    }

    /** The mirror image (left ↔ right). */
    public RgbImage flipHorizontal() {
        return mirroredPart(0, 0, width, height);
    }

    /** The w×h part at (x0, y0), mirrored left to right. */
    public RgbImage mirroredPart(int x0, int y0, int w, int h) {
        if (x0 < 0 || y0 < 0 || w < 1 || h < 1 || x0 + w > width || y0 + h > height) {
            throw new IllegalArgumentException("the part " + w + "x" + h + " at (" + x0 + ", " + y0 + ") is not inside the "
                    + width + "x" + height + " image");
        }
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            int row = ((y0 + y) * width + x0) * 3;
            for (int x = 0; x < w; x++) {
                int s = row + (w - 1 - x) * 3;
                int d = (y * w + x) * 3;
                out[d] = pixels[s];
                out[d + 1] = pixels[s + 1];
                out[d + 2] = pixels[s + 2];
            }
        }
        return new RgbImage(w, h, out);
    }
}
