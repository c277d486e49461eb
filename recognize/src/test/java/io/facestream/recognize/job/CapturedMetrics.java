package io.facestream.recognize.job;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToDoubleFunction;
import org.apache.flink.metrics.LogicalScopeProvider;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A Flink metric reporter that keeps every metric registered in this JVM's MiniCluster, so that a test can read the
 * job's metrics the way a real reporter (Prometheus) would find them: by name, group and labels. Configured with
 * {@code metrics.reporter.<name>.factory.class}; kept after the job ends.
 */
public final class CapturedMetrics implements MetricReporter, MetricReporterFactory {

    /**
     * One registered metric: its name, the scope it was registered under, its labels, the name Flink's Prometheus
     * reporter gives it ({@code flink_} + logical scope + name, each character outside {@code [a-zA-Z0-9:_]} as
     * {@code _}), and the live object.
     */
    public record Entry(String name, String identifier, Map<String, String> labels, String prometheusName,
            Metric metric) {
    }

    private static final List<Entry> ENTRIES = new CopyOnWriteArrayList<>();

    @Override
    public MetricReporter createMetricReporter(Properties properties) {
        return this;
    }

    @Override
    public void open(MetricConfig config) {
    }

    @Override
    public void close() {
    }

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        Map<String, String> labels = new java.util.TreeMap<>();
        // Flink writes a variable as <key>; a reporter's labels drop the brackets.
        group.getAllVariables().forEach((k, v) -> labels.put(k.replaceAll("^<|>$", ""), v));
        String scope = LogicalScopeProvider.castFrom(group).getLogicalScope(CapturedMetrics::prometheusCharacters, '_');
        ENTRIES.add(new Entry(name, group.getMetricIdentifier(name), labels,
                "flink_" + scope + "_" + prometheusCharacters(name), metric));
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        // Kept: the test reads the figures after the job has ended.
    }

    /** The metrics of this name registered under {@code group}, with these labels among theirs. */
    public static List<Entry> find(String group, String name, Map<String, String> labels) {
        return ENTRIES.stream().filter(e -> e.name().equals(name) && e.identifier().contains("." + group + ".")
                && e.labels().entrySet().containsAll(labels.entrySet())).toList();
    }

    /** The sum over subtasks of a figure of the metrics {@link #find} finds. */
    public static double sum(String group, String name, Map<String, String> labels, ToDoubleFunction<Metric> figure) {
        return find(group, name, labels).stream().mapToDouble(e -> figure.applyAsDouble(e.metric())).sum();
    }

    private static String prometheusCharacters(String s) {
        return s.replaceAll("[^a-zA-Z0-9:_]", "_");
    }

    /** Forgets what was captured. */
    public static void clear() {
        ENTRIES.clear();
    }
}
