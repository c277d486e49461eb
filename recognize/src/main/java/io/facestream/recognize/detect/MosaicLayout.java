package io.facestream.recognize.detect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Places rectangles (the pooled P-Net maps of all pyramid levels) without overlap on one canvas, so the
 * VALID convolutions after the first pool run once for all levels instead of once per level.
 *
 * <p>Bottom-left skyline packing, tallest first, tried for a few canvas widths; the layout with the
 * smallest area wins. Levels of a pyramid shrink geometrically and never tile perfectly: expect a
 * quarter or so of the canvas to be padding.
 */
final class MosaicLayout {

    private final int width;
    private final int height;
    private final int[] xs;
    private final int[] ys;

    private MosaicLayout(int width, int height, int[] xs, int[] ys) {
        this.width = width;
        this.height = height;
        this.xs = xs;
        this.ys = ys;
    }

    /** Canvas width. */
    int width() {
        return width;
    }

    /** Canvas height. */
    int height() {
        return height;
    }

    /** Column of rectangle {@code i}'s top-left corner. */
    int x(int i) {
        return xs[i];
    }

    /** Row of rectangle {@code i}'s top-left corner. */
    int y(int i) {
        return ys[i];
    }

    /** Packs rectangles of the given heights and widths (same order in the result). */
    static MosaicLayout pack(int[] heights, int[] widths) {
        int n = heights.length;
        if (n == 0) {
            return new MosaicLayout(0, 0, new int[0], new int[0]);
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> heights[b] != heights[a] ? heights[b] - heights[a] : widths[b] - widths[a]);
        int[] byWidth = widths.clone();
        Arrays.sort(byWidth);
        int widest = byWidth[n - 1];
        MosaicLayout best = null;
        // Candidate widths: the widest alone, and the widest beside each other one.
        for (int k = -1; k < n - 1; k++) {
            int w = k < 0 ? widest : widest + byWidth[k];
            MosaicLayout l = skyline(heights, widths, order, w);
            if (best == null || (long) l.width * l.height < (long) best.width * best.height) {
                best = l;
            }
        }
        return best;
    }

    private static MosaicLayout skyline(int[] heights, int[] widths, Integer[] order, int canvasWidth) {
        int n = heights.length;
        int[] xs = new int[n];
        int[] ys = new int[n];
        // skyline as segments: start column and top row of the filled area below it, sorted by start
        List<int[]> sky = new ArrayList<>();
        sky.add(new int[] {0, 0});
        int usedWidth = 0;
        int usedHeight = 0;
        for (int idx : order) {
            int w = widths[idx];
            int h = heights[idx];
            int bestX = -1;
            int bestY = Integer.MAX_VALUE;
            for (int[] seg : sky) {
                int x = seg[0];
                if (x + w > canvasWidth) {
                    break;
                }
                int y = 0;
                for (int[] s : sky) {
                    if (s[0] >= x + w) {
                        break;
                    }
                    int end = segmentEnd(sky, s, canvasWidth);
                    if (end > x) {
                        y = Math.max(y, s[1]);
                    }
                }
                if (y < bestY) {
                    bestY = y;
                    bestX = x;
                }
            }
            xs[idx] = bestX;
            ys[idx] = bestY;
            raise(sky, bestX, bestX + w, bestY + h, canvasWidth);
            usedWidth = Math.max(usedWidth, bestX + w);
            usedHeight = Math.max(usedHeight, bestY + h);
        }
        return new MosaicLayout(usedWidth, usedHeight, xs, ys);
    }

    private static int segmentEnd(List<int[]> sky, int[] s, int canvasWidth) {
        int i = sky.indexOf(s);
        return i + 1 < sky.size() ? sky.get(i + 1)[0] : canvasWidth;
    }

    /** Sets the skyline to {@code top} over columns [from, to). */
    private static void raise(List<int[]> sky, int from, int to, int top, int canvasWidth) {
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < sky.size(); i++) {
            int start = sky.get(i)[0];
            int end = i + 1 < sky.size() ? sky.get(i + 1)[0] : canvasWidth;
            int level = sky.get(i)[1];
            if (end <= from || start >= to) {
                out.add(new int[] {start, level});
                continue;
            }
            if (start < from) {
                out.add(new int[] {start, level});
            }
            if (out.isEmpty() || out.get(out.size() - 1)[0] != from) {
                out.add(new int[] {from, top});
            }
            if (end > to) {
                out.add(new int[] {to, level});
            }
        }
        sky.clear();
        // merge neighbours at the same height so the candidate list stays short
        for (int[] s : out) {
            if (!sky.isEmpty() && sky.get(sky.size() - 1)[1] == s[1]) {
                continue;
            }
            sky.add(s);
        }
    }
}
