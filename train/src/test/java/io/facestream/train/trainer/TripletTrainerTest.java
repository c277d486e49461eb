package io.facestream.train.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.facestream.core.event.HardExample.LabelSource;
import io.facestream.recognize.align.FaceCrop;
import io.facestream.recognize.embed.TrainableNetwork;
import io.facestream.recognize.weights.WeightStore;
import io.facestream.train.buffer.BufferedFace;
import io.facestream.train.mining.Mining;
import io.facestream.train.mining.SemiHardMiner;
import io.facestream.train.sample.Batch;
import io.facestream.train.testing.YaleFaces;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A few real training steps on real faces lower the triplet loss, and validation sees the new weights. */
class TripletTrainerTest {

    @Test
    void aFewStepsLowerTheLossOnRealFaces() throws Exception {
        Map<String, List<FaceCrop>> faces = YaleFaces.crops(List.of("yaleB01", "yaleB02", "yaleB03", "yaleB04"), 4, 9);
        List<BufferedFace> list = new ArrayList<>();
        List<FaceCrop> crops = new ArrayList<>();
        int[] labels = new int[16];
        int i = 0;
        int person = 0;
        for (List<FaceCrop> ofPerson : faces.values()) {
            for (FaceCrop c : ofPerson) {
                list.add(new BufferedFace(i, "p" + person, LabelSource.CONFIRMED, c.size(), BufferedFace.toBytes(c)));
                crops.add(list.get(i).toCrop());
                labels[i++] = person;
            }
            person++;
        }
        Batch batch = new Batch(list, labels, new boolean[16], 4);
        SemiHardMiner hardestFirst = new SemiHardMiner(SemiHardMiner.FACENET_ALPHA, Double.POSITIVE_INFINITY);
        TrainerOptions o = TrainerOptions.defaults().withBatch(4, 4).withLearningRate(5e-4).withAugmentation(false, 0);
        try (TrainableNetwork net = TrainableNetwork.fromPublicWeights(WeightStore.defaultStore(), Device.cpu());
                TripletTrainer trainer = new TripletTrainer(net, o)) {
            float[][] before = trainer.embed(crops);
            Mining m0 = hardestFirst.mine(before, labels, null);
            double loss0 = m0.meanLoss();
            StepResult first = null;
            for (int s = 0; s < 6; s++) {
                StepResult r = trainer.step(batch);
                first = first == null ? r : first;
            }
            float[][] after = trainer.embed(crops);
            double loss1 = hardestFirst.mine(after, labels, null).meanLoss();
            System.out.printf("loss on the batch: %.4f -> %.4f (first step %.4f, %d triplets, %.0f%% active, %.2f s)%n",
                    loss0, loss1, first.loss(), first.triplets(), 100 * first.activeFraction(), first.seconds());
            // the training forward and the inference path agree on the unchanged weights
            assertEquals(loss0, first.loss(), 1e-3);
            assertTrue(first.updated());
            assertTrue(loss0 > 0.05, "the public model should find these faces hard, loss " + loss0);
            assertTrue(loss1 < 0.6 * loss0, "6 steps should lower the loss well: " + loss0 + " -> " + loss1);
            assertEquals(6, trainer.steps());
            assertEquals(96, trainer.imagesSeen());
        }
    }
}
