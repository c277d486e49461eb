package io.facestream.recognize.job;

import io.facestream.core.event.DeadLetter;
import io.facestream.core.event.Frame;
import io.facestream.core.event.MatchEvent;
import io.facestream.core.topic.Topics;
import io.facestream.recognize.engine.FaceModel;
import java.util.List;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The recognize job: {@code frames} → detect, embed, match → {@code matches}, with undecodable frames to
 * {@code frames.dlq}. The pipeline takes its input and sinks as arguments, so tests run it on a
 * collection and collecting sinks while {@link #main} wires Kafka.
 */
public final class RecognizeJob {

    /** Consumer group of the job's Kafka source (offsets are also kept in Flink's checkpoints). */
    public static final String GROUP_ID = "facestream-recognize";

    /** Prefix of the exactly-once producers' transactional ids; unique per job writing to the same cluster. */
    public static final String TRANSACTIONAL_ID_PREFIX = "facestream-recognize";

    /**
     * The broker's default {@code transaction.max.timeout.ms} (15 min); Flink's own default of 1 h is
     * refused by the broker, and a longer one would hold read_committed readers back on a failure.
     */
    public static final int TRANSACTION_TIMEOUT_MS = 900_000;

    private RecognizeJob() {
    }

    /**
     * Adds recognition to {@code frames} and writes its two outputs; returns the match stream.
     *
     * @param frames the incoming frames
     * @param recognize the recognition operator (gallery and engine settings)
     * @param matches where match events go
     * @param deadLetters where undecodable frames go, with the reason
     */
    public static DataStream<MatchEvent> build(DataStream<Frame> frames, RecognizeFunction recognize,
            Sink<MatchEvent> matches, Sink<DeadLetter> deadLetters) {
        SingleOutputStreamOperator<MatchEvent> events = frames
                .process(recognize).name("recognize").uid("recognize");
        events.sinkTo(matches).name("matches").uid("matches-sink");
        events.getSideOutput(RecognizeFunction.DEAD_LETTERS).sinkTo(deadLetters).name("frames.dlq").uid("dlq-sink");
        return events;
    }

    /** The Kafka source of the {@code frames} topic, resuming from committed offsets (earliest on first start). */
    public static KafkaSource<Frame> frameSource(String bootstrap) {
        return KafkaSource.<Frame>builder()
                .setBootstrapServers(bootstrap)
                .setTopics(Topics.FRAMES.name())
                .setGroupId(GROUP_ID)
                .setStartingOffsets(OffsetsInitializer.committedOffsets(
                        org.apache.kafka.clients.consumer.OffsetResetStrategy.EARLIEST))
                .setDeserializer(new FrameRecordDeserializer())
                // Only committed frames: a producer's aborted batches must not be recognised.
                .setProperty("isolation.level", "read_committed")
                .build();
    }

    /** The Kafka sink of {@code matches}, keyed by camera id. */
    public static KafkaSink<MatchEvent> matchSink(String bootstrap, DeliveryGuarantee delivery) {
        return sink(bootstrap, delivery, new TopicRecordSerializer<>(Topics.MATCHES, MatchEvent::cameraId), "matches");
    }

    /** The Kafka sink of {@code frames.dlq}, keyed by the rejected frame's camera id. */
    public static KafkaSink<DeadLetter> deadLetterSink(String bootstrap, DeliveryGuarantee delivery) {
        return sink(bootstrap, delivery, new TopicRecordSerializer<>(Topics.FRAMES_DLQ, DeadLetter::key), "dlq");
    }

    private static <T> KafkaSink<T> sink(String bootstrap, DeliveryGuarantee delivery,
            TopicRecordSerializer<T> serializer, String name) {
        Properties producer = new Properties();
        producer.setProperty("transaction.timeout.ms", Integer.toString(TRANSACTION_TIMEOUT_MS));
        return KafkaSink.<T>builder()
                .setBootstrapServers(bootstrap)
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(delivery)
                // Two sinks in one job need distinct prefixes, or their transactions fence each other.
                .setTransactionalIdPrefix(TRANSACTIONAL_ID_PREFIX + "-" + name)
                .setKafkaProducerConfig(producer)
                .build();
    }

    /** Wires Kafka in and out of {@code env} per the options. */
    public static void wireKafka(StreamExecutionEnvironment env, RecognizeJobOptions options, RecognizeFunction recognize) {
        env.setParallelism(options.parallelism());
        env.enableCheckpointing(options.checkpointInterval().toMillis(), options.delivery() == DeliveryGuarantee.EXACTLY_ONCE
                ? CheckpointingMode.EXACTLY_ONCE : CheckpointingMode.AT_LEAST_ONCE);
        DataStream<Frame> frames = env.fromSource(frameSource(options.bootstrap()), WatermarkStrategy.noWatermarks(),
                "frames").uid("frames-source");
        build(frames, recognize, matchSink(options.bootstrap(), options.delivery()),
                deadLetterSink(options.bootstrap(), options.delivery()));
    }

    /**
     * Runs the job: on a MiniCluster from a plain JVM, on the cluster under {@code flink run}. The gallery
     * is empty in this first version (every face unknown); it will come from the {@code gallery} topic.
     */
    public static void main(String[] args) throws Exception {
        RecognizeJobOptions options;
        try {
            options = RecognizeJobOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        wireKafka(env, options, RecognizeFunction.withGallery(FaceModel.MOBILEFACENET, List.of()));
        env.execute("facestream recognize");
    }
}
