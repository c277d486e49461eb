package io.facestream.ingest;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Encodes pictures as baseline JPEG with the JDK's ImageIO at a fixed quality; one per thread. The output is buffered
 * in memory: {@code ImageIO.createImageOutputStream} would, with ImageIO's default cache setting, write every frame
 * to a temporary file and delete it again (about 0.7 ms more CPU a 640x360 frame, and disk I/O on a busy machine).
 */
public final class JpegEncoder implements AutoCloseable {

    /** Quality 90 keeps faces' detail for recognition at about a tenth of the raw size. */
    public static final int DEFAULT_QUALITY = 90;

    private final int quality;
    private final ImageWriter writer;
    private final ImageWriteParam param;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256 * 1024);

    /** An encoder at {@code quality} from 1 (smallest) to 100 (best). */
    public JpegEncoder(int quality) {
        if (quality < 1 || quality > 100) {
            throw new IllegalArgumentException("JPEG quality must be 1-100, was " + quality + "; "
                    + DEFAULT_QUALITY + " is a good default");
        }
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        if (!writers.hasNext()) {
            throw new IllegalStateException("this JDK has no ImageIO JPEG writer; use a full JDK, not a stripped "
                    + "runtime without the java.desktop module");
        }
        this.quality = quality;
        this.writer = writers.next();
        this.param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality / 100f);
    }

    /** The JPEG bytes of the picture. */
    public byte[] encode(BufferedImage image) {
        buffer.reset();
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(buffer)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode a " + image.getWidth() + "x" + image.getHeight()
                    + " picture as JPEG: " + e.getMessage(), e);
        } finally {
            writer.setOutput(null);
        }
        return buffer.toByteArray();
    }

    /** The quality, 1-100. */
    public int quality() {
        return quality;
    }

    @Override
    public void close() {
        writer.dispose();
    }
}
