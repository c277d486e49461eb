package io.facestream.train.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.facestream.recognize.align.FaceCrop;
import io.facestream.recognize.embed.TrainableNetwork;
import io.facestream.recognize.embed.WeightMix;
import io.facestream.recognize.weights.WeightStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The mix of two networks is the start at 0, the tuned one at 1, and the parameters' average in between. */
class WeightMixTest {

    @Test
    void mixesParametersLinearlyBetweenTheStartAndTheTunedNetwork() {
        List<FaceCrop> crops = crops(6);
        try (TrainableNetwork start = TrainableNetwork.fromPublicWeights(WeightStore.defaultStore(), Device.cpu());
                TrainableNetwork tuned = TrainableNetwork.fromPublicWeights(WeightStore.defaultStore(), Device.cpu())) {
            TrainableNetwork.noGradientsOnThisThread();
            Random r = new Random(3);
            for (Pair<String, Parameter> p : tuned.model().getBlock().getParameters()) {
                p.getValue().getArray().muli(1 + 0.1 * r.nextGaussian()); // a "tuned" network: every tensor rescaled
            }
            float[][] e0 = start.embed(crops, 8);
            float[][] e1 = tuned.embed(crops, 8);
            double apart = meanDistance(e0, e1);
            assertTrue(apart > 0.01, "the rescaled network embeds differently: " + apart);
            String name = tuned.model().getBlock().getParameters().get(0).getKey();
            float[] p0 = start.model().getBlock().getParameters().get(0).getValue().getArray().toFloatArray();
            float[] p1 = tuned.model().getBlock().getParameters().get(0).getValue().getArray().toFloatArray();

            try (WeightMix.Snapshot s0 = WeightMix.snapshot(start); WeightMix.Snapshot s1 = WeightMix.snapshot(tuned)) {
                WeightMix.apply(tuned, s0, s1, 0);
                assertEquals(0, meanDistance(e0, tuned.embed(crops, 8)), 1e-6, "alpha 0 is the start");
                WeightMix.apply(tuned, s0, s1, 0.5);
                float[] half = tuned.model().getBlock().getParameters().get(0).getValue().getArray().toFloatArray();
                for (int i = 0; i < half.length; i++) {
                    assertEquals((p0[i] + p1[i]) / 2, half[i], 1e-6, name + "[" + i + "] is the average");
                }
                double mid = meanDistance(e0, tuned.embed(crops, 8));
                assertTrue(mid > 0 && mid < apart, "the half mix embeds between the two: " + mid + " of " + apart);
                WeightMix.apply(tuned, s0, s1, 1);
                assertEquals(0, meanDistance(e1, tuned.embed(crops, 8)), 1e-6, "alpha 1 is the tuned network");
                assertThrows(IllegalArgumentException.class, () -> WeightMix.apply(tuned, s0, s1, 1.5));
            }
        }
    }

    private static List<FaceCrop> crops(int n) {
        Random r = new Random(11);
        List<FaceCrop> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] chw = new float[3 * 112 * 112];
            for (int j = 0; j < chw.length; j++) {
                chw[j] = r.nextFloat() * 255f;
            }
            out.add(new FaceCrop(112, chw));
        }
        return out;
    }

    private static double meanDistance(float[][] a, float[][] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                double d = a[i][j] - b[i][j];
                sum += d * d;
            }
        }
        return sum / a.length;
    }
}
