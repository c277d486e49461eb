package io.facestream.gallery.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Telling JPEG and PNG from their bytes, and their size from their headers, as encoded by the JDK. */
class ImageTypeTest {

    @Test
    void jpegAndPngAreToldByTheirBytesWithTheirSize() throws Exception {
        byte[] jpeg = encode("jpg", 321, 123);
        byte[] png = encode("png", 64, 48);
        assertEquals(Optional.of(ImageType.JPEG), ImageType.sniff(jpeg));
        assertEquals(new ImageType.Size(321, 123), ImageType.JPEG.size(jpeg));
        assertEquals(Optional.of(ImageType.PNG), ImageType.sniff(png));
        assertEquals(new ImageType.Size(64, 48), ImageType.PNG.size(png));
    }

    @Test
    void textAndOtherFormatsAreNoImage() throws Exception {
        byte[] text = "id,name\n1,ada\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals(Optional.empty(), ImageType.sniff(text));
        assertEquals(Optional.empty(), ImageType.sniff(encode("gif", 10, 10)));
        assertEquals(Optional.empty(), ImageType.sniff(new byte[0]));
        assertEquals("\"id,name 1,ada \" (text)", ImageType.describeStart(text));
        String gif = ImageType.describeStart(encode("gif", 10, 10));
        assertTrue(gif.startsWith("bytes 47 49 46 38 39 61 0a 00") && gif.endsWith(" ..."), gif);
    }

    @Test
    void aTruncatedImageHasNoSize() throws Exception {
        byte[] jpeg = encode("jpg", 100, 100);
        byte[] head = Arrays.copyOf(jpeg, 20); // the JFIF segment, not the frame header
        assertEquals(Optional.of(ImageType.JPEG), ImageType.sniff(head));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ImageType.JPEG.size(head)).getMessage()
                .contains("truncated"));
        byte[] png = Arrays.copyOf(encode("png", 10, 10), 12);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ImageType.PNG.size(png)).getMessage()
                .contains("IHDR"));
    }

    private static byte[] encode(String format, int width, int height) throws Exception {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        img.setRGB(width / 2, height / 2, 0xff8800);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, format, out), format);
        return out.toByteArray();
    }
}
