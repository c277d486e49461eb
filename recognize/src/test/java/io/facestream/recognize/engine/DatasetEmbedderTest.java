package io.facestream.recognize.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.Embedding;
import io.facestream.recognize.image.RgbImage;
import io.facestream.recognize.testing.Npz;
import io.facestream.recognize.testing.SharedData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Set;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data-set path: every configuration from one pass equals embedding that configuration directly. */
class DatasetEmbedderTest {

    @Test
    void variantsGiveTheSameEmbeddingsAsADirectRun(@TempDir Path dir) throws Exception {
        List<Path> files = goldenImages(dir);
        DatasetEmbedder embedder = new DatasetEmbedder(new EngineOptions(null, 1, "auto", 20), 1);
        var variants = embedder.embedVariants(files, n -> { });
        assertTrue(variants.noFace().isEmpty(), "every golden image has a face");
        for (FaceModel model : FaceModel.values()) {
            for (boolean flip : new boolean[] {false, true}) {
                var direct = embedder.embed(files, model, flip, n -> { });
                for (Path p : files) {
                    Embedding a = direct.embeddings().get(p);
                    Embedding b = variants.embeddings().get(p).select(model, flip, EnsembleWeights.BALANCED);
                    assertEquals(model.modelId(), a.modelId());
                    assertEquals(1.0, a.cosine(b), 1e-5, model + (flip ? " + flip " : " ") + p.getFileName());
                }
            }
        }
    }

    @Test
    void viewsRunOnlyTheNetworksAskedForAndMatchADirectRun(@TempDir Path dir) throws Exception {
        List<Path> files = goldenImages(dir);
        DatasetEmbedder embedder = new DatasetEmbedder(new EngineOptions(null, 1, "auto", 20), 1);
        MultiView set = MultiView.parse("plain,tmirror,avg");
        var views = embedder.embedViews(files, set, Set.of(FaceModel.DLIB), n -> { });
        var flip = embedder.embed(files, FaceModel.DLIB, true, n -> { });
        for (Path p : files) {
            FaceViews v = views.embeddings().get(p);
            assertEquals(Set.of(MultiView.View.PLAIN, MultiView.View.TEMPLATE_MIRROR, MultiView.View.AVERAGED), v.dlib().keySet());
            assertTrue(v.mobileFaceNet().isEmpty(), "MobileFaceNet was not asked for");
            assertEquals(1.0, flip.embeddings().get(p).cosine(v.select(FaceModel.DLIB, MultiView.FLIP, EnsembleWeights.BALANCED)), 1e-6);
            Embedding three = v.select(FaceModel.DLIB, set, EnsembleWeights.BALANCED);
            assertTrue(three.squaredDistance(flip.embeddings().get(p)) > 1e-7, "the averaged view adds something");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> v.select(FaceModel.ENSEMBLE, set, EnsembleWeights.BALANCED));
            assertEquals("mobilefacenet was not run on this face; embed its views with it first", e.getMessage());
        }
    }

    /** The three golden end-to-end images as PNG files. */
    private static List<Path> goldenImages(Path dir) throws Exception {
        Map<String, Npz.Array> e2e = Npz.read(SharedData.require("reference/golden_e2e.npz"));
        List<Path> files = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            Npz.Array rgb = e2e.get("img" + k + "_rgb");
            byte[] px = new byte[rgb.data().length];
            for (int i = 0; i < px.length; i++) {
                px[i] = (byte) Math.round(rgb.data()[i]);
            }
            Path p = dir.resolve("img" + k + ".png");
            ImageIO.write(new RgbImage(rgb.shape()[1], rgb.shape()[0], px).toBufferedImage(), "png", p.toFile());
            files.add(p);
        }
        return files;
    }
}
