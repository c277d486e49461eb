package io.facestream.recognize.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.facestream.recognize.weights.WeightStore;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** MobileFaceNet converted from the original TFLite file against the numpy reference outputs. */
class MobileFaceNetGoldenTest {

    static Model model;

    @BeforeAll
    static void convert() {
        model = ConvertedWeights.convert(EmbedderModel.MOBILEFACENET, Device.cpu(), WeightStore.defaultStore());
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    @Test
    void rawEmbeddingAndIntermediatesMatchTheReference() throws Exception {
        Engines.inferenceModeOnThisThread();
        try (NDManager m = model.getNDManager().newSubManager()) {
            NDList golden = Golden.load(m, "golden.npz");
            MobileFaceNetBlock block = (MobileFaceNetBlock) model.getBlock();
            NDList out = block.forwardWithTaps(new ParameterStore(m, false), Golden.get(golden, "mfn_in"));
            Golden.assertClose("mfn_raw", out.get(0).toFloatArray(), Golden.get(golden, "mfn_raw").toFloatArray(),
                    192, 1e-5, 0.999999);
            Golden.assertClose("mfn_stem_out_chanmean", out.get(1).toFloatArray(),
                    Golden.get(golden, "mfn_stem_out_chanmean").toFloatArray(), 64, 1e-5, 0.999999);
            Golden.assertClose("mfn_gdc_out", out.get(2).toFloatArray(),
                    Golden.get(golden, "mfn_gdc_out").toFloatArray(), 512, 1e-5, 0.999999);
        }
    }

    /** The inference path with PReLU signs folded into the weights gives the plain path's bits, not just close ones. */
    @Test
    void foldedPreluSignsGiveTheSameBits() throws Exception {
        Engines.inferenceModeOnThisThread();
        try (Model other = ConvertedWeights.convert(EmbedderModel.MOBILEFACENET, Device.cpu(), WeightStore.defaultStore());
                NDManager m = model.getNDManager().newSubManager()) {
            MobileFaceNetBlock plain = (MobileFaceNetBlock) model.getBlock();
            MobileFaceNetBlock folded = (MobileFaceNetBlock) other.getBlock();
            folded.foldPreluSigns();
            NDList golden = Golden.load(m, "golden.npz");
            float[] noise = new float[3 * 3 * 112 * 112];
            Random r = new Random(7);
            for (int i = 0; i < noise.length; i++) {
                noise[i] = r.nextFloat() * 2 - 1;
            }
            for (NDArray x : new NDArray[] {Golden.get(golden, "mfn_in"), m.create(noise, new Shape(3, 3, 112, 112))}) {
                ParameterStore ps = new ParameterStore(m, false);
                float[] want = plain.forward(ps, new NDList(x), false).head().toFloatArray();
                float[] got = folded.forward(ps, new NDList(x), false).head().toFloatArray();
                assertArrayEquals(want, got, 0f, "folded MobileFaceNet on input " + x.getShape());
            }
        }
    }
}
