package io.facestream.recognize.job;

import java.time.Duration;
import java.util.Locale;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.util.ParameterTool;

/**
 * The recognize job's command-line options, parsed once and checked.
 *
 * @param bootstrap Kafka bootstrap servers ({@code --bootstrap}, default {@code localhost:9092})
 * @param parallelism subtasks per operator, one face engine each ({@code --parallelism}, default 2)
 * @param delivery {@code --delivery exactly-once|at-least-once}, default exactly-once
 * @param checkpointInterval {@code --checkpoint-interval} in ISO-8601 ({@code PT1S}) or milliseconds, default 1 s;
 *     exactly-once output becomes visible to read_committed consumers only at each checkpoint
 */
public record RecognizeJobOptions(String bootstrap, int parallelism, DeliveryGuarantee delivery,
        Duration checkpointInterval) {

    /** Default checkpoint interval: the latency exactly-once adds to every match event. */
    public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(1);

    public RecognizeJobOptions {
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException("--bootstrap must name at least one broker, such as localhost:9092");
        }
        if (parallelism < 1) {
            throw new IllegalArgumentException("--parallelism must be at least 1, was " + parallelism);
        }
        if (delivery != DeliveryGuarantee.EXACTLY_ONCE && delivery != DeliveryGuarantee.AT_LEAST_ONCE) {
            throw new IllegalArgumentException("--delivery must be exactly-once or at-least-once, was " + delivery);
        }
        if (checkpointInterval == null || checkpointInterval.toMillis() < 10) {
            throw new IllegalArgumentException("--checkpoint-interval must be at least 10 ms, was " + checkpointInterval);
        }
    }

    /** Parses {@code --name value} pairs; an {@link IllegalArgumentException} names a bad option and its range. */
    public static RecognizeJobOptions parse(String[] args) {
        ParameterTool p = ParameterTool.fromArgs(args);
        String delivery = p.get("delivery", "exactly-once").toLowerCase(Locale.ROOT);
        DeliveryGuarantee guarantee = switch (delivery) {
            case "exactly-once" -> DeliveryGuarantee.EXACTLY_ONCE;
            case "at-least-once" -> DeliveryGuarantee.AT_LEAST_ONCE;
            default -> throw new IllegalArgumentException("--delivery must be exactly-once or at-least-once, was \""
                    + delivery + "\"");
        };
        int parallelism;
        try {
            parallelism = Integer.parseInt(p.get("parallelism", "2"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--parallelism must be a whole number, was \"" + p.get("parallelism") + "\"");
        }
        return new RecognizeJobOptions(p.get("bootstrap", "localhost:9092"), parallelism, guarantee,
                interval(p.get("checkpoint-interval", null)));
    }

    private static Duration interval(String text) {
        if (text == null) {
            return DEFAULT_CHECKPOINT_INTERVAL;
        }
        try {
            return text.startsWith("P") || text.startsWith("p") ? Duration.parse(text.toUpperCase(Locale.ROOT))
                    : Duration.ofMillis(Long.parseLong(text));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--checkpoint-interval must be milliseconds (1000) or ISO-8601 (PT1S), was \""
                    + text + "\"");
        }
    }
}
