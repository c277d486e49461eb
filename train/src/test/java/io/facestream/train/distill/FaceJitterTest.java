package io.facestream.train.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.recognize.align.FaceCrop;
import org.junit.jupiter.api.Test;

class FaceJitterTest {

    private static final int N = 41;
    private static final float[] NO_GAIN = {1, 1, 1};

    /** A dark crop with one bright pixel at (x, y) in every channel. */
    private static FaceCrop dot(int x, int y) {
        float[] v = new float[3 * N * N];
        for (int c = 0; c < 3; c++) {
            v[(c * N + y) * N + x] = 200;
        }
        return new FaceCrop(N, v);
    }

    /** The column and row of the brightest pixel of channel 0. */
    private static int[] brightest(FaceCrop f) {
        int best = 0;
        for (int i = 1; i < N * N; i++) {
            if (f.chw()[i] > f.chw()[best]) {
                best = i;
            }
        }
        return new int[] {best % N, best / N};
    }

    @Test
    void theIdentityTransformGivesTheCropBack() {
        FaceCrop face = dot(7, 30);
        FaceCrop same = FaceJitter.transform(face, 0, 1, 0, 0, NO_GAIN, 0);
        assertArrayEquals(face.chw(), same.chw(), 1e-4f);
    }

    @Test
    void aShiftAndAQuarterTurnMoveAPixelWhereTheGeometrySays() {
        // Centre 20: a point 10 px right of the centre, turned by +90 degrees (x toward y), lands 10 px below it.
        FaceCrop turned = FaceJitter.transform(dot(30, 20), Math.PI / 2, 1, 0, 0, NO_GAIN, 0);
        assertArrayEquals(new int[] {20, 30}, brightest(turned));
        // Doubled about the centre: 5 px right becomes 10 px right; then shifted by (-3, 4).
        FaceCrop moved = FaceJitter.transform(dot(25, 20), 0, 2, -3, 4, NO_GAIN, 0);
        assertArrayEquals(new int[] {27, 24}, brightest(moved));
    }

    @Test
    void gainsActPerChannelAndGreyBlendsTheChannelsTogether() {
        float[] v = new float[3 * N * N];
        java.util.Arrays.fill(v, 0, N * N, 90f);          // R
        java.util.Arrays.fill(v, N * N, 2 * N * N, 60f);  // G
        java.util.Arrays.fill(v, 2 * N * N, 3 * N * N, 30f); // B
        FaceCrop face = new FaceCrop(N, v);
        FaceCrop gained = FaceJitter.transform(face, 0, 1, 0, 0, new float[] {2, 1, 0.5f}, 0);
        assertEquals(180f, gained.get(0, 5, 5), 1e-3);
        assertEquals(60f, gained.get(1, 5, 5), 1e-3);
        assertEquals(15f, gained.get(2, 5, 5), 1e-3);
        FaceCrop grey = FaceJitter.transform(face, 0, 1, 0, 0, NO_GAIN, 1);
        for (int c = 0; c < 3; c++) {
            assertEquals(60f, grey.get(c, 9, 9), 1e-3);
        }
        FaceCrop halfGrey = FaceJitter.transform(face, 0, 1, 0, 0, NO_GAIN, 0.5f);
        assertEquals(75f, halfGrey.get(0, 9, 9), 1e-3);
        assertEquals(45f, halfGrey.get(2, 9, 9), 1e-3);
        FaceCrop clipped = FaceJitter.transform(face, 0, 1, 0, 0, new float[] {3, 1, 1}, 0);
        assertEquals(255f, clipped.get(0, 5, 5), 1e-3);
    }

    @Test
    void viewsAreRandomWithinTheirStrengthAndFixedByTheSeed() {
        FaceCrop face = dot(20, 20);
        FaceJitter a = new FaceJitter(1, 7);
        FaceJitter b = new FaceJitter(1, 7);
        FaceCrop first = a.view(face);
        assertArrayEquals(first.chw(), b.view(face).chw());
        assertNotEquals(java.util.Arrays.toString(first.chw()), java.util.Arrays.toString(a.view(face).chw()));
        // A dot at the centre moves only by the shift: at most 0.1 x 41 = 4.1 px each way (plus a pixel of rounding).
        FaceJitter weak = new FaceJitter(1, 11);
        for (int i = 0; i < 50; i++) {
            int[] at = brightest(weak.view(face));
            assertTrue(Math.abs(at[0] - 20) <= 5 && Math.abs(at[1] - 20) <= 5, "moved to " + at[0] + "," + at[1]);
        }
        assertThrows(IllegalArgumentException.class, () -> new FaceJitter(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new FaceJitter(1.5, 1));
    }
}
