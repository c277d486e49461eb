package io.facestream.recognize.image;

/**
 * Contrast equalisation of an image's luminance, for the detector's eyes only: a face half in shadow (one light
 * source far to the side, a camera against the light) keeps its shape in the dark half, but at levels MTCNN's
 * filters were never trained on. Both methods return a grey image (R = G = B = the new luminance); the faces they
 * find are aligned and embedded from the original.
 */
public final class Contrast {

    private Contrast() {
    }

    /** The BT.601 luma of every pixel, rounded, 0..255. */
    static int[] luma(RgbImage image) {
        byte[] p = image.pixels();
        int[] y = new int[image.width() * image.height()];
        for (int i = 0; i < y.length; i++) {
            int r = p[3 * i] & 0xff;
            int g = p[3 * i + 1] & 0xff;
            int b = p[3 * i + 2] & 0xff;
            y[i] = (299 * r + 587 * g + 114 * b + 500) / 1000;
        }
        return y;
    }

    /**
     * Global histogram equalisation: each luminance level goes to its place in the image's cumulative histogram,
     * the darkest level present to 0 and the brightest to 255. Right for a photo the face fills; a frame with a large
     * flat background spends the output range on the background ({@link #local} is for those).
     */
    public static RgbImage equalized(RgbImage image) {
        int[] y = luma(image);
        int[] cdf = new int[256];
        for (int v : y) {
            cdf[v]++;
        }
        for (int i = 1; i < 256; i++) {
            cdf[i] += cdf[i - 1];
        }
        int lowest = 0;
        for (int c : cdf) {
            if (c > 0) {
                lowest = c;
                break;
            }
        }
        int span = y.length - lowest;
        byte[] map = new byte[256];
        for (int i = 0; i < 256; i++) {
            map[i] = (byte) (span <= 0 ? i : Math.round(255.0 * Math.max(0, cdf[i] - lowest) / span));
        }
        return grey(image, y, (i, v) -> map[v]);
    }

    /**
     * Contrast-limited adaptive histogram equalisation (CLAHE): the image is cut into {@code grid}×{@code grid}
     * tiles, each tile's histogram is clipped at {@code clip} times its mean bin count (the excess spread over all
     * bins, so a flat tile stays nearly flat instead of amplifying its noise) and turned into a mapping, and every
     * pixel takes the bilinear blend of the mappings of the four tile centres around it.
     */
    public static RgbImage local(RgbImage image, int grid, double clip) {
        if (grid < 1 || !(clip >= 1)) {
            throw new IllegalArgumentException("CLAHE needs a grid of 1 or more tiles and a clip limit of 1 or more, was "
                    + grid + " and " + clip);
        }
        int w = image.width();
        int h = image.height();
        int gx = Math.min(grid, w);
        int gy = Math.min(grid, h);
        int[] y = luma(image);
        float[][] maps = new float[gx * gy][];
        for (int ty = 0; ty < gy; ty++) {
            for (int tx = 0; tx < gx; tx++) {
                maps[ty * gx + tx] = tileMap(y, w, tx * w / gx, (tx + 1) * w / gx, ty * h / gy, (ty + 1) * h / gy, clip);
            }
        }
        double tw = (double) w / gx;
        double th = (double) h / gy;
        return grey(image, y, (i, v) -> {
            double fy = Math.max(0, ((i / w) + 0.5) / th - 0.5);
            double fx = Math.max(0, ((i % w) + 0.5) / tw - 0.5);
            int y0 = Math.min(gy - 1, (int) fy);
            int x0 = Math.min(gx - 1, (int) fx);
            int y1 = Math.min(gy - 1, y0 + 1);
            int x1 = Math.min(gx - 1, x0 + 1);
            double wy = Math.min(1, fy - y0);
            double wx = Math.min(1, fx - x0);
            double top = (1 - wx) * maps[y0 * gx + x0][v] + wx * maps[y0 * gx + x1][v];
            double bottom = (1 - wx) * maps[y1 * gx + x0][v] + wx * maps[y1 * gx + x1][v];
            return (byte) Math.round((1 - wy) * top + wy * bottom);
        });
    }

    /** The clipped-histogram mapping of the tile [x0, x1) × [y0, y1), 0..255. */
    private static float[] tileMap(int[] y, int w, int x0, int x1, int y0, int y1, double clip) {
        int[] hist = new int[256];
        for (int r = y0; r < y1; r++) {
            for (int c = x0; c < x1; c++) {
                hist[y[r * w + c]]++;
            }
        }
        int count = (x1 - x0) * (y1 - y0);
        int limit = Math.max(1, (int) (clip * count / 256));
        int excess = 0;
        for (int i = 0; i < 256; i++) {
            if (hist[i] > limit) {
                excess += hist[i] - limit;
                hist[i] = limit;
            }
        }
        float[] map = new float[256];
        int cumulative = 0;
        for (int i = 0; i < 256; i++) {
            cumulative += hist[i] + excess / 256 + (i < excess % 256 ? 1 : 0);
            map[i] = 255f * cumulative / count;
        }
        return map;
    }

    private interface Level {
        byte at(int pixel, int luma);
    }

    private static RgbImage grey(RgbImage image, int[] y, Level level) {
        byte[] out = new byte[y.length * 3];
        for (int i = 0; i < y.length; i++) {
            byte v = level.at(i, y[i]);
            out[3 * i] = v;
            out[3 * i + 1] = v;
            out[3 * i + 2] = v;
        }
        return new RgbImage(image.width(), image.height(), out);
    }
}
