package io.facestream.recognize.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.facestream.core.Embedding;
import io.facestream.recognize.align.FaceCrop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The MobileFaceNet embedder through its public API, on the aligned crops of the end-to-end reference. */
class FaceEmbedderTest {

    static FaceEmbedder embedder;
    static NDManager manager;
    static NDList e2e;

    @BeforeAll
    static void open() throws Exception {
        embedder = EmbedderModel.MOBILEFACENET.open();
        manager = NDManager.newBaseManager();
        e2e = Golden.load(manager, "golden_e2e.npz");
    }

    @AfterAll
    static void close() {
        if (manager != null) {
            manager.close();
        }
        if (embedder != null) {
            embedder.close();
        }
    }

    /** The aligned crops of image {@code k}, in face order. */
    static List<FaceCrop> crops(int k) {
        return toCrops(Golden.get(e2e, "img" + k + "_crop112"), 112);
    }

    static List<FaceCrop> toCrops(NDArray batch, int size) {
        float[] flat = batch.toFloatArray();
        int per = 3 * size * size;
        List<FaceCrop> out = new ArrayList<>();
        for (int i = 0; i < flat.length / per; i++) {
            out.add(new FaceCrop(size, Golden.row(flat, i, per)));
        }
        return out;
    }

    @Test
    void describesItself() {
        assertEquals("mobilefacenet-192", embedder.modelId());
        assertEquals(112, embedder.inputSize());
        assertEquals(192, embedder.dimension());
    }

    @Test
    void allSevenReferenceFacesMatchTheirGoldenEmbeddings() {
        int faces = 0;
        double worst = 1;
        for (int k = 0; k < 3; k++) {
            List<Embedding> got = embedder.embed(crops(k));
            float[] want = Golden.get(e2e, "img" + k + "_emb").toFloatArray();
            for (int f = 0; f < got.size(); f++, faces++) {
                assertEquals("mobilefacenet-192", got.get(f).modelId());
                double cos = Golden.cosine(got.get(f).values(), Golden.row(want, f, 192));
                worst = Math.min(worst, cos);
                assertTrue(cos >= 0.99999, "img" + k + " face " + f + ": cosine " + cos);
            }
        }
        System.out.printf("e2e embeddings: %d faces, min cosine %.12f%n", faces, worst);
        assertEquals(7, faces);
    }

    @Test
    void aBatchGivesTheSameEmbeddingsAsSingleCalls() {
        List<FaceCrop> three = crops(2).subList(0, 3);
        List<Embedding> batch = embedder.embed(three);
        for (int i = 0; i < 3; i++) {
            float[] single = embedder.embed(List.of(three.get(i))).get(0).values();
            float[] inBatch = batch.get(i).values();
            for (int j = 0; j < single.length; j++) {
                assertEquals(single[j], inBatch[j], 1e-5, "face " + i + " value " + j);
            }
        }
    }

    @Test
    void inputsLongerThanMaxBatchAreSplit() {
        List<FaceCrop> five = crops(2);
        float[] want = Golden.get(e2e, "img2_emb").toFloatArray();
        try (FaceEmbedder small = EmbedderModel.MOBILEFACENET.open(EmbedderOptions.defaults().withMaxBatch(2))) {
            List<Embedding> split = small.embed(five);
            assertEquals(5, split.size());
            for (int i = 0; i < 5; i++) {
                double cos = Golden.cosine(split.get(i).values(), Golden.row(want, i, 192));
                assertTrue(cos >= 0.99999, "face " + i + " in batches of 2: cosine " + cos);
            }
        }
    }

    @Test
    void differentPeopleAreFartherApartThanAFaceAndItsMirrorImage() {
        FaceCrop a = crops(0).get(0);
        FaceCrop b = crops(1).get(0);
        FaceCrop c = crops(2).get(0);
        List<Embedding> e = embedder.embed(List.of(a, a.flipped(), b, c));
        double mirror = e.get(0).squaredDistance(e.get(1));
        double otherB = e.get(0).squaredDistance(e.get(2));
        double otherC = e.get(0).squaredDistance(e.get(3));
        System.out.printf("squared L2: mirror %.3f, other people %.3f and %.3f%n", mirror, otherB, otherC);
        assertTrue(mirror < 0.5 * Math.min(otherB, otherC), "mirror " + mirror + " vs others " + otherB + ", " + otherC);
    }

    @Test
    void anotherThreadGetsTheSameResultWithoutAutograd() throws Exception {
        List<FaceCrop> one = crops(1);
        float[] here = embedder.embedRaw(one)[0];
        CompletableFuture<Object[]> there = CompletableFuture.supplyAsync(() -> {
            float[] r = embedder.embedRaw(one)[0];
            return new Object[] {r, JniUtils.isGradMode()};
        });
        Object[] result = there.get();
        assertEquals(0.0, Golden.relativeMaxDiff((float[]) result[0], here), 1e-6);
        assertFalse((Boolean) result[1], "grad mode must be off on the worker thread after a call");
    }

    @Test
    void aCropOfTheWrongSizeIsRefusedWithItsSize() {
        FaceCrop wrong = new FaceCrop(150, new float[3 * 150 * 150]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> embedder.embed(List.of(wrong)));
        assertTrue(e.getMessage().contains("150×150"), e.getMessage());
    }

    @Test
    void anEmptyListGivesNoEmbeddings() {
        assertEquals(0, embedder.embed(List.of()).size());
    }
}
