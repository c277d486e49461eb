package io.facestream.app.deploy;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.BlobServerOptions;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ClusterOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;

/**
 * The configuration keys Flink declares in the option classes a deployment uses, so that a misspelled key in
 * compose.yaml or a FlinkDeployment (which Flink would ignore without a word) fails a test.
 */
final class FlinkKeys {

    private static final Class<?>[] OPTION_CLASSES = {CheckpointingOptions.class, StateBackendOptions.class,
        HighAvailabilityOptions.class, TaskManagerOptions.class, JobManagerOptions.class, ClusterOptions.class,
        HeartbeatManagerOptions.class, CoreOptions.class, RestOptions.class, BlobServerOptions.class,
        RestartStrategyOptions.class};

    /** The restart settings of {@code cluster up} (FlinkSession), which every deployment must share. */
    static final java.util.Map<String, String> RESTARTS = java.util.Map.of(
            RestartStrategyOptions.RESTART_STRATEGY.key(), "exponential-delay",
            RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF.key(), "1 s",
            RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF.key(), "10 s");

    private FlinkKeys() {
    }

    /** The entries of {@code conf} whose keys {@link #RESTARTS} names. */
    static java.util.Map<String, String> restarts(java.util.Map<String, String> conf) {
        java.util.Map<String, String> out = new java.util.HashMap<>();
        for (String k : RESTARTS.keySet()) {
            if (conf.containsKey(k)) {
                out.put(k, conf.get(k));
            }
        }
        return out;
    }

    /** A reporter's options are given under {@code metrics.reporter.<name>.}. */
    private static final Pattern REPORTER_KEY = Pattern.compile("metrics\\.reporter\\.[^.]+\\.(.+)");

    /**
     * The keys among {@code keys} that Flink does not declare: neither a key of those classes nor a reporter option
     * (one of {@link MetricOptions}' per-reporter options, or {@code port}, which the Prometheus reporter declares in
     * its own jar, in the Flink image's plugins folder and not on this class path).
     */
    static List<String> unknown(Collection<String> keys) {
        Set<String> known = known();
        Set<String> reporterOptions = Set.of(MetricOptions.REPORTER_FACTORY_CLASS.key(),
                MetricOptions.REPORTER_INTERVAL.key(), MetricOptions.REPORTER_SCOPE_DELIMITER.key(),
                MetricOptions.REPORTER_EXCLUDED_VARIABLES.key(), MetricOptions.REPORTER_ADDITIONAL_VARIABLES.key(), "port");
        return keys.stream().filter(k -> {
            Matcher m = REPORTER_KEY.matcher(k);
            return !known.contains(k) && !(m.matches() && reporterOptions.contains(m.group(1)));
        }).toList();
    }

    /** Every key (and fallback key) of a {@link ConfigOption} constant of those classes. */
    static Set<String> known() {
        Set<String> keys = new TreeSet<>();
        for (Class<?> c : OPTION_CLASSES) {
            for (Field f : c.getFields()) {
                if (!Modifier.isStatic(f.getModifiers()) || !ConfigOption.class.isAssignableFrom(f.getType())) {
                    continue;
                }
                try {
                    ConfigOption<?> o = (ConfigOption<?>) f.get(null);
                    keys.add(o.key());
                    for (FallbackKey k : o.fallbackKeys()) {
                        keys.add(k.getKey());
                    }
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return keys;
    }
}
