package io.facestream.gallery.http;

import java.util.zip.CRC32;

/**
 * Walks a JPEG's segments or a PNG's chunks from the signature to the end marker without decoding any pixel, so
 * that a truncated file, a damaged one, and a file with something else after the image (a ZIP, a script, a second
 * file: a polyglot) are refused at the door. The gallery never serves an uploaded file back (crops are re-encoded
 * PNGs), but it does put the bytes on the {@code enrolments} topic for every consumer of that topic to read: only
 * an image, whole and nothing more, goes there.
 */
final class ImageStructure {

    private ImageStructure() {
    }

    /** Returns normally when the bytes are one whole image of this type; else says what is wrong. */
    static void requireWhole(ImageType type, byte[] b) {
        int end = type == ImageType.PNG ? pngEnd(b) : jpegEnd(b);
        for (int i = end; i < b.length; i++) {
            // Some encoders pad the file with zeros after the end marker; that carries nothing.
            if (b[i] != 0) {
                throw new IllegalArgumentException("the " + type + " has " + (b.length - end) + " bytes after its"
                        + " end-of-image marker (at byte " + end + " of " + b.length + "), which no image holds: the file"
                        + " carries something else too (another file appended, e.g. a ZIP or a video); save the photo"
                        + " again as a plain " + type + " (e.g. jpegtran -copy none, or export it from an image editor)");
            }
        }
    }

    /** The offset just past the EOI marker. */
    private static int jpegEnd(byte[] b) {
        int i = 2;
        while (true) {
            if (i + 1 >= b.length) {
                throw truncated("JPEG", "its end-of-image marker");
            }
            if ((b[i] & 0xff) != 0xff) {
                throw damaged("JPEG", "a segment should begin at byte " + i + " but does not");
            }
            int marker = b[i + 1] & 0xff;
            if (marker == 0xff) {
                i++; // fill byte
                continue;
            }
            if (marker == 0xd9) {
                return i + 2;
            }
            if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
                i += 2; // markers without a length
                continue;
            }
            if (i + 3 >= b.length) {
                throw truncated("JPEG", "the segment at byte " + i);
            }
            int length = (b[i + 2] & 0xff) << 8 | (b[i + 3] & 0xff);
            if (length < 2) {
                throw damaged("JPEG", "the segment at byte " + i + " declares a length of " + length);
            }
            int next = i + 2 + length;
            if (next > b.length) {
                throw truncated("JPEG", "the segment at byte " + i + " (" + length + " bytes)");
            }
            i = marker == 0xda ? afterScan(b, next) : next;
        }
    }

    /** The offset of the first marker after a scan's entropy-coded data (which escapes 0xff as 0xff 0x00). */
    private static int afterScan(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) {
            if ((b[i] & 0xff) == 0xff) {
                int next = b[i + 1] & 0xff;
                if (next != 0x00 && next != 0xff && !(next >= 0xd0 && next <= 0xd7)) {
                    return i;
                }
            }
        }
        throw truncated("JPEG", "the end of its image data");
    }

    /** The offset just past the IEND chunk. */
    private static int pngEnd(byte[] b) {
        int i = 8;
        boolean data = false;
        CRC32 crc = new CRC32();
        while (true) {
            if (i + 8 > b.length) {
                throw truncated("PNG", "its IEND chunk");
            }
            long length = (b[i] & 0xffL) << 24 | (b[i + 1] & 0xff) << 16 | (b[i + 2] & 0xff) << 8 | (b[i + 3] & 0xff);
            String type = new String(b, i + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (!type.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
                throw damaged("PNG", "the chunk at byte " + i + " has no chunk type");
            }
            if (i + 12 + length > b.length) {
                throw truncated("PNG", "the " + type + " chunk at byte " + i + " (" + length + " bytes)");
            }
            int dataEnd = i + 8 + (int) length;
            crc.reset();
            crc.update(b, i + 4, 4 + (int) length);
            long stored = (b[dataEnd] & 0xffL) << 24 | (b[dataEnd + 1] & 0xff) << 16 | (b[dataEnd + 2] & 0xff) << 8
                    | (b[dataEnd + 3] & 0xff);
            if (crc.getValue() != stored) {
                throw damaged("PNG", "the checksum of the " + type + " chunk at byte " + i + " is wrong");
            }
            data |= type.equals("IDAT");
            i = dataEnd + 4;
            if (type.equals("IEND")) {
                if (!data) {
                    throw damaged("PNG", "it has no image data (IDAT)");
                }
                return i;
            }
        }
    }

    private static IllegalArgumentException truncated(String type, String what) {
        return new IllegalArgumentException("the " + type + " ends before " + what + ": the file is truncated (an"
                + " interrupted download or copy?); send the whole file");
    }

    private static IllegalArgumentException damaged(String type, String what) {
        return new IllegalArgumentException("the " + type + " is damaged: " + what + "; send an undamaged file");
    }
}
