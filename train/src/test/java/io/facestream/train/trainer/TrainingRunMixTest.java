package io.facestream.train.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.facestream.recognize.align.FaceCrop;
import io.facestream.recognize.embed.TrainableNetwork;
import io.facestream.recognize.weights.WeightStore;
import io.facestream.train.buffer.BufferOptions;
import io.facestream.train.buffer.ReplayBuffer;
import io.facestream.train.gate.ValidationGate;
import io.facestream.train.model.ModelRecord;
import io.facestream.train.model.ModelWriter;
import io.facestream.train.testing.YaleFaces;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With weight mixes the gate judges the trained weights and their mix with the start; the kept model is the one it
 * chose (a mix is the parameters' blend, exactly), and training goes on from the trained weights, which the checkpoint
 * holds.
 */
class TrainingRunMixTest {


    @TempDir
    Path tmp;

    @Test
    void theGateChoosesAmongTheTrainedWeightsAndTheirMixAndTrainingKeepsTheTrainedOnes() throws Exception {
        Map<String, List<FaceCrop>> crops = YaleFaces.trainingCrops();
        ReplayBuffer buffer = ReplayBuffer.open(tmp.resolve("buffer"), new BufferOptions(200, 50));
        YaleFaces.fill(buffer, crops);
        ValidationGate gate = YaleFaces.gate(tmp);
        // A large rate, so that the trained weights are far from the start and a mix is measurably between them.
        TrainerOptions options = TrainerOptions.defaults().withBatch(4, 4).withSteps(3, 3).withLearningRate(5e-4)
                .withAugmentation(false, 0);
        List<FaceCrop> probe = crops.get("yaleB08");
        Path out = tmp.resolve("run");
        List<Evaluation> evaluations = new java.util.ArrayList<>();
        try (TrainableNetwork net = TrainableNetwork.fromPublicWeights(WeightStore.defaultStore(), Device.cpu());
                TrainableNetwork start = TrainableNetwork.fromPublicWeights(WeightStore.defaultStore(), Device.cpu())) {
            TrainingRun.Outcome o = new TrainingRun(net, buffer, gate, options, out, new TrainingLog())
                    .mixes(List.of(0.5)).run(new TrainingRun.Listener() {
                        @Override
                        public void onEvaluation(Evaluation e) {
                            evaluations.add(e);
                        }
                    });
            assertEquals(3, o.steps());
            assertEquals(2, evaluations.size(), "the start and one evaluation");

            float[][] after = net.embed(probe, 8);
            try (TrainableNetwork checkpoint = TrainableNetwork.fromSaved(out.resolve(TrainingRun.CHECKPOINT), Device.cpu())) {
                assertEquals(0, distance(after, checkpoint.embed(probe, 8)), 1e-6,
                        "after the mixes the network is back on its trained weights, which the checkpoint holds");
            }
            float[][] e0 = start.embed(probe, 8);
            assertTrue(distance(after, e0) > 0.05, "training moved the embeddings: " + distance(after, e0));
            if (o.best() != null) {
                ModelRecord best = ModelWriter.read(out.resolve(TrainingRun.BEST));
                Object alpha = best.training().get("mix_alpha");
                try (TrainableNetwork kept = TrainableNetwork.fromSaved(out.resolve(TrainingRun.BEST), Device.cpu())) {
                    float[][] k = kept.embed(probe, 8);
                    if (alpha == null) {
                        assertEquals(0, distance(after, k), 1e-6, "kept unmixed: the trained weights");
                    } else {
                        assertEquals(0.5, ((Number) alpha).doubleValue());
                        double toStart = distance(k, e0);
                        double toTrained = distance(k, after);
                        assertTrue(toStart > 1e-4 && toTrained > 1e-4, "the mix is neither end: " + toStart + ", "
                                + toTrained);
                        assertTrue(evaluations.get(1).reason().contains("weights mixed: 0.50 x trained"),
                                evaluations.get(1).reason());
                    }
                }
            } else {
                assertNotNull(evaluations.get(1).reason());
            }
        }
    }

    private static double distance(float[][] a, float[][] b) {
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
