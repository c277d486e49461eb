package io.facestream.recognize.job;

import io.facestream.core.event.DeadLetter;
import io.facestream.core.event.EnrolmentRequest;
import io.facestream.core.event.EnrolmentResult;
import io.facestream.core.event.HardExample;
import io.facestream.core.event.ModelRecord;
import io.facestream.core.event.Frame;
import io.facestream.core.event.MatchEvent;
import io.facestream.core.topic.Topics;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The recognize job.
 *
 * <pre>
 * frames ─► split ─┬─ records that are not frames ─────────────────────┐
 *                  └─ rebalance ─► recognize ─┬─ undecodable frames ───┴──────────────► frames.dlq
 *                                              └─ keyBy camera ─► resequence
 *                                                 ─► keyBy camera ─► track and match ─► matches
 * gallery ─┬─ broadcast ───────────────────────────────────────────────────┘
 *          └─ keyBy identity ───────┐
 * enrolments ─► keyBy identity ─► enrol ─┬─► gallery
 *                                        └─► enrolment-results
 * </pre>
 *
 * <p>Recognition (decode, detect, embed) is stateless and spread over every subtask; frames are put back
 * in each camera's order before tracking, and tracks and gallery are Flink state. The pipeline takes its
 * sources and sinks as arguments, so tests run it on collections and collecting sinks while
 * {@link #wireKafka} connects the topics.
 */
public final class RecognizeJob {

    /** Consumer group of the {@code frames} source (offsets are also kept in Flink's checkpoints). */
    public static final String GROUP_ID = "facestream-recognize";

    /** Consumer group of the {@code enrolments} source. */
    public static final String ENROLMENTS_GROUP_ID = GROUP_ID + "-enrolments";

    /** Consumer group of the {@code gallery} source, which reads the whole topic at each fresh start. */
    public static final String GALLERY_GROUP_ID = GROUP_ID + "-gallery";

    /** Prefix of the exactly-once producers' transactional ids; unique per job writing to the same cluster. */
    public static final String TRANSACTIONAL_ID_PREFIX = "facestream-recognize";

    /**
     * The broker's default {@code transaction.max.timeout.ms} (15 min); Flink's own default of 1 h is
     * refused by the broker, and a longer one would hold read_committed readers back on a failure.
     */
    public static final int TRANSACTION_TIMEOUT_MS = 900_000;

    private RecognizeJob() {
    }

    /** The job's inputs: the {@code frames}, {@code gallery}, {@code enrolments} and {@code models} topics or stand-ins. */
    public record Inputs(DataStream<FrameInput> frames, DataStream<GalleryRecord> gallery,
            DataStream<EnrolmentRequest> enrolments, DataStream<ModelRecord> models) {
    }

    /**
     * The job's outputs: {@code matches}, {@code frames.dlq}, {@code gallery}, {@code enrolment-results} and
     * {@code hard-examples} (written only when the settings mine them).
     */
    public record Outputs(Sink<MatchEvent> matches, Sink<DeadLetter> deadLetters, Sink<GalleryRecord> gallery,
            Sink<EnrolmentResult> enrolmentResults, Sink<HardExample> hardExamples) {
    }

    /** The streams recognition produces; {@code hardExamples} is empty unless the settings mine them. */
    public record Recognition(DataStream<MatchEvent> matches, DataStream<DeadLetter> deadLetters,
            DataStream<HardExample> hardExamples) {
    }

    /** The streams enrolment produces. */
    public record Enrolment(DataStream<GalleryRecord> gallery, DataStream<EnrolmentResult> results) {
    }

    /** The whole job from its inputs to its sinks. */
    public static void build(Inputs in, RecognizeSettings settings, Outputs out) {
        Recognition r = recognize(in.frames(), in.gallery(), in.models(), settings);
        r.matches().sinkTo(out.matches()).name("matches").uid("matches-sink");
        r.deadLetters().sinkTo(out.deadLetters()).name("frames.dlq").uid("dlq-sink");
        if (settings.hardExamples() != null) {
            r.hardExamples().sinkTo(out.hardExamples()).name("hard-examples").uid("hard-examples-sink");
        }
        Enrolment e = enrol(in.enrolments(), in.gallery(), in.models(), settings);
        e.gallery().sinkTo(out.gallery()).name("gallery").uid("gallery-sink");
        e.results().sinkTo(out.enrolmentResults()).name("enrolment-results").uid("enrolment-results-sink");
    }

    /** Frames to match events (one per face, with track and identity), and rejected frames to dead letters. */
    public static Recognition recognize(DataStream<FrameInput> frames, DataStream<GalleryRecord> gallery,
            DataStream<ModelRecord> models, RecognizeSettings settings) {
        SingleOutputStreamOperator<Frame> split = frames.process(new FrameInputSplit())
                .name("split rejected records").uid("frames-split");
        // One camera's frames share one Kafka partition: rebalance so that every subtask's engine gets work.
        // One instance decides when frames move to a published model: when the gallery has it.
        DataStream<ModelActivation> activations = models.keyBy(m -> ModelSwitchFunction.KEY, Types.STRING)
                .connect(gallery.keyBy(g -> ModelSwitchFunction.KEY, Types.STRING))
                .process(new ModelSwitchFunction(settings.model().modelId()), TypeInformation.of(ModelActivation.class))
                .setParallelism(1).setMaxParallelism(1).name("model switch").uid("model-switch");
        SingleOutputStreamOperator<AnalyzedFrame> analyzed = split.rebalance().connect(activations.broadcast())
                .transform("recognize", TypeInformation.of(AnalyzedFrame.class), new RecognizeOperator(settings))
                .uid("recognize");
        DataStream<SequencedFrame> ordered = analyzed.keyBy(AnalyzedFrame::cameraId, Types.STRING)
                .process(new ResequenceFunction(settings.reorderTimeout())).name("resequence").uid("resequence");
        BroadcastStream<GalleryRecord> broadcast = gallery.broadcast(TrackMatchFunction.GALLERY);
        SingleOutputStreamOperator<MatchEvent> matches = ordered.keyBy(f -> f.frame().cameraId(), Types.STRING)
                .connect(broadcast).process(new TrackMatchFunction(settings)).name("track and match").uid("track-match");
        DataStream<DeadLetter> deadLetters = split.getSideOutput(FrameInputSplit.REJECTED)
                .union(analyzed.getSideOutput(RecognizeOperator.DEAD_LETTERS));
        return new Recognition(matches, deadLetters, matches.getSideOutput(TrackMatchFunction.HARD_EXAMPLES));
    }

    /** Enrolment requests to gallery records and results; {@code gallery} is the topic read back (tombstones reset). */
    public static Enrolment enrol(DataStream<EnrolmentRequest> requests, DataStream<GalleryRecord> gallery,
            DataStream<ModelRecord> models, RecognizeSettings settings) {
        TypeInformation<EnrolInput> type = TypeInformation.of(EnrolInput.class);
        // Each wrapping keeps its input's parallelism, so it chains to it: a rebalance there would reorder an
        // identity's requests (a replay could overtake the request it repeats).
        DataStream<EnrolInput> inputs = requests.map(EnrolInput::of, type).setParallelism(requests.getParallelism())
                .name("enrolment requests")
                .union(gallery.map(EnrolInput::of, type).setParallelism(gallery.getParallelism()).name("gallery read back"));
        SingleOutputStreamOperator<GalleryRecord> entries = inputs.keyBy(EnrolInput::identityId, Types.STRING)
                .connect(models.broadcast(EnrolFunction.MODELS))
                .process(new EnrolFunction(settings), TypeInformation.of(GalleryRecord.class)).name("enrol").uid("enrol");
        return new Enrolment(entries, entries.getSideOutput(EnrolFunction.RESULTS));
    }

    /** The {@code frames} source, resuming from committed offsets (earliest on first start). */
    public static KafkaSource<FrameInput> frameSource(String bootstrap) {
        return source(bootstrap, Topics.FRAMES.name(), GROUP_ID,
                OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST), new FrameRecordDeserializer(), true);
    }

    /**
     * The {@code gallery} source: the whole compacted topic from its beginning at every fresh start (a
     * restore resumes from the checkpoint, together with the broadcast state it built), then every change.
     */
    public static KafkaSource<GalleryRecord> gallerySource(String bootstrap) {
        return source(bootstrap, Topics.GALLERY.name(), GALLERY_GROUP_ID, OffsetsInitializer.earliest(),
                new GalleryRecordDeserializer(), false);
    }

    /** The {@code models} source: the whole compacted topic at every fresh start, then every new model. */
    public static KafkaSource<ModelRecord> modelSource(String bootstrap) {
        return source(bootstrap, Topics.MODELS.name(), GROUP_ID + "-models", OffsetsInitializer.earliest(),
                new ModelRecordDeserializer(), false);
    }

    /** The {@code enrolments} source, resuming from committed offsets (earliest on first start). */
    public static KafkaSource<EnrolmentRequest> enrolmentSource(String bootstrap) {
        return source(bootstrap, Topics.ENROLMENTS.name(), ENROLMENTS_GROUP_ID,
                OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST), new EnrolmentRequestDeserializer(), true);
    }

    private static <T> KafkaSource<T> source(String bootstrap, String topic, String group, OffsetsInitializer start,
            KafkaRecordDeserializationSchema<T> deserializer, boolean commitOffsets) {
        return KafkaSource.<T>builder()
                .setBootstrapServers(bootstrap)
                .setTopics(topic)
                .setGroupId(group)
                .setStartingOffsets(start)
                .setDeserializer(deserializer)
                // Only committed records: a producer's aborted batches must not be acted on.
                .setProperty("isolation.level", "read_committed")
                .setProperty("commit.offsets.on.checkpoint", Boolean.toString(commitOffsets))
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

    /** The Kafka sink of {@code gallery}, keyed by identity id. */
    public static KafkaSink<GalleryRecord> gallerySink(String bootstrap, DeliveryGuarantee delivery) {
        return sink(bootstrap, delivery, new GalleryRecordSerializer(), "gallery");
    }

    /** The Kafka sink of {@code enrolment-results}, keyed by request id. */
    public static KafkaSink<EnrolmentResult> enrolmentResultSink(String bootstrap, DeliveryGuarantee delivery) {
        return sink(bootstrap, delivery, new TopicRecordSerializer<>(Topics.ENROLMENT_RESULTS, EnrolmentResult::requestId),
                "enrolment-results");
    }

    /** The Kafka sink of {@code hard-examples}, keyed by label. */
    public static KafkaSink<HardExample> hardExampleSink(String bootstrap, DeliveryGuarantee delivery) {
        return sink(bootstrap, delivery, new TopicRecordSerializer<>(Topics.HARD_EXAMPLES, HardExample::label),
                "hard-examples");
    }

    private static <T> KafkaSink<T> sink(String bootstrap, DeliveryGuarantee delivery,
            KafkaRecordSerializationSchema<T> serializer, String name) {
        Properties producer = new Properties();
        producer.setProperty("transaction.timeout.ms", Integer.toString(TRANSACTION_TIMEOUT_MS));
        return KafkaSink.<T>builder()
                .setBootstrapServers(bootstrap)
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(delivery)
                // Sinks of one job need distinct prefixes, or their transactions fence each other.
                .setTransactionalIdPrefix(TRANSACTIONAL_ID_PREFIX + "-" + name)
                .setKafkaProducerConfig(producer)
                .build();
    }

    /** Reads every input topic into {@code env}. */
    public static Inputs kafkaInputs(StreamExecutionEnvironment env, String bootstrap) {
        DataStream<FrameInput> frames = env.fromSource(frameSource(bootstrap), WatermarkStrategy.noWatermarks(), "frames")
                .uid("frames-source");
        DataStream<GalleryRecord> gallery = env.fromSource(gallerySource(bootstrap), WatermarkStrategy.noWatermarks(),
                "gallery").uid("gallery-source");
        DataStream<EnrolmentRequest> enrolments = env.fromSource(enrolmentSource(bootstrap),
                WatermarkStrategy.noWatermarks(), "enrolments").uid("enrolments-source");
        DataStream<ModelRecord> models = env.fromSource(modelSource(bootstrap), WatermarkStrategy.noWatermarks(), "models")
                .uid("models-source");
        return new Inputs(frames, gallery, enrolments, models);
    }

    /** Sinks for every output topic with the delivery guarantee. */
    public static Outputs kafkaOutputs(String bootstrap, DeliveryGuarantee delivery) {
        return new Outputs(matchSink(bootstrap, delivery), deadLetterSink(bootstrap, delivery),
                gallerySink(bootstrap, delivery), enrolmentResultSink(bootstrap, delivery),
                hardExampleSink(bootstrap, delivery));
    }

    /** The whole job between the Kafka topics, in {@code env} as the caller configured it. */
    public static void wireKafka(StreamExecutionEnvironment env, String bootstrap, DeliveryGuarantee delivery,
            RecognizeSettings settings) {
        build(kafkaInputs(env, bootstrap), settings, kafkaOutputs(bootstrap, delivery));
    }

    /**
     * How long a network buffer between operators may wait for more records before it is sent. Flink's default of
     * 100 ms suits small records at high rates; a frame is tens of kilobytes and a camera sends 25 a second, so
     * waiting only adds latency, once per exchange (the job has three).
     */
    public static final long BUFFER_TIMEOUT_MS = 0;

    /** Configures {@code env} (parallelism, checkpoints matching the delivery guarantee) and wires the topics. */
    public static void wireKafka(StreamExecutionEnvironment env, RecognizeJobOptions options) {
        env.setParallelism(options.parallelism());
        env.setBufferTimeout(BUFFER_TIMEOUT_MS);
        env.enableCheckpointing(options.checkpointInterval().toMillis(), options.delivery() == DeliveryGuarantee.EXACTLY_ONCE
                ? CheckpointingMode.EXACTLY_ONCE : CheckpointingMode.AT_LEAST_ONCE);
        wireKafka(env, options.bootstrap(), options.delivery(), options.settings());
    }

    /** Runs the job: on a MiniCluster from a plain JVM, on the cluster under {@code flink run}. */
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
        wireKafka(env, options);
        env.execute("facestream recognize");
    }
}
