package io.facestream.train.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.facestream.core.Embedding;
import io.facestream.core.event.CurvePoint;
import io.facestream.core.event.HardExample;
import io.facestream.core.event.HardExample.LabelSource;
import io.facestream.core.event.ModelRecord;
import io.facestream.recognize.align.FaceCrop;
import io.facestream.recognize.embed.SavedModel;
import io.facestream.recognize.embed.TrainableNetwork;
import io.facestream.recognize.job.CropPng;
import io.facestream.recognize.weights.WeightStore;
import io.facestream.train.buffer.BufferOptions;
import io.facestream.train.buffer.ReplayBuffer;
import io.facestream.train.gate.ValidationGate;
import io.facestream.train.testing.YaleFaces;
import io.facestream.train.trainer.Evaluation;
import io.facestream.train.trainer.StepResult;
import io.facestream.train.trainer.TrainerOptions;
import io.facestream.train.trainer.TrainingRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hard examples fill the buffer, a round runs once there are enough, and what the gate keeps is published. */
class ContinuousTrainerTest {


    @TempDir
    Path tmp;

    @Test
    void aHardExamplesLineageReachesTheBufferAndLinksItsTracks() throws Exception {
        ReplayBuffer buffer = ReplayBuffer.open(tmp.resolve("buffer"), new BufferOptions(200, 50));
        ContinuousTrainer trainer = new ContinuousTrainer(dir -> {
            throw new AssertionError("no round runs here");
        }, buffer, null, TrainerOptions.defaults(), 100, tmp.resolve("rounds"), dir -> { });
        byte[] crop = CropPng.encode(YaleFaces.trainingCrops().get(YaleFaces.TRAIN.get(0)).get(0));
        Embedding e = new Embedding("mobilefacenet-192", new float[] {1, 0});
        String[][] tracks = {{"track:cam:1", null}, {"track:cam:2", "track:cam:1"}, {"track:cam:5", "track:cam:1"},
            {"track:cam:7", null}};
        for (String[] t : tracks) {
            trainer.add(new HardExample(t[0], crop, e, LabelSource.TRACK, null, List.of(), t[1]));
        }
        assertEquals(Map.of("track:cam:2", "track:cam:1", "track:cam:5", "track:cam:1"), buffer.lineages());
        assertEquals(4, trainer.bufferIdentities());
        assertEquals(2, trainer.bufferLineageGroups());
        // track 5 seen beside track 2 after all: two people, so 5 leaves the lineage's group
        trainer.add(new HardExample("track:cam:5", crop, e, LabelSource.TRACK, null, List.of("track:cam:2"),
                "track:cam:1"));
        assertEquals(java.util.Set.of(List.of("track:cam:2", "track:cam:5")), buffer.apart());
        assertEquals(3, trainer.bufferLineageGroups());
    }

    @Test
    void aRoundRunsOnceTheBufferCanFillABatchAndItsKeptModelIsPublished() throws Exception {
        ValidationGate gate = YaleFaces.gate(tmp);
        ReplayBuffer buffer = ReplayBuffer.open(tmp.resolve("buffer"), new BufferOptions(200, 50));
        List<Path> published = new ArrayList<>();
        TrainerOptions round = TrainerOptions.defaults().withBatch(4, 4).withSteps(2, 2).withLearningRate(1e-5)
                .withAugmentation(false, 0);
        ContinuousTrainer trainer = new ContinuousTrainer(dir -> TrainableNetwork.open(dir, WeightStore.defaultStore(), Device.cpu()), buffer, gate, round, 12, tmp.resolve("rounds"),
                published::add);

        Map<String, List<FaceCrop>> crops = YaleFaces.trainingCrops();
        int added = 0;
        for (String person : YaleFaces.TRAIN) {
            for (FaceCrop c : crops.get(person)) {
                assertFalse(trainer.ready(), "after " + added + " faces a round is not due yet");
                trainer.add(new HardExample("track:cam:" + person, CropPng.encode(c),
                        new Embedding("mobilefacenet-192", new float[] {1, 0}), LabelSource.TRACK, null, List.of()));
                added++;
            }
        }
        assertEquals(16, buffer.size(), "every face is in the buffer");
        assertTrue(trainer.ready(), "16 new faces, 4 people with 4 faces each: a 4x4 batch");

        List<StepResult> steps = new ArrayList<>();
        List<Evaluation> evaluations = new ArrayList<>();
        ContinuousTrainer.Round r = trainer.round(new TrainingRun.Listener() {
            @Override
            public void onStep(StepResult s, int total, double imagesPerSecond, double eta) {
                steps.add(s);
            }

            @Override
            public void onEvaluation(Evaluation e) {
                evaluations.add(e);
            }

            @Override
            public void onCollapse(String reason) {
            }
        });
        assertEquals(1, r.number());
        assertEquals(0, trainer.newFaces(), "a round uses up the new faces");
        assertFalse(trainer.ready());
        assertEquals(2, r.outcome().steps());
        if (r.published() != null) {
            // two tiny steps at a tiny rate move the model little: the gate usually keeps it, and then it is published
            assertEquals(List.of(tmp.resolve("rounds/round-1").resolve(TrainingRun.BEST)), published);
            assertEquals(r.published(), SavedModel.readHeader(published.get(0)).id());
            assertEquals(published.get(0), trainer.published(), "the next round starts from the published model");
            // The models record carries the round's curve from its log: the start, both steps, the evaluation at 2.
            ModelRecord record = ModelsTopic.record(published.get(0));
            assertEquals(r.published(), record.modelId());
            assertEquals(List.of(new CurvePoint(0, null, null, evaluations.get(0).target().accuracy()),
                    new CurvePoint(1, steps.get(0).loss(), steps.get(0).activeFraction(), null),
                    new CurvePoint(2, steps.get(1).loss(), steps.get(1).activeFraction(),
                            evaluations.get(1).target().accuracy())), record.curve());
        } else {
            assertEquals(List.of(), published, "a round the gate refused publishes nothing");
        }
        assertNotNull(r.outcome());
    }

    @Test
    void eachKeptStepIsPublishedWhenTheGateKeepsItNotWhenTheRoundEnds() throws Exception {
        ValidationGate gate = YaleFaces.gate(tmp);
        ReplayBuffer buffer = ReplayBuffer.open(tmp.resolve("buffer"), new BufferOptions(200, 50));
        List<Integer> stepsAtPublish = new ArrayList<>();
        List<String> publishedIds = new ArrayList<>();
        List<Integer> curveEnds = new ArrayList<>();
        List<StepResult> steps = new ArrayList<>();
        TrainerOptions round = TrainerOptions.defaults().withBatch(4, 4).withSteps(4, 2).withLearningRate(1e-5)
                .withAugmentation(false, 0);
        ContinuousTrainer trainer = new ContinuousTrainer(
                dir -> TrainableNetwork.open(dir, WeightStore.defaultStore(), Device.cpu()), buffer, gate, round, 12,
                tmp.resolve("rounds"), dir -> {
                    stepsAtPublish.add(steps.size());
                    ModelRecord record = ModelsTopic.record(dir);
                    publishedIds.add(record.modelId());
                    curveEnds.add((int) record.curve().get(record.curve().size() - 1).step());
                }).mixes(List.of(0.5)).publishWhenKept(true);
        Map<String, List<FaceCrop>> crops = YaleFaces.trainingCrops();
        for (String person : YaleFaces.TRAIN) {
            for (FaceCrop c : crops.get(person)) {
                trainer.add(new HardExample("track:cam:" + person, CropPng.encode(c),
                        new Embedding("mobilefacenet-192", new float[] {1, 0}), LabelSource.TRACK, null, List.of()));
            }
        }
        List<Evaluation> evaluations = new ArrayList<>();
        List<String> announced = new ArrayList<>();
        ContinuousTrainer.Round r = trainer.round(new TrainingRun.Listener() {
            @Override
            public void onStep(StepResult s, int total, double imagesPerSecond, double eta) {
                steps.add(s);
            }

            @Override
            public void onEvaluation(Evaluation e) {
                evaluations.add(e);
            }

            @Override
            public void onPublished(io.facestream.train.model.ModelRecord model, int step) {
                announced.add(step + " " + model.id());
            }
        });
        assertEquals(4, r.outcome().steps());
        for (Evaluation e : evaluations.subList(1, evaluations.size())) {
            // the gate lists what it judged: the trained weights, then the half mix; it chose the best that passed
            List<Evaluation.Judged> judged = e.candidates();
            assertEquals(List.of(1.0, 0.5), judged.stream().map(Evaluation.Judged::mix).toList());
            double best = judged.stream().filter(Evaluation.Judged::passed).mapToDouble(Evaluation.Judged::target)
                    .max().orElse(Double.NaN);
            if (e.passed()) {
                assertEquals(best, e.target().accuracy(), 0);
            }
            assertTrue(judged.stream().anyMatch(j -> j.target() == e.target().accuracy()));
        }
        assertTrue(java.nio.file.Files.readString(tmp.resolve("rounds/round-1").resolve(TrainingRun.LOG))
                .contains("\"candidates\""));
        List<Integer> keptSteps = new ArrayList<>();
        List<String> keptIds = new ArrayList<>();
        for (Evaluation e : evaluations) {
            if (e.step() > 0 && e.passed()) {
                keptSteps.add(e.step());
                keptIds.add(e.saved());
            }
        }
        // every kept step was published at once, before the steps after it ran, with its curve up to that step
        assertEquals(keptSteps, stepsAtPublish);
        assertEquals(keptIds, publishedIds);
        assertEquals(keptSteps, curveEnds);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < keptSteps.size(); i++) {
            expected.add(keptSteps.get(i) + " " + keptIds.get(i));
        }
        assertEquals(expected, announced);
        assertEquals(keptIds.isEmpty() ? null : keptIds.get(keptIds.size() - 1), r.published());
        assertTrue(!keptIds.isEmpty(), "four tiny steps at a tiny rate: the gate keeps at least one (else this test says"
                + " nothing)");
    }
}
