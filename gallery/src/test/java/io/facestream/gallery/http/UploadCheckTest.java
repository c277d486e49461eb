package io.facestream.gallery.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Uploads judged from their bytes alone: whole images pass, truncated, damaged, polyglot and bomb files do not. */
class UploadCheckTest {

    private static final long PIXELS = 40_000_000L;

    @Test
    void wholeJpegsAndPngsPass() throws Exception {
        for (String format : new String[] {"jpg", "png"}) {
            byte[] image = encode(format, 200, 120);
            UploadCheck.Photo photo = UploadCheck.inspect(image, PIXELS);
            assertEquals(new ImageType.Size(200, 120), photo.size(), format);
            // Zeros some encoders pad with after the end marker carry nothing and are let through.
            UploadCheck.inspect(Arrays.copyOf(image, image.length + 16), PIXELS);
        }
    }

    @Test
    void truncatedImagesAreRefusedEvenWithTheirHeaderWhole() throws Exception {
        byte[] jpeg = encode("jpg", 200, 120);
        // Cut inside the image data: the header (and its size) is whole, the picture is not.
        refused(Arrays.copyOf(jpeg, jpeg.length - 40), 422, "JPEG ends before", "truncated");
        byte[] png = encode("png", 200, 120);
        refused(Arrays.copyOf(png, png.length - 20), 422, "PNG ends before", "truncated");
        byte[] flipped = png.clone();
        flipped[50] ^= 0x55; // inside IDAT: its checksum no longer matches
        refused(flipped, 422, "checksum", "damaged");
    }

    @Test
    void polyglotsAreRefused() throws Exception {
        byte[] jpeg = encode("jpg", 200, 120);
        // A JPEG that is also a ZIP: zip readers look for the directory at the end of the file.
        byte[] jpegZip = concat(jpeg, zip("payload.html", "<html><script>alert(1)</script></html>"));
        refused(jpegZip, 422, "after its end-of-image marker", "plain JPEG");
        byte[] pngHtml = concat(encode("png", 64, 64), "<html><body>hi</body></html>".getBytes(StandardCharsets.US_ASCII));
        refused(pngHtml, 422, "after its end-of-image marker", "plain PNG");
        // A PNG signature and header, then an HTML page where the chunks should be.
        byte[] header = Arrays.copyOf(encode("png", 64, 64), 33);
        refused(concat(header, "<!doctype html><html><body>not a picture</body></html>"
                .getBytes(StandardCharsets.US_ASCII)), 422, "PNG ends before", "truncated");
        // HTML behind a JPEG's first three bytes: a magic-bytes check alone would take it.
        byte[] fakeJpeg = concat(new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff},
                "<html><script>alert(1)</script></html>".getBytes(StandardCharsets.US_ASCII));
        assertEquals(422, assertThrows(ApiError.class, () -> UploadCheck.inspect(fakeJpeg, PIXELS)).status());
    }

    @Test
    void aSmallPngDeclaringFiftyThousandSquaredPixelsIsRefusedFromItsHeader() {
        byte[] bomb = bombPng(50_000, 50_000);
        assertTrue(bomb.length < 200, "the whole file is " + bomb.length + " bytes");
        refused(bomb, 422, "declares 50000x50000 px (2500.0 megapixels)", "limit is 40.0 megapixels");
        // Under the longest side allowed but over the pixel count.
        refused(bombPng(8000, 8000), 422, "64.0 megapixels");
    }

    @Test
    void otherBodiesAreRefusedWithTheirOwnStatus() {
        assertEquals(400, assertThrows(ApiError.class, () -> UploadCheck.inspect(new byte[0], PIXELS)).status());
        refused("GIF89a....".getBytes(StandardCharsets.US_ASCII), 415, "not a JPEG or PNG");
        refused(bombPng(10, 10), 422, "at least 20 px");
    }

    private static void refused(byte[] body, int status, String... phrases) {
        ApiError e = assertThrows(ApiError.class, () -> UploadCheck.inspect(body, PIXELS));
        assertEquals(status, e.status(), e.getMessage());
        for (String p : phrases) {
            assertTrue(e.getMessage().contains(p), "\"" + p + "\" in " + e.getMessage());
        }
    }

    /** A valid PNG whose header declares this size, with one tiny compressed row of data and an end: ~70 bytes. */
    static byte[] bombPng(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        java.util.zip.Deflater d = new java.util.zip.Deflater();
        d.setInput(new byte[4096]);
        d.finish();
        byte[] z = new byte[256];
        int n = d.deflate(z);
        chunk(out, "IDAT", Arrays.copyOf(z, n));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static byte[] zip(String name, String text) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry(name));
            z.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static byte[] encode(String format, int width, int height) throws Exception {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.setRGB(x, y, (x * 7 + y * 13) * 0x010203);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, format, out), format);
        return out.toByteArray();
    }
}
