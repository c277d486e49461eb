package io.facestream.train.mining;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.engine.Engine;
import org.junit.jupiter.api.Test;

/** The DJL loss: normalises the raw outputs, mines, and gives the hand-computed value and gradient. */
class TripletLossTest {

    @Test
    void valueAndGradientOfHandMadeEmbeddings() {
        try (NDManager m = NDManager.newBaseManager()) {
            // raw outputs of different lengths: the loss normalises them first.
            // unit: a = (1,0), p = (0.6,0.8), n1 = (0,1), n2 = (-1,0)
            float[] raw = {3, 0, 1.2f, 1.6f, 0, 0.5f, -2, 0};
            NDArray x = m.create(raw, new Shape(4, 2));
            x.setRequiresGradient(true);
            TripletLoss loss = new TripletLoss(SemiHardMiner.facenet());
            NDArray value;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                value = loss.evaluate(new NDList(m.create(new int[] {0, 0, 1, 2})), new NDList(x));
                gc.backward(value);
            }
            // d(a,p) = 0.16 + 0.64 = 0.8; from a: n1 at 2.0, n2 at 4.0, both beyond 1.0 → the closer, n1; loss 0.
            // from p (anchor 1): d(p,a) = 0.8; d(p,n1) = 0.36 + 0.04 = 0.4 (closer: hard), d(p,n2) = 2.56 + 0.64 = 3.2
            // (beyond): the closest beyond the margin, n2, loss 0. Both pairs inactive.
            Mining mining = loss.lastMining();
            assertEquals(2, mining.triplets().size());
            assertEquals(2, mining.triplets().get(0).negative());
            assertEquals(Triplet.Kind.EASY, mining.triplets().get(0).kind());
            assertEquals(3, mining.triplets().get(1).negative());
            assertEquals(Triplet.Kind.EASY, mining.triplets().get(1).kind());
            assertEquals(0, value.getFloat(), 1e-6);
            assertEquals(0, mining.activeFraction(), 0);

            // With α = 0.5, a = (1,0), p = (0.8,0.6), n1 = (0.6,0.8), n2 = (−1,0): d(a,p) = 0.4, d(a,n1) = 0.8.
            TripletLoss wide = new TripletLoss(new SemiHardMiner(0.5, Double.POSITIVE_INFINITY));
            NDArray w;
            NDArray grad;
            NDArray z = m.create(new float[] {1, 0, 0.8f, 0.6f, 0.6f, 0.8f, -1, 0}, new Shape(4, 2));
            z.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                w = wide.evaluate(new NDList(m.create(new int[] {0, 0, 1, 2})), new NDList(z));
                gc.backward(w);
            }
            grad = z.getGradient();
            // from a: n1 at 0.8 is semi-hard (0.4 < 0.8 < 0.9): loss 0.4 − 0.8 + 0.5 = 0.1.
            // from p: n1 at 0.08 is closer, n2 at 3.6 beyond 0.9 → the closest beyond, n2: loss 0. Mean 0.05.
            Mining wm = wide.lastMining();
            assertEquals(2, wm.triplets().get(0).negative());
            assertEquals(Triplet.Kind.SEMI_HARD, wm.triplets().get(0).kind());
            assertEquals(0.05, w.getFloat(), 1e-5);
            assertEquals(0.5, wm.activeFraction(), 0);
            // The gradient pulls the anchor toward p and away from n1, and leaves n2 alone.
            float[] g = grad.toFloatArray();
            assertEquals(0, g[6], 1e-6);
            assertEquals(0, g[7], 1e-6);
            assertEquals(0, g[0], 1e-6);
            // Analytic: L = ½(‖a−p‖² − ‖a−n‖²) on the unit circle; dL/da (before normalisation) = ½·2(n − p)
            // projected on the tangent at a = (1,0): the y part, (0.8 − 0.6) = 0.2
            assertEquals(0.2, g[1], 1e-5);
        }
    }
}
