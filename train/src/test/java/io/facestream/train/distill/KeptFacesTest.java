package io.facestream.train.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.recognize.align.FaceCrop;
import io.facestream.train.sample.Augmenter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeptFacesTest {

    /** Face i: 2×2, every value i except the top-left pixel's, which is -1 - i (so a mirrored face tells). */
    private static List<FaceCrop> faces(int n) {
        List<FaceCrop> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] chw = new float[12];
            java.util.Arrays.fill(chw, i);
            for (int c = 0; c < 3; c++) {
                chw[4 * c] = -1 - i;
            }
            out.add(new FaceCrop(2, chw));
        }
        return out;
    }

    /** Which face of {@link #faces} {@code f} is, and whether it is mirrored (its marked pixel top-right). */
    private static int which(KeptFaces.Shown f) {
        float[] v = f.target();
        return (int) -(mirrored(f) ? v[1] : v[0]) - 1;
    }

    private static boolean mirrored(KeptFaces.Shown f) {
        return f.target()[0] >= 0;
    }

    @Test
    void eachStepDrawsDistinctFacesAndOverManyStepsEveryFace() {
        List<FaceCrop> all = faces(10);
        KeptFaces kept = new KeptFaces(all, 3, 4, 7);
        Map<Integer, Integer> seen = new java.util.HashMap<>();
        int mirrored = 0;
        for (int s = 0; s < 200; s++) {
            List<KeptFaces.Shown> draw = kept.next();
            assertEquals(4, draw.size());
            assertEquals(4, draw.stream().map(KeptFacesTest::which).distinct().count(), "a face drawn twice in one step");
            for (KeptFaces.Shown f : draw) {
                assertFalse(f.relit());
                seen.merge(which(f), 1, Integer::sum);
                mirrored += mirrored(f) ? 1 : 0;
            }
        }
        assertEquals(10, seen.size());
        // 800 draws over 10 faces: 80 each on average; a fair draw keeps every face well inside 40..120
        seen.values().forEach(n -> assertEquals(80, n, 40, "draws of one face: " + n));
        // half of them mirrored: 400 ± 3 standard deviations (14)
        assertEquals(400, mirrored, 45, "mirrored draws of 800");
        assertEquals(10, kept.size());
        assertEquals(3, kept.weight());
        assertEquals(4, kept.perStep());
    }

    @Test
    void theSameSeedDrawsTheSameFaces() {
        List<FaceCrop> all = faces(10);
        KeptFaces a = new KeptFaces(all, 1, 3, 11);
        KeptFaces b = new KeptFaces(all, 1, 3, 11);
        for (int s = 0; s < 5; s++) {
            List<KeptFaces.Shown> x = a.next();
            List<KeptFaces.Shown> y = b.next();
            for (int i = 0; i < 3; i++) {
                assertEquals(which(x.get(i)), which(y.get(i)));
                assertEquals(mirrored(x.get(i)), mirrored(y.get(i)));
            }
        }
    }

    @Test
    void fewerFacesThanAStepTakesAllOfThem() {
        List<FaceCrop> all = faces(3);
        assertEquals(List.of(0, 1, 2), new KeptFaces(all, 1, 16, 1).next().stream().map(KeptFacesTest::which).toList());
    }

    @Test
    void aShareOfTheFacesIsShownRelitWithTheUnlitFaceAsTarget() {
        // faces with every value 100 (one marked pixel), a light that always darkens or brightens by a third or more
        List<FaceCrop> all = new ArrayList<>();
        for (FaceCrop f : faces(10)) {
            float[] v = f.chw().clone();
            for (int i = 0; i < v.length; i++) {
                v[i] = v[i] < 0 ? v[i] : 100;
            }
            all.add(new FaceCrop(2, v));
        }
        Augmenter light = new Augmenter(false, 0.6, 0, 5);
        KeptFaces kept = new KeptFaces(all, 1, 4, 3).relighting(light, 0.5);
        assertEquals(0.5, kept.relitShare());
        int relit = 0;
        for (int s = 0; s < 100; s++) {
            for (KeptFaces.Shown f : kept.next()) {
                float[] plain = f.target();
                // the target is one of the faces as given (or its mirror), never a relit one
                assertEquals(100, plain[2], 0);
                if (f.relit()) {
                    relit++;
                    float gain = f.input()[2] / plain[2];
                    assertTrue(gain >= 0.4f - 1e-4 && gain <= 1.6f + 1e-4, "gain " + gain);
                    for (int i = 0; i < plain.length; i++) {
                        if (plain[i] > 0) {
                            assertEquals(Math.min(255, plain[i] * gain), f.input()[i], 1e-3, "one gain over the face");
                        }
                    }
                } else {
                    assertSame(f.target(), f.input());
                }
            }
        }
        // 400 faces, half relit: 200 ± 3 standard deviations (30)
        assertEquals(200, relit, 30, "relit faces of 400");
        assertTrue(new KeptFaces(all, 1, 4, 3).relighting(light, 1).next().stream().allMatch(KeptFaces.Shown::relit));
        assertTrue(new KeptFaces(all, 1, 4, 3).relighting(light, 0).next().stream().noneMatch(KeptFaces.Shown::relit));
        assertThrows(IllegalArgumentException.class, () -> new KeptFaces(all, 1, 4, 3).relighting(light, 1.5));
        assertThrows(IllegalArgumentException.class, () -> new KeptFaces(all, 1, 4, 3).relighting(null, 0.5));
    }

    @Test
    void refusesNoFacesAndWeightsOrCountsThatSayNothing() {
        assertThrows(IllegalArgumentException.class, () -> new KeptFaces(List.of(), 1, 4, 1));
        assertThrows(IllegalArgumentException.class, () -> new KeptFaces(faces(3), 0, 4, 1));
        assertThrows(IllegalArgumentException.class, () -> new KeptFaces(faces(3), Double.NaN, 4, 1));
        assertThrows(IllegalArgumentException.class, () -> new KeptFaces(faces(3), 1, 0, 1));
    }

    @Test
    void jitteredFacesAreShownToBothNetworksAsTheSameNewView() {
        float[] chw = new float[3 * 16 * 16];
        for (int i = 0; i < chw.length; i++) {
            chw[i] = (i * 37) % 251;
        }
        FaceCrop face = new FaceCrop(16, chw);
        KeptFaces kept = new KeptFaces(List.of(face), 1, 1, 3).jittering(new FaceJitter(1, 5));
        for (int s = 0; s < 5; s++) {
            KeptFaces.Shown shown = kept.next().get(0);
            assertFalse(shown.relit(), "a view is the target's input as well");
            assertFalse(java.util.Arrays.equals(chw, shown.input()), "the face was shown as it is");
            assertFalse(java.util.Arrays.equals(face.flipped().chw(), shown.input()), "the face was only mirrored");
        }
        assertEquals(1, kept.jitter().strength());
    }
}
