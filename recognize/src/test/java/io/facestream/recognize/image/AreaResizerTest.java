package io.facestream.recognize.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Area resizing against a direct per-pixel average with the integer index ranges of torch's 'area' mode. */
class AreaResizerTest {

    static RgbImage random(int w, int h, long seed) {
        byte[] px = new byte[w * h * 3];
        new Random(seed).nextBytes(px);
        return new RgbImage(w, h, px);
    }

    /** The definition: mean over [floor(i·n/m), ceil((i+1)·n/m)) per axis, zeros outside the image. */
    static float direct(RgbImage img, int left, int top, int rw, int rh, int ow, int oh, int i, int j, int c,
            double offset, double scale) {
        int y0 = (int) Math.floor((double) i * rh / oh);
        int y1 = (int) Math.ceil((double) (i + 1) * rh / oh);
        int x0 = (int) Math.floor((double) j * rw / ow);
        int x1 = (int) Math.ceil((double) (j + 1) * rw / ow);
        double sum = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                int iy = top + y;
                int ix = left + x;
                if (iy >= 0 && iy < img.height() && ix >= 0 && ix < img.width()) {
                    sum += img.get(ix, iy, c);
                }
            }
        }
        return (float) ((sum / ((y1 - y0) * (x1 - x0)) - offset) * scale);
    }

    static void check(RgbImage img, int left, int top, int rw, int rh, int ow, int oh) {
        AreaResizer r = new AreaResizer(img);
        float[] out = new float[3 * ow * oh + 5];
        r.resize(left, top, rw, rh, ow, oh, 127.5, 0.0078125, out, 5);
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    assertEquals(direct(img, left, top, rw, rh, ow, oh, i, j, c, 127.5, 0.0078125),
                            out[5 + c * ow * oh + i * ow + j], 0f,
                            "region " + left + "," + top + " " + rw + "x" + rh + " -> " + ow + "x" + oh
                                    + " at c=" + c + " row " + i + " col " + j);
                }
            }
        }
    }

    @Test
    void downscalesTheWholeImageExactly() {
        RgbImage img = random(53, 37, 1);
        check(img, 0, 0, 53, 37, 22, 14);
        check(img, 0, 0, 53, 37, 53, 37);
        check(img, 0, 0, 53, 37, 12, 12);
    }

    @Test
    void upscalesAndCropsPastTheBorderWithZeros() {
        RgbImage img = random(40, 30, 2);
        check(img, -7, -3, 20, 20, 24, 24);
        check(img, 30, 25, 17, 17, 48, 48);
        check(img, -50, -50, 10, 10, 24, 24);
        check(img, 5, 5, 1, 1, 24, 24);
    }

    @Test
    void rejectsEmptySizes() {
        AreaResizer r = new AreaResizer(random(4, 4, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> r.resize(0, 0, 0, 4, 2, 2, 0, 1, new float[12], 0));
        assertEquals("area resize needs positive sizes, got region 0x4 to 2x2", e.getMessage());
    }
}
