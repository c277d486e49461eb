package io.facestream.recognize.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.facestream.recognize.weights.WeightStore;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** P-Net, R-Net and O-Net with the real weights against the numpy reference outputs in golden.npz. */
class MtcnnNetworksTest {

    static MtcnnNetworks nets;
    static Golden golden;

    @BeforeAll
    static void load() {
        golden = new Golden("reference/golden.npz");
        nets = MtcnnNetworks.load(WeightStore.defaultStore());
    }

    @AfterAll
    static void close() {
        if (nets != null) {
            nets.close();
        }
        if (golden != null) {
            golden.close();
        }
    }

    static NDList run(Block block, NDManager m, String input) {
        NDArray x = m.create(golden.floats(input), golden.get(input).getShape());
        return block.forward(new ParameterStore(m, false), new NDList(x), false);
    }

    static void check(String name, float[] actual, double tolerance) {
        double d = Golden.maxAbsDiff(golden.floats(name), actual);
        System.out.printf("%-16s max abs diff %.3g (tolerance %.0g)%n", name, d, tolerance);
        assertTrue(d <= tolerance, name + " differs from the reference by " + d + ", more than " + tolerance);
    }

    @Test
    void pnetConv1MatchesTheTransposedKernels() {
        try (NDManager m = NDManager.newBaseManager()) {
            // The stem's first child is conv1; run it alone to check the kernel layout before PReLU.
            Block conv1 = nets.pnetStem().getChildren().get(0).getValue();
            NDArray out = run(conv1, m, "pnet_in").head();
            assertArrayEquals(golden.get("pnet_conv1_out").getShape().getShape(), out.getShape().getShape());
            check("pnet_conv1_out", out.toFloatArray(), 1e-5);
        }
    }

    @Test
    void pnetMatches() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDList out = run(nets.pnet(), m, "pnet_in");
            assertArrayEquals(new long[] {1, 2, 14, 22}, out.get(1).getShape().getShape());
            check("pnet_logits", out.get(0).toFloatArray(), 1e-4);
            check("pnet_prob", out.get(1).toFloatArray(), 1e-5);
            check("pnet_reg", out.get(2).toFloatArray(), 1e-5);
        }
    }

    @Test
    void rnetMatches() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDList out = run(nets.rnet(), m, "rnet_in");
            check("rnet_logits", out.get(0).toFloatArray(), 1e-4);
            check("rnet_prob", out.get(1).toFloatArray(), 1e-5);
            check("rnet_reg", out.get(2).toFloatArray(), 1e-5);
        }
    }

    @Test
    void rnetGivesABatchWhatItGivesEachCropAlone() {
        // libtorch's CPU convolution has computed wrong values for batches over 17-31 input channels on some CPUs;
        // R-Net's second convolution is run over 32 channels for that reason (MtcnnNetworks). Batches of crops are
        // how R-Net always runs.
        java.util.Random random = new java.util.Random(7);
        int n = 5;
        float[] crops = new float[n * 3 * 24 * 24];
        for (int i = 0; i < crops.length; i++) {
            crops[i] = (float) random.nextGaussian() * 0.5f;
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray batch = m.create(crops, new ai.djl.ndarray.types.Shape(n, 3, 24, 24));
            float[] together = nets.rnet().forward(new ParameterStore(m, false), new NDList(batch), false).get(0)
                    .toFloatArray();
            for (int c = 0; c < n; c++) {
                NDArray one = m.create(java.util.Arrays.copyOfRange(crops, c * 3 * 24 * 24, (c + 1) * 3 * 24 * 24),
                        new ai.djl.ndarray.types.Shape(1, 3, 24, 24));
                float[] alone = nets.rnet().forward(new ParameterStore(m, false), new NDList(one), false).get(0)
                        .toFloatArray();
                for (int k = 0; k < 2; k++) {
                    assertTrue(Math.abs(alone[k] - together[2 * c + k]) < 1e-4,
                            "crop " + c + " logit " + k + ": " + alone[k] + " alone, " + together[2 * c + k] + " in the batch");
                }
            }
        }
    }

    @Test
    void onetMatches() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDList out = run(nets.onet(), m, "onet_in");
            check("onet_logits", out.get(0).toFloatArray(), 1e-4);
            check("onet_prob", out.get(1).toFloatArray(), 1e-5);
            check("onet_reg", out.get(2).toFloatArray(), 1e-5);
            check("onet_landmarks", out.get(3).toFloatArray(), 1e-5);
        }
    }

    @Test
    void noGradientIsRecordedOnAFreshThread() throws Exception {
        AtomicReference<Boolean> grad = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                grad.set(run(nets.onet(), m, "onet_in").get(1).hasGradient());
            }
        });
        t.start();
        t.join();
        assertFalse(grad.get(), "O-Net output on a new thread requires a gradient");
    }
}
