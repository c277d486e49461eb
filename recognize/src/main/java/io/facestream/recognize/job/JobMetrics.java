package io.facestream.recognize.job;

import java.util.HashSet;
import java.util.Set;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The recognize job's own metrics, registered in Flink's metric groups under {@value #GROUP}, so that whichever
 * reporter the cluster configures exports them with Flink's: the Prometheus reporter of docker/ and k8s/ names
 * them {@code flink_taskmanager_job_task_operator_facestream_<name>}, with the job, task, operator and subtask as
 * labels, and the groups' keys below ({@code outcome}, {@code model_id}, {@code source_topic}) as labels too.
 */
final class JobMetrics {

    /** The group every facestream metric of the job is under. */
    static final String GROUP = "facestream";
    /** Latency samples a histogram keeps per subtask for its percentiles. */
    private static final int LATENCY_SAMPLES = 1000;

    private JobMetrics() {
    }

    /** The detect-and-embed operator's metrics. */
    static final class Recognize {
        private final MetricGroup group;
        private final Counter faces;
        private final Counter embeddings;
        private final Counter undecodable;
        private final Set<String> models = new HashSet<>();
        private volatile String liveModel;

        Recognize(MetricGroup operator) {
            group = operator.addGroup(GROUP);
            faces = group.counter("facesDetected");
            embeddings = group.counter("embeddings");
            // Per second over the last minute (the reporter's view of the counter above).
            group.meter("embeddingsPerSecond", new MeterView(embeddings));
            undecodable = group.counter("framesUndecodable");
        }

        void detected(int n) {
            faces.inc(n);
        }

        void embedded(int n) {
            embeddings.inc(n);
        }

        void undecodable() {
            undecodable.inc();
        }

        /** The model frames are embedded with from now on: its gauge reads 1, every earlier model's 0. */
        void model(String modelId) {
            liveModel = modelId;
            if (models.add(modelId)) {
                group.addGroup("model_id", modelId).gauge("modelLive", () -> modelId.equals(liveModel) ? 1 : 0);
            }
        }
    }

    /** The track-and-match function's metrics. */
    static final class Match {
        private final Counter known;
        private final Counter unknown;
        private final Histogram latency;

        Match(MetricGroup operator) {
            MetricGroup group = operator.addGroup(GROUP);
            known = group.addGroup("outcome", "known").counter("matchEvents");
            unknown = group.addGroup("outcome", "unknown").counter("matchEvents");
            latency = group.histogram("frameToEventLatencyMs", new DescriptiveStatisticsHistogram(LATENCY_SAMPLES));
        }

        /** A match event emitted {@code latencyMs} after its frame was captured. */
        void event(boolean isKnown, long latencyMs) {
            (isKnown ? known : unknown).inc();
            latency.update(Math.max(0, latencyMs));
        }
    }
}
