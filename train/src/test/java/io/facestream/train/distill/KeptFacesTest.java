package io.facestream.train.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.facestream.recognize.align.FaceCrop;
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
    private static int which(FaceCrop f) {
        return (int) -(mirrored(f) ? f.chw()[1] : f.chw()[0]) - 1;
    }

    private static boolean mirrored(FaceCrop f) {
        return f.chw()[0] >= 0;
    }

    @Test
    void eachStepDrawsDistinctFacesAndOverManyStepsEveryFace() {
        List<FaceCrop> all = faces(10);
        KeptFaces kept = new KeptFaces(all, 3, 4, 7);
        Map<Integer, Integer> seen = new java.util.HashMap<>();
        int mirrored = 0;
        for (int s = 0; s < 200; s++) {
            List<FaceCrop> draw = kept.next();
            assertEquals(4, draw.size());
            assertEquals(4, draw.stream().map(KeptFacesTest::which).distinct().count(), "a face drawn twice in one step");
            for (FaceCrop f : draw) {
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
            List<FaceCrop> x = a.next();
            List<FaceCrop> y = b.next();
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
    void refusesNoFacesAndWeightsOrCountsThatSayNothing() {
        assertThrows(IllegalArgumentException.class, () -> new KeptFaces(List.of(), 1, 4, 1));
        assertThrows(IllegalArgumentException.class, () -> new KeptFaces(faces(3), 0, 4, 1));
        assertThrows(IllegalArgumentException.class, () -> new KeptFaces(faces(3), Double.NaN, 4, 1));
        assertThrows(IllegalArgumentException.class, () -> new KeptFaces(faces(3), 1, 0, 1));
    }
}
