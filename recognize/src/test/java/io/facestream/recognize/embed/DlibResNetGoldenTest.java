package io.facestream.recognize.embed;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.facestream.recognize.weights.WeightStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dlib ResNet converted from the original tfjs weights against the numpy reference outputs. */
class DlibResNetGoldenTest {

    static Model model;

    @BeforeAll
    static void convert() {
        model = ConvertedWeights.convert(EmbedderModel.DLIB, Device.cpu(), WeightStore.defaultStore());
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    @Test
    void descriptorAndStemMatchTheReference() throws Exception {
        Engines.inferenceModeOnThisThread();
        try (NDManager m = model.getNDManager().newSubManager()) {
            NDList golden = Golden.load(m, "golden.npz");
            DlibResNetBlock block = (DlibResNetBlock) model.getBlock();
            NDList out = block.forwardWithTaps(new ParameterStore(m, false), Golden.get(golden, "dlib_in"));
            Golden.assertClose("dlib_out", out.get(0).toFloatArray(), Golden.get(golden, "dlib_out").toFloatArray(),
                    128, 1e-4, 0.99999);
            Golden.assertClose("dlib_stem_out_chanmean", out.get(1).toFloatArray(),
                    Golden.get(golden, "dlib_stem_out_chanmean").toFloatArray(), 32, 1e-4, 0.99999);
        }
    }
}
