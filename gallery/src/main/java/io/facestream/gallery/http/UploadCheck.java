package io.facestream.gallery.http;

import java.util.Locale;

/**
 * Whether an uploaded body is a photo the gallery takes, judged from its bytes alone and before anything decodes
 * it: the format by its magic bytes (never the client's content type), the pixel size and count by its header (a
 * small file may declare a huge image: a decompression bomb for whoever decodes it), and the whole file by its
 * structure ({@link ImageStructure}). Each refusal is an {@link ApiError} with a 4xx and the reason.
 */
final class UploadCheck {

    private UploadCheck() {
    }

    /** An accepted photo's format and size. */
    record Photo(ImageType type, ImageType.Size size) {
    }

    /**
     * The photo in {@code image}, or an {@link ApiError}: 400 for no body, 415 for a body that is no JPEG or PNG,
     * 422 for a truncated, damaged, too small, too large or polyglot image.
     */
    static Photo inspect(byte[] image, long maxPixels) {
        if (image.length == 0) {
            throw ApiError.badRequest("the request has no body; send the photo's bytes (JPEG or PNG) as the body, e.g."
                    + " curl --data-binary @face.jpg");
        }
        ImageType type = ImageType.sniff(image).orElseThrow(() -> new ApiError(415, "the body is not a JPEG or PNG"
                + " image: it begins with " + ImageType.describeStart(image) + "; send a photo's bytes as the body"));
        ImageType.Size size;
        try {
            size = type.size(image);
        } catch (IllegalArgumentException e) {
            throw new ApiError(422, e.getMessage());
        }
        // Checked before the rest of the file is looked at: the header alone says how much memory decoding would take.
        long pixels = (long) size.width() * size.height();
        if (size.width() < 1 || size.height() < 1) {
            throw new ApiError(422, "the " + type + " declares " + size.width() + "x" + size.height() + " px, which is no"
                    + " image; the file is damaged");
        }
        if (Math.min(size.width(), size.height()) < ApiLimits.MIN_IMAGE_SIDE) {
            throw new ApiError(422, "the " + type + " is " + size.width() + "x" + size.height() + " px; a face needs at"
                    + " least " + ApiLimits.MIN_IMAGE_SIDE + " px on each side");
        }
        if (pixels > maxPixels || Math.max(size.width(), size.height()) > ApiLimits.MAX_IMAGE_SIDE) {
            throw new ApiError(422, "the " + type + " declares " + size.width() + "x" + size.height() + " px ("
                    + megapixels(pixels) + "); the limit is " + megapixels(maxPixels) + " and " + ApiLimits.MAX_IMAGE_SIDE
                    + " px on the longer side: resize it (a face needs no more than 1000 px)");
        }
        try {
            ImageStructure.requireWhole(type, image);
        } catch (IllegalArgumentException e) {
            throw new ApiError(422, e.getMessage());
        }
        return new Photo(type, size);
    }

    private static String megapixels(long pixels) {
        return String.format(Locale.ROOT, "%.1f megapixels", pixels / 1e6);
    }
}
