package io.facestream.recognize.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.Embedding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A set's embeddings survive the round trip through the file, and a file made from the same images is reused. */
class VariantsFileTest {

    @Test
    void writesAndReadsBackEveryEmbeddingAndTheFallbackAndFailedImages(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("lfw");
        Map<Path, FaceVariants> variants = sample(root, 5, 7);
        Path fallback = root.resolve("Person_2/Person_2_0001.jpg");
        Path broken = root.resolve("Person_9/Person_9_0001.jpg");
        Path file = dir.resolve("cache/lfw.variants");
        VariantsFile.write(file, root, new VariantsFile.Contents(variants, List.of(fallback), Map.of(broken, "not a JPEG")));

        // Read back from the same folder under another spelling: paths resolve against the root given.
        Path sameRoot = dir.resolve("cache/../lfw");
        VariantsFile.Contents back = VariantsFile.read(file, sameRoot);
        assertEquals(5, back.variants().size());
        assertEquals(List.of(sameRoot.resolve("Person_2/Person_2_0001.jpg")), back.noFace());
        assertEquals(Map.of(sameRoot.resolve("Person_9/Person_9_0001.jpg"), "not a JPEG"), back.failed());
        for (Map.Entry<Path, FaceVariants> e : variants.entrySet()) {
            FaceVariants got = back.variants().get(sameRoot.resolve(root.relativize(e.getKey())));
            assertArrayEquals(e.getValue().mobileFaceNet().values(), got.mobileFaceNet().values());
            assertArrayEquals(e.getValue().mobileFaceNetFlipped().values(), got.mobileFaceNetFlipped().values());
            assertArrayEquals(e.getValue().dlib().values(), got.dlib().values());
            assertArrayEquals(e.getValue().dlibFlipped().values(), got.dlibFlipped().values());
            assertEquals("dlib-resnet-128", got.dlib().modelId());
        }
    }

    @Test
    void aFileMadeFromTheSameImagesIsReadNotEmbeddedAgain(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("set");
        Map<Path, FaceVariants> variants = sample(root, 4, 3);
        Path file = dir.resolve("set.variants");
        VariantsFile.write(file, root, new VariantsFile.Contents(variants, List.of(), Map.of()));
        AtomicInteger progress = new AtomicInteger();
        // An embedder with no weights behind it: it would fail if asked to embed.
        DatasetEmbedder none = new DatasetEmbedder(new EngineOptions(dir.resolve("no-weights"), 1, "cpu", 20), 1);
        var r = VariantsFile.embedOrRead(none, root, List.copyOf(variants.keySet()), file, progress::set);
        assertEquals(4, progress.get(), "the progress bar is filled at once");
        assertEquals(0, r.seconds());
        assertEquals(variants.keySet(), r.embeddings().keySet());
    }

    @Test
    void aCutOffFileIsRefusedWithHowToMendIt(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("set");
        Path file = dir.resolve("set.variants");
        VariantsFile.write(file, root, new VariantsFile.Contents(sample(root, 3, 1), List.of(), Map.of()));
        byte[] all = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(all, all.length / 2));
        IOException e = assertThrows(IOException.class, () -> VariantsFile.read(file, root));
        assertTrue(e.getMessage().contains("delete it"), e.getMessage());
    }

    private static Map<Path, FaceVariants> sample(Path root, int n, long seed) {
        Random random = new Random(seed);
        Map<Path, FaceVariants> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            out.put(root.resolve("Person_" + i + "/Person_" + i + "_0001.jpg"), new FaceVariants(
                    unit("mobilefacenet-192", 192, random), unit("mobilefacenet-192", 192, random),
                    unit("dlib-resnet-128", 128, random), unit("dlib-resnet-128", 128, random)));
        }
        return out;
    }

    private static Embedding unit(String model, int d, Random random) {
        float[] v = new float[d];
        for (int i = 0; i < d; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return Embedding.normalise(model, v);
    }
}
