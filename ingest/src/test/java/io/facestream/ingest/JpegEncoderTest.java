package io.facestream.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;

/** The ingest's JPEG: the bytes ImageIO writes through its own streams, at the chosen quality, from memory. */
class JpegEncoderTest {

    @Test
    void aVideoFrameEncodesToTheBytesOfImageIosOwnStreamsAndDecodesClose() throws Exception {
        BufferedImage frame;
        try (GrabberFrameSource source = GrabberFrameSource.open(
                SourceSpec.parse(SharedVideos.video(SharedVideos.TEARS_640).toString()), false, false,
                Duration.ofSeconds(10))) {
            for (int i = 0; i < 30; i++) {
                source.next();
            }
            BufferedImage f = source.next().orElseThrow().image();
            frame = new BufferedImage(f.getWidth(), f.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
            frame.setData(f.getRaster());
        }
        byte[] ours;
        try (JpegEncoder encoder = new JpegEncoder(JpegEncoder.DEFAULT_QUALITY)) {
            ours = encoder.encode(frame);
            assertArrayEquals(ours, encoder.encode(frame), "the encoder is reused frame after frame");
        }
        assertArrayEquals(imageIo(frame, JpegEncoder.DEFAULT_QUALITY), ours);

        BufferedImage back = ImageIO.read(new ByteArrayInputStream(ours));
        assertEquals(frame.getWidth(), back.getWidth());
        double se = 0;
        long n = 0;
        for (int y = 0; y < frame.getHeight(); y += 2) {
            for (int x = 0; x < frame.getWidth(); x += 2) {
                int a = frame.getRGB(x, y);
                int b = back.getRGB(x, y);
                for (int s = 0; s < 24; s += 8) {
                    int d = ((a >> s) & 255) - ((b >> s) & 255);
                    se += d * d;
                    n++;
                }
            }
        }
        double psnr = 10 * Math.log10(255.0 * 255 / (se / n));
        assertTrue(psnr > 35, "quality 90 keeps the picture: PSNR " + psnr + " dB");
    }

    /** What ImageIO writes through {@link ImageIO#createImageOutputStream} (a temporary file by default). */
    private static byte[] imageIo(BufferedImage image, int quality) throws Exception {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality / 100f);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
