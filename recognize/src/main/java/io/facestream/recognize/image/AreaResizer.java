package io.facestream.recognize.image;

/**
 * Exact area resizing of an {@link RgbImage} (adaptive average pooling, torch {@code interpolate(mode='area')}).
 *
 * <p>Per axis, output index {@code i} of {@code n_out} averages the source indices
 * {@code [floor(i·n_in/n_out), ceil((i+1)·n_in/n_out))}; in 2-D the value is the mean over that rectangle.
 * Rectangle sums come from a summed-area table built once per image, so every pyramid level and every
 * crop costs four look-ups per output value whatever the scale. The sums are integers and the mean is
 * taken in double, so the result is exact up to the final rounding to float.
 *
 * <p>Immutable after construction and safe to share between threads.
 */
public final class AreaResizer {

    /**
     * The table is kept in 32-bit ints that may wrap; a rectangle sum is still exact while it is below
     * 2^32, i.e. for rectangles up to 2^32 / 255 pixels.
     */
    static final long MAX_PIXELS = 0xFFFF_FFFFL / 255;

    private final int width;
    private final int height;
    /** (height+1) × (width+1) × 3, entry (y, x, c) = sum of channel c over rows < y and columns < x. */
    private final int[] table;

    /** Builds the summed-area table of an image. */
    public AreaResizer(RgbImage image) {
        width = image.width();
        height = image.height();
        if ((long) width * height > MAX_PIXELS) {
            throw new IllegalArgumentException("image of " + width + "x" + height + " pixels is too large for area"
                    + " resizing (at most " + MAX_PIXELS + " pixels)");
        }
        int stride = (width + 1) * 3;
        table = new int[(height + 1) * stride];
        byte[] px = image.pixels();
        int n = width * 3;
        // Two passes per row: running sums along the row (the entry three back is the same channel), then
        // the row above added in a plain loop the JIT vectorises; 1.7x faster than one pass doing both.
        for (int y = 0; y < height; y++) {
            int src = y * n;
            int row = (y + 1) * stride + 3;
            int above = row - stride;
            table[row] = px[src] & 0xff;
            table[row + 1] = px[src + 1] & 0xff;
            table[row + 2] = px[src + 2] & 0xff;
            for (int i = 3; i < n; i++) {
                table[row + i] = table[row + i - 3] + (px[src + i] & 0xff);
            }
            for (int i = 0; i < n; i++) {
                table[row + i] += table[above + i];
            }
        }
    }

    /** Width of the source image. */
    public int width() {
        return width;
    }

    /** Height of the source image. */
    public int height() {
        return height;
    }

    /**
     * Area-resizes the source region with top-left pixel ({@code left}, {@code top}) and size
     * {@code regionWidth}×{@code regionHeight} to {@code outWidth}×{@code outHeight}, and writes
     * {@code (mean − offset)·scale} as planar CHW float (R, G, B planes) into {@code dst} at {@code dstOffset}.
     * The region may extend past the image; pixels outside it count as 0.
     */
    public void resize(int left, int top, int regionWidth, int regionHeight, int outWidth, int outHeight,
            double offset, double scale, float[] dst, int dstOffset) {
        if (regionWidth <= 0 || regionHeight <= 0 || outWidth <= 0 || outHeight <= 0) {
            throw new IllegalArgumentException("area resize needs positive sizes, got region " + regionWidth + "x"
                    + regionHeight + " to " + outWidth + "x" + outHeight);
        }
        if ((long) regionWidth * regionHeight > MAX_PIXELS) {
            throw new IllegalArgumentException("region of " + regionWidth + "x" + regionHeight
                    + " pixels is too large for area resizing (at most " + MAX_PIXELS + " pixels)");
        }
        int plane = outWidth * outHeight;
        if (dstOffset < 0 || dst.length - dstOffset < 3 * plane) {
            throw new IllegalArgumentException("destination has " + dst.length + " floats, cannot hold 3x"
                    + outHeight + "x" + outWidth + " at offset " + dstOffset);
        }
        int[] x0 = new int[outWidth];
        int[] x1 = new int[outWidth];
        int[] nx = new int[outWidth];
        span(left, regionWidth, outWidth, width, x0, x1, nx);
        int[] y0 = new int[outHeight];
        int[] y1 = new int[outHeight];
        int[] ny = new int[outHeight];
        span(top, regionHeight, outHeight, height, y0, y1, ny);
        int stride = (width + 1) * 3;
        for (int i = 0; i < outHeight; i++) {
            int top0 = y0[i] * stride;
            int bot0 = y1[i] * stride;
            int o = dstOffset + i * outWidth;
            for (int j = 0; j < outWidth; j++) {
                double count = (double) ny[i] * nx[j];
                int a = top0 + x0[j] * 3;
                int b = top0 + x1[j] * 3;
                int c = bot0 + x0[j] * 3;
                int d = bot0 + x1[j] * 3;
                for (int ch = 0; ch < 3; ch++) {
                    // int arithmetic wraps, but the true sum is below 2^32, so the unsigned result is exact
                    long sum = Integer.toUnsignedLong(table[d + ch] - table[b + ch] - table[c + ch] + table[a + ch]);
                    dst[o + ch * plane + j] = (float) ((sum / count - offset) * scale);
                }
            }
        }
    }

    /**
     * Source interval per output index, clipped to the image: [lo, hi) in table coordinates and the
     * unclipped count (pixels outside the image are zeros, so they count in the mean but add nothing).
     */
    private static void span(int start, int nIn, int nOut, int limit, int[] lo, int[] hi, int[] count) {
        for (int i = 0; i < nOut; i++) {
            long a = (long) i * nIn / nOut;
            long b = ((long) (i + 1) * nIn + nOut - 1) / nOut;
            count[i] = (int) (b - a);
            lo[i] = (int) Math.min(Math.max(start + a, 0), limit);
            hi[i] = (int) Math.min(Math.max(start + b, 0), limit);
        }
    }
}
