package io.facestream.recognize.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.Embedding;
import io.facestream.core.event.GalleryEntry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Merging enrolled faces into an identity's gallery entry. */
class GalleryMergeTest {

    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    private static final String MFN = "mobilefacenet-192";
    private static final String DLIB = "dlib-resnet-128";

    @Test
    void anIdentityCollectsFacesEachOnce() {
        GalleryEntry first = GalleryMerge.withFace(null, "ada", "Ada", crop(1), emb(MFN, 1), T0);
        assertEquals(1, first.crops().size());
        assertEquals(T0, first.enrolledAt());
        GalleryEntry second = GalleryMerge.withFace(first, "ada", "Ada Lovelace", crop(2), emb(MFN, 2), T0.plusSeconds(5));
        assertEquals(2, second.crops().size());
        assertArrayEquals(crop(2), second.crops().get(1));
        assertEquals(List.of(emb(MFN, 1), emb(MFN, 2)), second.embeddingsOf(MFN));
        assertEquals("Ada Lovelace", second.displayName(), "the latest request names the person");
        assertEquals(T0, second.enrolledAt(), "enrolled when the first face was");
        // The first request replayed (a restart, or the same photo sent again) adds nothing.
        GalleryEntry replay = GalleryMerge.withFace(second, "ada", "Ada Lovelace", crop(1), emb(MFN, 1), T0);
        assertEquals(second, replay);
    }

    @Test
    void otherModelsKeepTheirEmbeddings() {
        GalleryEntry both = new GalleryEntry("ada", "Ada", List.of(crop(1)),
                Map.of(MFN, List.of(emb(MFN, 1)), DLIB, List.of(emb(DLIB, 1))), T0);
        GalleryEntry more = GalleryMerge.withFace(both, "ada", "Ada", crop(2), emb(MFN, 2), T0);
        assertEquals(List.of(emb(DLIB, 1)), more.embeddingsOf(DLIB));
        assertEquals(2, more.embeddingsOf(MFN).size());
    }

    @Test
    void anEntryHoldingEveryCropIsTheSameOrNewer() {
        GalleryEntry one = GalleryMerge.withFace(null, "ada", "Ada", crop(1), emb(MFN, 1), T0);
        GalleryEntry two = GalleryMerge.withFace(one, "ada", "Ada", crop(2), emb(MFN, 2), T0);
        assertTrue(GalleryMerge.holdsAllCrops(two, one));
        assertTrue(GalleryMerge.holdsAllCrops(two, two));
        assertFalse(GalleryMerge.holdsAllCrops(one, two), "an older echo lacks the newer face");
    }

    private static byte[] crop(int seed) {
        return new byte[] {(byte) seed, 2, 3, (byte) (seed * 7)};
    }

    private static Embedding emb(String model, int seed) {
        int dim = model.equals(MFN) ? 192 : 128;
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = (float) Math.sin(seed * 31 + i);
        }
        return Embedding.normalise(model, v);
    }
}
