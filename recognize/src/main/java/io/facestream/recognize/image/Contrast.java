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
        return grey(image, y, map);
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
        // each column's and each row's two nearest tile centres and its weight, computed once
        int[] colA = new int[w];
        int[] colB = new int[w];
        double[] colW = new double[w];
        blend(w, gx, colA, colB, colW);
        int[] rowA = new int[h];
        int[] rowB = new int[h];
        double[] rowW = new double[h];
        blend(h, gy, rowA, rowB, rowW);
        byte[] out = new byte[w * h * 3];
        for (int r = 0; r < h; r++) {
            double wy = rowW[r];
            for (int c = 0; c < w; c++) {
                int v = y[r * w + c];
                double wx = colW[c];
                float[] a0 = maps[rowA[r] * gx + colA[c]];
                float[] a1 = maps[rowA[r] * gx + colB[c]];
                float[] b0 = maps[rowB[r] * gx + colA[c]];
                float[] b1 = maps[rowB[r] * gx + colB[c]];
                double upper = (1 - wx) * a0[v] + wx * a1[v];
                double lower = (1 - wx) * b0[v] + wx * b1[v];
                byte level = (byte) Math.round((1 - wy) * upper + wy * lower);
                int i = 3 * (r * w + c);
                out[i] = level;
                out[i + 1] = level;
                out[i + 2] = level;
            }
        }
        return new RgbImage(w, h, out);
    }

    /**
     * For each of {@code n} pixels along an axis cut into {@code tiles} tiles: the tile centres before and after it
     * and the weight of the one after (the pixels before the first centre and after the last take that tile alone).
     */
    private static void blend(int n, int tiles, int[] before, int[] after, double[] weight) {
        double size = (double) n / tiles;
        for (int i = 0; i < n; i++) {
            double f = Math.max(0, (i + 0.5) / size - 0.5);
            int a = Math.min(tiles - 1, (int) f);
            before[i] = a;
            after[i] = Math.min(tiles - 1, a + 1);
            weight[i] = Math.min(1, f - a);
        }
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

    /** The grey image whose every pixel is {@code map} of its luma {@code y}. */
    private static RgbImage grey(RgbImage image, int[] y, byte[] map) {
        byte[] out = new byte[y.length * 3];
        for (int i = 0; i < y.length; i++) {
            byte v = map[y[i]];
            out[3 * i] = v;
            out[3 * i + 1] = v;
            out[3 * i + 2] = v;
        }
        return new RgbImage(image.width(), image.height(), out);
    }
}
