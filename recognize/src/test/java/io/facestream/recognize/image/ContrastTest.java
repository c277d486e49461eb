package io.facestream.recognize.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ContrastTest {

    /** A w×h grey image whose level at (x, y) is {@code level.at(x, y)}. */
    private static RgbImage grey(int w, int h, java.util.function.IntBinaryOperator level) {
        byte[] px = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                byte v = (byte) level.applyAsInt(x, y);
                int i = (y * w + x) * 3;
                px[i] = v;
                px[i + 1] = v;
                px[i + 2] = v;
            }
        }
        return new RgbImage(w, h, px);
    }

    @Test
    void equalisingSpreadsADarkImageOverTheWholeRangeInOrder() {
        // four levels, 10..13, each a quarter of the image: they go to 0, 85, 170, 255
        RgbImage dark = grey(8, 4, (x, y) -> 10 + x / 2);
        RgbImage eq = Contrast.equalized(dark);
        assertEquals(0, eq.get(0, 0, 0));
        assertEquals(85, eq.get(2, 1, 0));
        assertEquals(170, eq.get(4, 2, 1));
        assertEquals(255, eq.get(7, 3, 2));
    }

    @Test
    void equalisingUsesTheLuminanceAndGivesGrey() {
        byte[] px = {(byte) 255, 0, 0, 0, (byte) 255, 0}; // red (luma 76) and green (luma 150)
        RgbImage eq = Contrast.equalized(new RgbImage(2, 1, px));
        assertEquals(0, eq.get(0, 0, 0));
        assertEquals(0, eq.get(0, 0, 1));
        assertEquals(255, eq.get(1, 0, 0));
        assertEquals(255, eq.get(1, 0, 2));
        // a flat image has nothing to spread and keeps its level
        assertEquals(90, Contrast.equalized(grey(3, 3, (x, y) -> 90)).get(1, 1, 0));
    }

    @Test
    void localEqualisationSpreadsEachHalfOnItsOwnUnlessClipped() {
        // left half in shadow (levels 5..20), right half lit (200..215), a fine pattern in each
        RgbImage img = grey(64, 64, (x, y) -> (x < 32 ? 5 : 200) + ((x * 7 + y * 3) % 16));
        RgbImage local = Contrast.local(img, 4, 16.0);
        int[] darkRange = range(local, 0, 24);
        int[] litRange = range(local, 40, 64);
        // away from the middle, each half is spread over most of the output range on its own ...
        assertTrue(darkRange[1] - darkRange[0] > 200, "shadowed half spans " + darkRange[0] + ".." + darkRange[1]);
        assertTrue(litRange[1] - litRange[0] > 200, "lit half spans " + litRange[0] + ".." + litRange[1]);
        // ... where one mapping for the whole image gives the shadowed half only the lower half of the range
        int[] globalDark = range(Contrast.equalized(img), 0, 24);
        assertTrue(globalDark[1] <= 128, "globally equalised, the shadowed half reaches " + globalDark[1]);
        // a low clip limit keeps the mapping close to the identity, and so the noise of flat regions down
        int[] clipped = range(Contrast.local(img, 4, 1.0), 0, 24);
        assertTrue(clipped[1] - clipped[0] < 100, "clipped at 1, the shadowed half spans " + clipped[0] + ".." + clipped[1]);
        // the mapping keeps the order of levels within a tile
        assertTrue(local.get(3, 0, 0) > local.get(0, 0, 0), "level 26 above level 5 after equalising");
    }

    @Test
    void localEqualisationLeavesAFlatImageFlatAndBlendsTheTilesMappings() {
        RgbImage flat = grey(40, 40, (x, y) -> 112);
        RgbImage out = Contrast.local(flat, 4, 2.0);
        int[] r = range(out, 0, 40);
        assertEquals(r[0], r[1], "a flat image stays flat");
        // two one-row tiles: A holds levels 0 and 100, B 100 and 200; A maps 0 -> 127.5 and 100 -> 255, B maps
        // 100 -> 127.5 and 200 -> 255. Level 100 at column 1 sits a quarter of the way from A's centre to B's.
        RgbImage row = new RgbImage(4, 1, new byte[] {0, 0, 0, 100, 100, 100, 100, 100, 100, (byte) 200, (byte) 200, (byte) 200});
        RgbImage blended = Contrast.local(row, 2, 1.0);
        assertEquals(128, blended.get(0, 0, 0));
        assertEquals(223, blended.get(1, 0, 0)); // 0.75 * 255 + 0.25 * 127.5
        assertEquals(159, blended.get(2, 0, 0)); // 0.25 * 255 + 0.75 * 127.5
        assertEquals(255, blended.get(3, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> Contrast.local(flat, 0, 2.0));
        assertThrows(IllegalArgumentException.class, () -> Contrast.local(flat, 4, 0.5));
    }

    /** Lowest and highest level in columns [x0, x1). */
    private static int[] range(RgbImage img, int x0, int x1) {
        int lo = 255;
        int hi = 0;
        for (int y = 0; y < img.height(); y++) {
            for (int x = x0; x < x1; x++) {
                lo = Math.min(lo, img.get(x, y, 0));
                hi = Math.max(hi, img.get(x, y, 0));
            }
        }
        return new int[] {lo, hi};
    }
}
