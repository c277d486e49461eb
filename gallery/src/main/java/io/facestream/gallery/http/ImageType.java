package io.facestream.gallery.http;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The image formats an enrolment accepts, told by their first bytes (the client's content type is not
 * trusted: curl sends form encoding for a file), and their pixel size read from the header, so that a
 * truncated file or an absurd size is refused before it reaches the recognize job.
 */
enum ImageType {
    JPEG,
    PNG;

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    /** Width and height in pixels. */
    record Size(int width, int height) {
    }

    /** The format the bytes begin with, empty when neither. */
    static Optional<ImageType> sniff(byte[] b) {
        if (b.length >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff) {
            return Optional.of(JPEG);
        }
        if (b.length >= PNG_SIGNATURE.length) {
            for (int i = 0; i < PNG_SIGNATURE.length; i++) {
                if (b[i] != PNG_SIGNATURE[i]) {
                    return Optional.empty();
                }
            }
            return Optional.of(PNG);
        }
        return Optional.empty();
    }

    /** The image's size from its header; an {@link IllegalArgumentException} saying why when it has none. */
    Size size(byte[] b) {
        return this == PNG ? pngSize(b) : jpegSize(b);
    }

    private static Size pngSize(byte[] b) {
        // The first chunk is IHDR: length (4), type (4), width (4), height (4).
        if (b.length < 24 || !"IHDR".equals(new String(b, 12, 4, StandardCharsets.US_ASCII))) {
            throw new IllegalArgumentException("the PNG has no image header (IHDR); the file is truncated or damaged");
        }
        return new Size(int32(b, 16), int32(b, 20));
    }

    private static Size jpegSize(byte[] b) {
        int i = 2;
        while (i + 3 < b.length) {
            if ((b[i] & 0xff) != 0xff) {
                break;
            }
            int marker = b[i + 1] & 0xff;
            if (marker == 0xff) {
                i++; // fill byte
                continue;
            }
            if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
                i += 2; // markers without a length
                continue;
            }
            if (marker == 0xd9 || marker == 0xda) {
                break; // end of image or start of scan before any frame header
            }
            int length = uint16(b, i + 2);
            boolean frame = marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
            if (frame) {
                if (i + 9 > b.length) {
                    break;
                }
                return new Size(uint16(b, i + 7), uint16(b, i + 5));
            }
            i += 2 + length;
        }
        throw new IllegalArgumentException("the JPEG has no frame header with its size; the file is truncated or damaged");
    }

    /** How the start of a body that is no image reads, for the error message: text as text, else hex. */
    static String describeStart(byte[] b) {
        int n = Math.min(b.length, 16);
        boolean text = true;
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xff;
            text &= c >= 0x20 && c < 0x7f || c == '\n' || c == '\r' || c == '\t';
        }
        if (text) {
            return "\"" + new String(b, 0, n, StandardCharsets.US_ASCII).replaceAll("\\s+", " ") + (b.length > n ? "..." : "")
                    + "\" (text)";
        }
        return "bytes " + HexFormat.ofDelimiter(" ").formatHex(b, 0, n) + (b.length > n ? " ..." : "");
    }

    private static int uint16(byte[] b, int i) {
        return (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
    }

    private static int int32(byte[] b, int i) {
        return (b[i] & 0xff) << 24 | (b[i + 1] & 0xff) << 16 | (b[i + 2] & 0xff) << 8 | (b[i + 3] & 0xff);
    }
}
