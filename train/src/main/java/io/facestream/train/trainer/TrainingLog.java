package io.facestream.train.trainer;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.facestream.train.model.ModelWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a run did, step by step and evaluation by evaluation; written as {@code train-log.json}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class TrainingLog {

    @JsonProperty("settings")
    private final Map<String, Object> settings = new LinkedHashMap<>();
    @JsonProperty("steps")
    private final List<StepResult> steps = new ArrayList<>();
    @JsonProperty("evaluations")
    private final List<Evaluation> evaluations = new ArrayList<>();
    @JsonProperty("summary")
    private final Map<String, Object> summary = new LinkedHashMap<>();

    /** Adds a setting (data, batch shape, ...). */
    public synchronized void setting(String key, Object value) {
        settings.put(key, value);
    }

    /** Adds a summary figure. */
    public synchronized void summary(String key, Object value) {
        summary.put(key, value);
    }

    synchronized void add(StepResult step) {
        steps.add(step);
    }

    synchronized void add(Evaluation e) {
        evaluations.add(e);
    }

    /** The steps so far. */
    public synchronized List<StepResult> steps() {
        return List.copyOf(steps);
    }

    /** The evaluations so far. */
    public synchronized List<Evaluation> evaluations() {
        return List.copyOf(evaluations);
    }

    /** The settings. */
    public synchronized Map<String, Object> settings() {
        return Map.copyOf(settings);
    }

    /** Writes the log as JSON, replacing the file atomically. */
    public synchronized void write(Path file) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        ModelWriter.JSON.writeValue(tmp.toFile(), this);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
