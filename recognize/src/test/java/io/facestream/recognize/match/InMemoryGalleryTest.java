package io.facestream.recognize.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.Embedding;
import io.facestream.recognize.index.EmbeddingIndexes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InMemoryGalleryTest {

    private static final String MODEL = "test-32";
    private static final int DIM = 32;
    private static final double THRESHOLD = 0.5;

    @Test
    void aSmallGalleryMatchesLikeAFullScan() {
        Random r = new Random(11);
        InMemoryGallery gallery = new InMemoryGallery(MODEL, THRESHOLD);
        Map<String, List<Embedding>> reference = new LinkedHashMap<>();
        enrol(gallery, reference, 300, r);
        assertTrue(gallery.remove("id-7"));
        reference.remove("id-7");
        assertFalse(gallery.remove("id-7"));
        assertEquals(new ArrayList<>(reference.keySet()), gallery.identities());
        assertEquals(2, gallery.faces("id-8"));
        assertEquals(0, gallery.faces("id-7"));
        int known = 0;
        for (Embedding q : queries(reference, 400, r)) {
            Match expected = fullScan(reference, q);
            Match got = gallery.match(q);
            assertEquals(expected.identity(), got.identity());
            assertEquals(expected.nearest(), got.nearest());
            assertEquals(expected.distance(), got.distance(), 1e-12);
            assertEquals(THRESHOLD, got.threshold());
            known += got.known() ? 1 : 0;
        }
        // Both outcomes were exercised: the queries are half near copies, half random faces.
        assertTrue(known > 100 && known < 300, "known " + known);
    }

    @Test
    void aGalleryPastTheSwitchOverStillMatchesLikeAFullScan() {
        Random r = new Random(12);
        InMemoryGallery gallery = new InMemoryGallery(MODEL, THRESHOLD);
        Map<String, List<Embedding>> reference = new LinkedHashMap<>();
        enrol(gallery, reference, EmbeddingIndexes.SWITCH_OVER / 2 + 100, r);
        for (int i = 0; i < 50; i++) {
            gallery.remove("id-" + i * 3);
            reference.remove("id-" + i * 3);
        }
        List<Embedding> qs = queries(reference, 400, r);
        int agree = 0;
        for (Embedding q : qs) {
            Match expected = fullScan(reference, q);
            Match got = gallery.match(q);
            assertFalse(got.nearest().startsWith("id-3") && !reference.containsKey(got.nearest()), "removed identity returned");
            assertTrue(reference.containsKey(got.nearest()), "removed identity " + got.nearest() + " returned");
            if (expected.nearest().equals(got.nearest()) && Math.abs(expected.distance() - got.distance()) < 1e-12) {
                agree++;
            }
            assertEquals(got.distance() <= THRESHOLD, got.known());
        }
        assertTrue(agree >= 0.99 * qs.size(), "agreed on " + agree + " of " + qs.size());
    }

    @Test
    void emptyGalleryAndWrongInputs() {
        InMemoryGallery gallery = new InMemoryGallery(MODEL, THRESHOLD);
        Embedding q = Embedding.normalise(MODEL, new float[] {1, 2, 3});
        Match m = gallery.match(q);
        assertNull(m.identity());
        assertNull(m.nearest());
        assertEquals(Double.POSITIVE_INFINITY, m.distance());
        assertThrows(IllegalArgumentException.class, () -> gallery.enrol(" ", q));
        assertThrows(IllegalArgumentException.class, () -> gallery.enrol("a", Embedding.normalise("other", new float[] {1, 0})));
        gallery.enrol("a", q);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> gallery.match(Embedding.normalise(MODEL, new float[] {1, 0})));
        assertTrue(e.getMessage().contains("2-D"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new InMemoryGallery(MODEL, 0));
    }

    /** Two faces per identity; with {@code identities} past half the switch-over the gallery uses HNSW. */
    private static void enrol(InMemoryGallery gallery, Map<String, List<Embedding>> reference, int identities, Random r) {
        for (int i = 0; i < identities; i++) {
            String id = "id-" + i;
            Embedding a = random(r);
            Embedding b = near(a, 0.05, r);
            for (Embedding e : List.of(a, b)) {
                gallery.enrol(id, e);
                reference.computeIfAbsent(id, k -> new ArrayList<>()).add(e);
            }
        }
    }

    /** Half near copies of enrolled faces (known), half random faces (unknown: far from all on a 32-D sphere). */
    private static List<Embedding> queries(Map<String, List<Embedding>> reference, int n, Random r) {
        List<List<Embedding>> faces = new ArrayList<>(reference.values());
        List<Embedding> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(i % 2 == 0 ? near(faces.get(r.nextInt(faces.size())).get(0), 0.08, r) : random(r));
        }
        return out;
    }

    /** The matching rule as the gallery first implemented it: a scan of every face, first nearest wins. */
    private static Match fullScan(Map<String, List<Embedding>> reference, Embedding face) {
        String nearest = null;
        double best = Double.POSITIVE_INFINITY;
        for (Map.Entry<String, List<Embedding>> e : reference.entrySet()) {
            for (Embedding g : e.getValue()) {
                double d = g.squaredDistance(face);
                if (d < best) {
                    best = d;
                    nearest = e.getKey();
                }
            }
        }
        return new Match(nearest != null && best <= THRESHOLD ? nearest : null, nearest, best, THRESHOLD);
    }

    private static Embedding random(Random r) {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return Embedding.normalise(MODEL, v);
    }

    private static Embedding near(Embedding e, double sigma, Random r) {
        float[] v = e.values().clone();
        for (int i = 0; i < DIM; i++) {
            v[i] += (float) (sigma * r.nextGaussian());
        }
        return Embedding.normalise(MODEL, v);
    }
}
