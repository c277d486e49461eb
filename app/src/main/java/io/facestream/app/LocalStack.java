package io.facestream.app;

import io.facestream.app.local.EmbeddedKafka;
import io.facestream.core.topic.Topics;
import io.facestream.recognize.engine.FaceModel;
import io.facestream.recognize.job.RecognizeJob;
import io.facestream.recognize.job.RecognizeSettings;
import io.facestream.recognize.weights.FileTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The one-JVM stack: a KRaft broker started in-process with every topic, and the recognize job running on a
 * local Flink MiniCluster against it. Closing cancels the job and deletes the broker's data.
 */
final class LocalStack implements AutoCloseable {

    /** Partitions per topic: one camera's frames share one, and the job rebalances them over its subtasks. */
    static final int PARTITIONS = 2;

    private final EmbeddedKafka kafka;
    private final JobClient job;
    private final DataFolderLock lock;

    private LocalStack(EmbeddedKafka kafka, JobClient job, DataFolderLock lock) {
        this.kafka = kafka;
        this.job = job;
        this.lock = lock;
    }

    /**
     * Starts the broker in {@code dataDir} (emptied first) and the job. The folder is refused while another stack holds it
     * ({@link DataFolderLock}).
     *
     * @param checkpointInterval how often the job checkpoints; exactly-once output becomes visible at each one
     */
    static LocalStack start(Path dataDir, int parallelism, DeliveryGuarantee delivery, Duration checkpointInterval,
            FaceModel model) throws Exception {
        return start(dataDir, parallelism, delivery, checkpointInterval, RecognizeSettings.defaults(model));
    }

    /** As above, with the job's settings (model, minimum face size, ...). */
    static LocalStack start(Path dataDir, int parallelism, DeliveryGuarantee delivery, Duration checkpointInterval,
            RecognizeSettings settings) throws Exception {
        DataFolderLock lock = DataFolderLock.acquire(dataDir);
        EmbeddedKafka kafka;
        try {
            // A previous run that was killed left its topics: they would be replayed and could not be created again.
            FileTrees.deleteTree(dataDir);
            Files.createDirectories(dataDir);
            kafka = EmbeddedKafka.start(dataDir);
        } catch (Exception | Error e) {
            lock.close();
            throw e;
        }
        try {
            kafka.createTopics(Topics.newTopics(PARTITIONS, (short) 1));
            Configuration conf = new Configuration();
            // Flink's default with checkpoints retries forever: a job that cannot start would look like a silent stream.
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 2);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
            env.setParallelism(parallelism);
            env.setBufferTimeout(RecognizeJob.BUFFER_TIMEOUT_MS);
            env.enableCheckpointing(checkpointInterval.toMillis(), delivery == DeliveryGuarantee.EXACTLY_ONCE
                    ? CheckpointingMode.EXACTLY_ONCE : CheckpointingMode.AT_LEAST_ONCE);
            RecognizeJob.wireKafka(env, kafka.bootstrapServers(), delivery, settings);
            return new LocalStack(kafka, env.executeAsync("facestream"), lock);
        } catch (Exception | Error e) {
            try {
                kafka.closeAndDelete();
            } finally {
                lock.close();
            }
            throw e;
        }
    }

    /** The broker's address. */
    String bootstrap() {
        return kafka.bootstrapServers();
    }

    /** The running job. */
    JobClient job() {
        return job;
    }

    /** Throws the job's failure if it has ended; a job of an unbounded stream only ends by failing. */
    void requireJobRunning() throws Exception {
        if (job.getJobExecutionResult().isDone()) {
            job.getJobExecutionResult().get();
            throw new IllegalStateException("the recognize job ended before the stream was done");
        }
    }

    @Override
    public void close() {
        try {
            job.cancel().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Cancelling a job that has already ended is refused; nothing left to stop.
        }
        try {
            kafka.closeAndDelete();
        } finally {
            lock.close();
        }
    }
}
