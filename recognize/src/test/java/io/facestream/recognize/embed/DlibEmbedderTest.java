package io.facestream.recognize.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.facestream.core.Embedding;
import io.facestream.recognize.align.FaceCrop;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dlib embedder through its public API, preprocessing included. */
class DlibEmbedderTest {

    @Test
    void theReferenceChipGivesTheReferenceDescriptor() throws Exception {
        try (FaceEmbedder dlib = EmbedderModel.DLIB.open(); NDManager m = NDManager.newBaseManager()) {
            assertEquals("dlib-resnet-128", dlib.modelId());
            assertEquals(150, dlib.inputSize());
            assertEquals(128, dlib.dimension());
            NDList golden = Golden.load(m, "golden.npz");
            // golden holds the normalised chip; undo (v − mean) / 255 to get the 0..255 chip back
            float[] x = Golden.get(golden, "dlib_in").toFloatArray();
            double[] mean = {122.782, 117.001, 104.298};
            float[] chw = new float[x.length];
            int plane = 150 * 150;
            for (int i = 0; i < x.length; i++) {
                chw[i] = (float) (x[i] * 255.0 + mean[i / plane]);
            }
            FaceCrop chip = new FaceCrop(150, chw);
            float[] want = Golden.get(golden, "dlib_out").toFloatArray();
            Golden.assertClose("dlib via FaceEmbedder", dlib.embedRaw(List.of(chip))[0], want, 128, 1e-4, 0.99999);
            Embedding e = dlib.embed(List.of(chip)).get(0);
            assertEquals(1.0, Math.sqrt(e.cosine(e)), 1e-6);
        }
    }
}
