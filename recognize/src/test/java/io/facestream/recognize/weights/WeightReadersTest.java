package io.facestream.recognize.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real weight files, fetched by the store with npm, read by our own format readers. */
class WeightReadersTest {

    static WeightStore store;

    @BeforeAll
    static void fetch() {
        store = WeightStore.defaultStore();
        store.fetchAll();
    }

    @Test
    void everyCachedFileHasItsPinnedDigest() throws Exception {
        for (WeightFile f : WeightFile.values()) {
            assertEquals(f.sha256(), WeightStore.sha256(store.location(f)), f.name());
        }
    }

    @Test
    void mtcnnManifestHasFiftyFloatTensors() throws Exception {
        Map<String, Tensor> t = TfjsWeights.read(store.require(WeightFile.MTCNN_MANIFEST));
        assertEquals(50, t.size());
        assertEquals(495_850, t.values().stream().mapToInt(Tensor::size).sum());
        assertArrayEquals(new int[] {3, 3, 3, 10}, t.get("pnet/conv1/weights").shape());
        assertArrayEquals(new int[] {1152, 256}, t.get("onet/fc1/weights").shape());
    }

    @Test
    void dlibManifestDequantisesUint8() throws Exception {
        Map<String, Tensor> t = TfjsWeights.read(store.require(WeightFile.DLIB_MANIFEST));
        assertEquals(117, t.size());
        assertEquals(5_614_592, t.values().stream().mapToInt(Tensor::size).sum());
        Tensor filters = t.get("conv32_down/conv/filters");
        assertArrayEquals(new int[] {7, 7, 3, 32}, filters.shape());
        // uint8 q in 0..255 maps into [min, min + 255·scale] from the manifest
        double min = -0.07101876902229645;
        double max = min + 255 * 0.0005260649557207145;
        for (float v : filters.data()) {
            assertTrue(v >= min - 1e-7 && v <= max + 1e-7, "dequantised value " + v + " outside the manifest range");
        }
        assertArrayEquals(new int[] {256, 128}, t.get("fc").shape());
    }

    @Test
    void mobileFaceNetTfliteTensors() throws Exception {
        TfliteModel m = TfliteModel.read(store.require(WeightFile.MOBILEFACENET_TFLITE));
        assertEquals("input", m.tensor(368).name());
        assertEquals("embeddings", m.tensor(367).name());
        assertNull(m.tensor(368).constant());
        TfliteModel.TfliteTensor w = m.tensor(1);
        assertEquals("MobileFaceNet/Conv2d_0/weights/read", w.name());
        assertArrayEquals(new int[] {64, 3, 3, 3}, w.shape());
        // Conv2d_0's PReLU constant: c[0] = 1.1859 (alpha = 2c)
        assertEquals(1.1859, m.tensor(50).constant()[0], 1e-4);
        assertTrue(m.operators().size() > 100);
    }

    @Test
    void zeroPaddingAddsZerosAfterTheEntriesOfOneAxis() {
        Tensor t = new Tensor("t", new int[] {2, 2, 2}, new float[] {1, 2, 3, 4, 5, 6, 7, 8});
        assertArrayEquals(new float[] {1, 2, 3, 4, 0, 0, 5, 6, 7, 8, 0, 0}, t.zeroPadded(1, 3).data());
        assertArrayEquals(new int[] {2, 3, 2}, t.zeroPadded(1, 3).shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0}, t.zeroPadded(0, 3).data());
        assertArrayEquals(new float[] {1, 2, 0, 3, 4, 0, 5, 6, 0, 7, 8, 0}, t.zeroPadded(2, 3).data());
        assertThrows(IllegalArgumentException.class, () -> t.zeroPadded(1, 1));
    }

    @Test
    void transposeMovesAxesLikeNumpy() {
        Tensor t = new Tensor("t", new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6});
        Tensor tt = t.transpose(1, 0);
        assertArrayEquals(new int[] {3, 2}, tt.shape());
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, tt.data());
    }

    @Test
    void aDigestMismatchIsRefused(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path bad = dir.resolve(WeightFile.MTCNN_SHARD.npmPackage().folderName()).resolve(WeightFile.MTCNN_SHARD.fileName());
        Files.createDirectories(bad.getParent());
        Files.write(bad, new byte[] {1, 2, 3});
        WeightStore s = new WeightStore(dir);
        assertTrue(!s.isPresent(WeightFile.MTCNN_SHARD));
        assertThrows(IllegalArgumentException.class, () -> new Tensor("x", new int[] {2, 2}, new float[3]));
    }
}
