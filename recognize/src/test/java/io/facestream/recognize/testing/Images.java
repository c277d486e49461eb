package io.facestream.recognize.testing;

import io.facestream.recognize.image.RgbImage;
import java.util.Arrays;

/** Test pictures made from others. */
public final class Images {

    private Images() {
    }

    /** The image moved right by {@code dx} and down by {@code dy} (negative: left, up), the uncovered border black. */
    public static RgbImage shifted(RgbImage in, int dx, int dy) {
        byte[] out = new byte[in.pixels().length];
        for (int y = 0; y < in.height(); y++) {
            int sy = y - dy;
            if (sy < 0 || sy >= in.height()) {
                continue;
            }
            for (int x = 0; x < in.width(); x++) {
                int sx = x - dx;
                if (sx >= 0 && sx < in.width()) {
                    System.arraycopy(in.pixels(), 3 * (sy * in.width() + sx), out, 3 * (y * in.width() + x), 3);
                }
            }
        }
        return new RgbImage(in.width(), in.height(), out);
    }

    /** A {@code w}×{@code h} image of one grey level. */
    public static RgbImage flat(int w, int h, int value) {
        byte[] px = new byte[w * h * 3];
        Arrays.fill(px, (byte) value);
        return new RgbImage(w, h, px);
    }
}
