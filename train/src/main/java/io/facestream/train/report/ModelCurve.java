package io.facestream.train.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.facestream.core.event.CurvePoint;
import io.facestream.core.event.ModelRecord;
import io.facestream.train.model.ModelWriter;
import io.facestream.train.trainer.TrainingRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The training curve a saved model is published with: the points of its run's {@code train-log.json} up to the
 * evaluation that saved it, thinned to {@link ModelRecord#MAX_CURVE_POINTS}. The {@code models} record carries it
 * because the services that show it cannot read the trainer's disk.
 */
public final class ModelCurve {

    private ModelCurve() {
    }

    /**
     * The curve of the model saved in {@code dir} with id {@code modelId}, from the log in the folder or in the run
     * folder around it ({@code <run>/best} beside {@code <run>/train-log.json}); empty when there is no log, or the
     * log saved no model of that id (an imported model, a copy, a checkpoint the gate did not judge).
     */
    public static List<CurvePoint> of(Path dir, String modelId) throws IOException {
        Path abs = dir.toAbsolutePath();
        for (Path folder : new Path[] {abs, abs.getParent()}) {
            Path log = folder == null ? null : folder.resolve(TrainingRun.LOG);
            if (log != null && Files.isRegularFile(log)) {
                List<CurvePoint> points = fromLog(ModelWriter.JSON.readTree(log.toFile()), modelId);
                if (!points.isEmpty()) {
                    return thin(points, ModelRecord.MAX_CURVE_POINTS);
                }
            }
        }
        return List.of();
    }

    /**
     * Every step and evaluation of a log (as {@code TrainingLog} writes it) up to the last evaluation that saved
     * {@code modelId}, one point per step: the training after that is not in the model. Empty when no evaluation
     * saved it. Values that are not finite numbers (a collapsed step's loss) are left out.
     */
    public static List<CurvePoint> fromLog(JsonNode log, String modelId) {
        long savedAt = -1;
        for (JsonNode e : log.path("evaluations")) {
            if (modelId.equals(e.path("saved").asText(null))) {
                savedAt = e.path("step").asLong();
            }
        }
        if (savedAt < 0) {
            return List.of();
        }
        Map<Long, Double[]> byStep = new TreeMap<>(); // step -> loss, active, accuracy
        for (JsonNode s : log.path("steps")) {
            long step = s.path("step").asLong(-1);
            Double loss = finite(s.path("loss"));
            if (step >= 0 && step <= savedAt && loss != null) {
                Double active = finite(s.path("active"));
                byStep.computeIfAbsent(step, k -> new Double[3])[0] = loss;
                byStep.get(step)[1] = active != null && active >= 0 && active <= 1 ? active : null;
            }
        }
        for (JsonNode e : log.path("evaluations")) {
            long step = e.path("step").asLong(-1);
            Double accuracy = finite(e.path("target").path("accuracy"));
            if (step >= 0 && step <= savedAt && accuracy != null && accuracy >= 0 && accuracy <= 1) {
                byStep.computeIfAbsent(step, k -> new Double[3])[2] = accuracy;
            }
        }
        List<CurvePoint> points = new ArrayList<>(byStep.size());
        byStep.forEach((step, v) -> points.add(new CurvePoint(step, v[0], v[1], v[2])));
        return points;
    }

    /**
     * At most {@code max} of {@code points}: every evaluated point and the last one, and between them steps picked
     * evenly; when the evaluations alone are more than {@code max}, they are picked evenly too (the first and the last
     * point kept).
     */
    public static List<CurvePoint> thin(List<CurvePoint> points, int max) {
        if (max < 1) {
            throw new IllegalArgumentException("a thinned curve needs room for at least 1 point, max was " + max);
        }
        if (points.size() <= max) {
            return List.copyOf(points);
        }
        int last = points.size() - 1;
        List<Integer> kept = new ArrayList<>();
        List<Integer> others = new ArrayList<>();
        for (int i = 0; i < last; i++) {
            (points.get(i).evaluated() ? kept : others).add(i);
        }
        kept.add(last);
        if (kept.size() > max) {
            kept = evenly(kept, max);
        } else {
            kept.addAll(evenly(others, max - kept.size()));
            kept.sort(null);
        }
        return kept.stream().map(points::get).toList();
    }

    /** {@code n} of {@code indices}, evenly spaced, the first and the last among them (the last alone for n = 1). */
    private static List<Integer> evenly(List<Integer> indices, int n) {
        int size = indices.size();
        if (n >= size) {
            return new ArrayList<>(indices);
        }
        List<Integer> out = new ArrayList<>(n);
        if (n == 1) {
            out.add(indices.get(size - 1));
        }
        for (int i = 0; n > 1 && i < n; i++) {
            // Spacing (size - 1) / (n - 1) > 1, so the rounded positions never repeat.
            out.add(indices.get((int) Math.round((double) i * (size - 1) / (n - 1))));
        }
        return out;
    }

    private static Double finite(JsonNode n) {
        return n.isNumber() && Double.isFinite(n.asDouble()) ? n.asDouble() : null;
    }
}
