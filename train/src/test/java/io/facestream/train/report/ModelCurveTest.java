package io.facestream.train.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.facestream.core.event.CurvePoint;
import io.facestream.core.event.ModelRecord;
import io.facestream.train.gate.SetFigures;
import io.facestream.train.model.ModelWriter;
import io.facestream.train.trainer.Evaluation;
import io.facestream.train.trainer.StepResult;
import io.facestream.train.trainer.TrainingRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A log becomes a bounded curve: the model's own steps, every evaluation, the last step, evenly thinned between. */
class ModelCurveTest {

    @TempDir
    Path tmp;

    /** A log as {@code TrainingLog} writes it: {@code steps} steps, an evaluation every {@code every} (and at 0). */
    private static ObjectNode log(int steps, int every, int savedAt, String saved) {
        List<StepResult> s = new ArrayList<>();
        List<Evaluation> e = new ArrayList<>();
        e.add(new Evaluation(0, figures(0.90), null, true, null, "the starting model", null));
        for (int i = 1; i <= steps; i++) {
            s.add(new StepResult(i, 1.0 / i, (i % 4) / 4.0, 12, 3, 1, 0.8, 16, 0.5, true));
            if (i % every == 0) {
                e.add(new Evaluation(i, figures(0.90 + i * 1e-5), null, true, i == savedAt ? saved : null, "ok", null));
            }
        }
        ObjectNode log = ModelWriter.JSON.createObjectNode();
        log.set("steps", ModelWriter.JSON.valueToTree(s));
        log.set("evaluations", ModelWriter.JSON.valueToTree(e));
        return log;
    }

    private static SetFigures figures(double accuracy) {
        return new SetFigures("target", 600, accuracy, 0.01, accuracy - 0.1, 0.02, 1.1);
    }

    @Test
    void theCurveEndsAtTheEvaluationThatSavedTheModelAndMergesItWithItsStep() {
        List<CurvePoint> c = ModelCurve.fromLog(log(10, 5, 5, "m-5"), "m-5");
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), c.stream().map(CurvePoint::step).toList(),
                "the steps after step 5 went on past the saved model");
        assertEquals(new CurvePoint(0, null, null, 0.90), c.get(0), "the starting model: evaluated, no step");
        assertEquals(new CurvePoint(3, 1.0 / 3, 0.75, null), c.get(3));
        assertEquals(new CurvePoint(5, 0.2, 0.25, 0.90 + 5e-5), c.get(5));
        assertEquals(List.of(), ModelCurve.fromLog(log(10, 5, 5, "m-5"), "another-model"), "not this log's model");
    }

    @Test
    void aValueThatIsNotAFiniteNumberIsLeftOut() {
        ObjectNode log = log(3, 3, 3, "m");
        ((ObjectNode) log.get("steps").get(1)).put("loss", "NaN"); // how Jackson writes a NaN double
        ((ObjectNode) log.get("steps").get(2)).put("active", 1.5);
        List<CurvePoint> c = ModelCurve.fromLog(log, "m");
        assertEquals(List.of(0L, 1L, 3L), c.stream().map(CurvePoint::step).toList(), "step 2 had no loss to show");
        assertNull(c.get(2).active());
        assertEquals(0.90 + 3e-5, c.get(2).accuracy());
    }

    @Test
    void thinningKeepsEveryEvaluationTheLastStepAndTheBound() {
        // 2000 steps, evaluated every 100: 2021 points before thinning, 21 of them evaluations.
        List<CurvePoint> all = ModelCurve.fromLog(log(2000, 100, 2000, "m"), "m");
        assertEquals(2001, all.size());
        List<CurvePoint> thin = ModelCurve.thin(all, ModelRecord.MAX_CURVE_POINTS);
        assertEquals(ModelRecord.MAX_CURVE_POINTS, thin.size());
        assertEquals(LongStream.rangeClosed(0, 20).map(i -> 100 * i).boxed().toList(),
                thin.stream().filter(CurvePoint::evaluated).map(CurvePoint::step).toList(), "every evaluation");
        assertEquals(all.get(all.size() - 1), thin.get(thin.size() - 1), "the last step");
        long maxGap = 0;
        for (int i = 1; i < thin.size(); i++) {
            long gap = thin.get(i).step() - thin.get(i - 1).step();
            assertTrue(gap > 0, "steps in order, none twice");
            maxGap = Math.max(maxGap, gap);
        }
        // 479 steps spread over 2000: evenly means no gap much wider than 2000 / 479 ≈ 4.2.
        assertTrue(maxGap <= 5, "largest gap " + maxGap);
        assertTrue(all.containsAll(thin), "points are picked, never changed");
        ModelRecord m = new ModelRecord("m", null, null, tmp.toUri(), java.util.Map.of(), thin);
        assertEquals(thin, m.curve(), "the bound ModelRecord accepts");
    }

    @Test
    void whenTheEvaluationsAloneExceedTheBoundTheyAreThinnedAndTheLastStepStays() {
        List<CurvePoint> all = ModelCurve.fromLog(log(100, 1, 100, "m"), "m");
        List<CurvePoint> thin = ModelCurve.thin(all, 10);
        // 101 evaluations (steps 0 to 100) into 10 points: the first, the last, and every 11 or 12 steps between.
        assertEquals(List.of(0L, 11L, 22L, 33L, 44L, 56L, 67L, 78L, 89L, 100L),
                thin.stream().map(CurvePoint::step).toList());
        assertEquals(all, ModelCurve.thin(all, 500), "a short curve is kept whole");
        assertThrows(IllegalArgumentException.class, () -> ModelCurve.thin(all, 0));
    }

    @Test
    void aSavedModelFindsItsRunsLogBesideItAndAModelWithoutOneHasNoCurve() throws Exception {
        Path run = tmp.resolve("run");
        Files.createDirectories(run.resolve(TrainingRun.BEST));
        assertEquals(List.of(), ModelCurve.of(run.resolve(TrainingRun.BEST), "m"), "no log: an imported model");
        JsonNode log = log(1200, 100, 1100, "m");
        ModelWriter.JSON.writeValue(run.resolve(TrainingRun.LOG).toFile(), log);
        List<CurvePoint> c = ModelCurve.of(run.resolve(TrainingRun.BEST), "m");
        assertEquals(ModelRecord.MAX_CURVE_POINTS, c.size(), "1101 points thinned");
        assertEquals(new CurvePoint(1100, 1.0 / 1100, 0.0, 0.90 + 1100e-5), c.get(c.size() - 1));
        assertEquals(List.of(), ModelCurve.of(run.resolve(TrainingRun.CHECKPOINT), "checkpoint-id"),
                "the log saved no model of that id");
    }
}
