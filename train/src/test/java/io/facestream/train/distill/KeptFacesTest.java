package io.facestream.train.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.facestream.recognize.align.FaceCrop;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeptFacesTest {

    private static List<FaceCrop> faces(int n) {
        List<FaceCrop> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new FaceCrop(2, new float[] {i, i, i, i, i, i, i, i, i, i, i, i}));
        }
        return out;
    }

    @Test
    void eachStepDrawsDistinctFacesAndOverManyStepsEveryFace() {
        List<FaceCrop> all = faces(10);
        KeptFaces kept = new KeptFaces(all, 3, 4, 7);
        Map<FaceCrop, Integer> seen = new IdentityHashMap<>();
        for (int s = 0; s < 200; s++) {
            List<FaceCrop> draw = kept.next();
            assertEquals(4, draw.size());
            Map<FaceCrop, Boolean> once = new IdentityHashMap<>();
            for (FaceCrop f : draw) {
                assertEquals(null, once.put(f, true), "a face drawn twice in one step");
                seen.merge(f, 1, Integer::sum);
            }
        }
        assertEquals(10, seen.size());
        // 800 draws over 10 faces: 80 each on average; a fair draw keeps every face well inside 40..120
        seen.values().forEach(n -> assertEquals(80, n, 40, "draws of one face: " + n));
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
                assertSame(x.get(i), y.get(i));
            }
        }
    }

    @Test
    void fewerFacesThanAStepTakesAllOfThem() {
        List<FaceCrop> all = faces(3);
        assertEquals(all, new KeptFaces(all, 1, 16, 1).next());
    }

    @Test
    void refusesNoFacesAndWeightsOrCountsThatSayNothing() {
        assertThrows(IllegalArgumentException.class, () -> new KeptFaces(List.of(), 1, 4, 1));
        assertThrows(IllegalArgumentException.class, () -> new KeptFaces(faces(3), 0, 4, 1));
        assertThrows(IllegalArgumentException.class, () -> new KeptFaces(faces(3), Double.NaN, 4, 1));
        assertThrows(IllegalArgumentException.class, () -> new KeptFaces(faces(3), 1, 0, 1));
    }
}
