package io.facestream.train.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.Sgd;
import org.junit.jupiter.api.Test;

/** The optimiser and parameter choices: named, checked, kept by every copy; the optimiser built as named. */
class TrainerOptionsTest {

    @Test
    void adamByDefaultSgdOnRequest() {
        TrainerOptions d = TrainerOptions.defaults();
        assertEquals("adam", d.optimizer());
        TrainerOptions sgd = d.withOptimizer("SGD");
        assertEquals("sgd", sgd.optimizer());
        // every other copy keeps the choice
        assertEquals("sgd", sgd.withSteps(10, 5).withBatch(4, 3).withLearningRate(1e-3).withAugmentation(false, 0)
                .trainingFrom(null).withDirectionalLight(0.5).withSeed(7).withDistillation(1).optimizer());
        assertTrue(TripletTrainer.optimizer(d) instanceof Adam);
        assertTrue(TripletTrainer.optimizer(sgd) instanceof Sgd);
        assertTrue(TripletTrainer.optimizer(d.withOptimizer("LAMB")) instanceof Lamb);
    }

    @Test
    void anUnknownOptimiserIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> TrainerOptions.defaults().withOptimizer("rmsprop"));
        assertTrue(e.getMessage().contains("adam or lamb or sgd"), e.getMessage());
    }

    @Test
    void allParametersByDefaultBiasesOnRequest() {
        TrainerOptions d = TrainerOptions.defaults();
        assertEquals("all", d.parameters());
        assertFalse(d.biasesOnly());
        TrainerOptions b = d.withParameters("Biases");
        assertEquals("biases", b.parameters());
        assertTrue(b.biasesOnly());
        assertTrue(throughTheOtherCopies(b).biasesOnly());
        var e = assertThrows(IllegalArgumentException.class, () -> d.withParameters("weights"));
        assertTrue(e.getMessage().contains("all or biases"), e.getMessage());
    }

    @Test
    void distillationPullsTowardTheCropByDefaultTheCentreOnRequest() {
        TrainerOptions d = TrainerOptions.defaults();
        assertEquals("crop", d.distillTarget());
        assertFalse(d.distillToCentre());
        TrainerOptions c = d.withDistillTarget("Centre");
        assertEquals("centre", c.distillTarget());
        assertTrue(throughTheOtherCopies(c).withParameters("biases").distillToCentre());
        var e = assertThrows(IllegalArgumentException.class, () -> d.withDistillTarget("mean"));
        assertTrue(e.getMessage().contains("crop or centre"), e.getMessage());
    }

    @Test
    void trainsToTheEndUnlessALastLayerIsGiven() {
        TrainerOptions d = TrainerOptions.defaults();
        assertNull(d.lastTrainedLayer());
        TrainerOptions t = d.trainingTo("bneck14_project");
        assertEquals("bneck14_project", t.lastTrainedLayer());
        assertEquals("bneck14_project", throughTheOtherCopies(t).withParameters("biases").withDistillTarget("centre")
                .lastTrainedLayer());
        assertEquals(TrainerOptions.DEFAULT_FIRST_TRAINED_LAYER, t.firstTrainedLayer());
    }

    /** {@code o} through every copy that changes neither the trained parameters nor the distillation target. */
    private static TrainerOptions throughTheOtherCopies(TrainerOptions o) {
        return o.withSteps(10, 5).withBatch(4, 3).withLearningRate(1e-3).withAugmentation(false, 0).trainingFrom(null)
                .withDirectionalLight(0.5).withSeed(7).withDistillation(1).withOptimizer("sgd");
    }
}
