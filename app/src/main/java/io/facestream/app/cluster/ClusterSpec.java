package io.facestream.app.cluster;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What {@code cluster up} starts.
 *
 * @param dir the cluster folder: logs, pid files, data, checkpoints (emptied at start)
 * @param brokers Kafka nodes (each broker and controller)
 * @param taskManagers Flink TaskManagers, each with {@code parallelism} slots
 * @param parallelism the recognize job's parallelism
 * @param cameras ingestors, one camera id each ({@code cam-1}, {@code cam-2}, ...), all playing {@code source}
 * @param basePort see {@link ClusterPorts}
 * @param source the video each camera plays; null for the sample video of {@code setup}
 * @param loop play the video again at its end, until {@code down}
 * @param maxFps per camera, 0 for the video's own rate
 * @param gallery the people to enrol (one sub-folder of photos each); null for the sample gallery
 * @param checkpointInterval the job's; exactly-once events become visible at each checkpoint
 * @param jobJar the job jar to submit; null for the one the build made
 * @param flinkLib the Flink runtime jars; null for the ones the build copied
 */
public record ClusterSpec(Path dir, int brokers, int taskManagers, int parallelism, int cameras, int basePort,
        Path source, boolean loop, double maxFps, Path gallery, Duration checkpointInterval, Path jobJar,
        Path flinkLib) {

    public ClusterSpec {
        if (taskManagers < 1 || taskManagers > 8) {
            throw new IllegalArgumentException("--taskmanagers must be 1 to 8, was " + taskManagers);
        }
        if (parallelism < 1 || parallelism > 16) {
            throw new IllegalArgumentException("--parallelism must be 1 to 16, was " + parallelism);
        }
        if (cameras < 0 || cameras > 64) {
            throw new IllegalArgumentException("--cameras must be 0 to 64, was " + cameras);
        }
        if (maxFps < 0) {
            throw new IllegalArgumentException("--max-fps must be 0 (the video's rate) or more, was " + maxFps);
        }
        if (checkpointInterval == null || checkpointInterval.toMillis() < 100) {
            throw new IllegalArgumentException("--checkpoint-interval must be at least 100 ms, was " + checkpointInterval);
        }
        new ClusterPorts(basePort, brokers); // checks both with their own messages
    }

    /** The camera id of ingestor {@code i} (from 1). */
    static String camera(int i) {
        return "cam-" + i;
    }
}
