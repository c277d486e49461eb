package io.facestream.recognize.job;

import io.facestream.core.event.DeadLetter;
import io.facestream.core.event.EnrolmentRequest;
import io.facestream.core.event.EnrolmentResult;
import io.facestream.core.event.HardExample;
import io.facestream.core.event.ModelRecord;
import io.facestream.core.event.Frame;
import io.facestream.core.event.MatchEvent;
import io.facestream.core.event.UnknownGroup;
import io.facestream.core.topic.Topics;
import java.time.Duration;
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
 * gallery ─► split ─┬─ broadcast ─────────────────────────────────────────┘ (frames wait for the gallery at start)
 *                   ├─ keyBy identity ───────┐
 *                   └─ records that are not entries ─────────────────────────────────► gallery.dlq
 * enrolments ─► split ─┬─ keyBy identity ─► enrol ─┬─► gallery
 *                      │                           └─► enrolment-results
 *                      └─ records that are not requests ─────────────────────────────► enrolments.dlq
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

    /**
     * The job's inputs: the {@code frames}, {@code gallery}, {@code enrolments} and {@code models} topics or stand-ins,
     * the records of {@code enrolments} and {@code gallery} their sources could not read (bound for each topic's
     * dead-letter topic), where the gallery ended at start ({@link GalleryEnd#NONE}: matching does not wait), and
     * the ids of the unknown groups an operator deleted from {@code unknowns} (null: none are read).
     */
    public record Inputs(DataStream<FrameInput> frames, DataStream<GalleryRecord> gallery,
            DataStream<EnrolmentRequest> enrolments, DataStream<ModelRecord> models, DataStream<DeadLetter> rejected,
            GalleryEnd galleryEnd, DataStream<String> unknownDeletions) {

        /** Inputs that read no deletions of unknown groups. */
        public Inputs(DataStream<FrameInput> frames, DataStream<GalleryRecord> gallery,
                DataStream<EnrolmentRequest> enrolments, DataStream<ModelRecord> models, DataStream<DeadLetter> rejected,
                GalleryEnd galleryEnd) {
            this(frames, gallery, enrolments, models, rejected, galleryEnd, null);
        }
    }

    /**
     * The job's outputs: {@code matches}, {@code frames.dlq}, {@code gallery}, {@code enrolment-results},
     * {@code hard-examples} (written only when the settings mine them) and {@code unknowns} (only when they group
     * unknown tracks).
     */
    public record Outputs(Sink<MatchEvent> matches, Sink<DeadLetter> deadLetters, Sink<GalleryRecord> gallery,
            Sink<EnrolmentResult> enrolmentResults, Sink<HardExample> hardExamples, Sink<UnknownGroup> unknowns) {
    }

    /**
     * The streams recognition produces; {@code hardExamples} is empty unless the settings mine them, {@code unknowns}
     * null unless they group unknown tracks.
     */
    public record Recognition(DataStream<MatchEvent> matches, DataStream<DeadLetter> deadLetters,
            DataStream<HardExample> hardExamples, DataStream<UnknownGroup> unknowns) {
    }

    /** The streams enrolment produces. */
    public record Enrolment(DataStream<GalleryRecord> gallery, DataStream<EnrolmentResult> results) {
    }

    /**
     * The whole job from its inputs to its sinks; every dead letter (of {@code frames}, {@code enrolments} and
     * {@code gallery}) goes to the one dead-letter sink, which writes each to its source topic's dead-letter topic.
     */
    public static void build(Inputs in, RecognizeSettings settings, Outputs out) {
        Recognition r = recognize(in.frames(), in.gallery(), in.models(), settings, in.galleryEnd(),
                in.unknownDeletions());
        r.matches().sinkTo(out.matches()).name("matches").uid("matches-sink");
        r.deadLetters().union(in.rejected()).sinkTo(out.deadLetters()).name("dead letters").uid("dlq-sink");
        if (settings.hardExamples() != null) {
            r.hardExamples().sinkTo(out.hardExamples()).name("hard-examples").uid("hard-examples-sink");
        }
        if (r.unknowns() != null) {
            r.unknowns().sinkTo(out.unknowns()).name("unknowns").uid("unknowns-sink");
        }
        Enrolment e = enrol(in.enrolments(), in.gallery(), in.models(), settings);
        e.gallery().sinkTo(out.gallery()).name("gallery").uid("gallery-sink");
        e.results().sinkTo(out.enrolmentResults()).name("enrolment-results").uid("enrolment-results-sink");
    }

    /** {@link #recognize(DataStream, DataStream, DataStream, RecognizeSettings, GalleryEnd)} without waiting for the gallery. */
    public static Recognition recognize(DataStream<FrameInput> frames, DataStream<GalleryRecord> gallery,
            DataStream<ModelRecord> models, RecognizeSettings settings) {
        return recognize(frames, gallery, models, settings, GalleryEnd.NONE);
    }

    /**
     * Frames to match events (one per face, with track and identity), and rejected frames to dead letters; frames
     * are matched once the gallery has been read up to {@code galleryEnd} (or its wait ran out).
     */
    public static Recognition recognize(DataStream<FrameInput> frames, DataStream<GalleryRecord> gallery,
            DataStream<ModelRecord> models, RecognizeSettings settings, GalleryEnd galleryEnd) {
        return recognize(frames, gallery, models, settings, galleryEnd, null);
    }

    /**
     * As above; with grouping on, {@code unknownDeletions} (ids of deleted unknown groups, or null for none) makes the
     * grouping forget each deleted group: its embeddings and faces leave the job's state and its id is not written
     * again.
     */
    public static Recognition recognize(DataStream<FrameInput> frames, DataStream<GalleryRecord> gallery,
            DataStream<ModelRecord> models, RecognizeSettings settings, GalleryEnd galleryEnd,
            DataStream<String> unknownDeletions) {
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
        BroadcastStream<GalleryRecord> broadcast = gallery.broadcast(TrackMatchFunction.GALLERY,
                TrackMatchFunction.GALLERY_READ);
        SingleOutputStreamOperator<MatchEvent> matches = ordered.keyBy(f -> f.frame().cameraId(), Types.STRING)
                .connect(broadcast).process(new TrackMatchFunction(settings, galleryEnd)).name("track and match")
                .uid("track-match");
        DataStream<DeadLetter> deadLetters = split.getSideOutput(FrameInputSplit.REJECTED)
                .union(analyzed.getSideOutput(RecognizeOperator.DEAD_LETTERS));
        DataStream<HardExample> hardExamples = matches.getSideOutput(TrackMatchFunction.HARD_EXAMPLES);
        if (settings.grouping() == null) {
            return new Recognition(matches, deadLetters, hardExamples, null);
        }
        // Groups span cameras: one subtask holds them all (its work is a second embedding per new track).
        DataStream<String> deletions = unknownDeletions != null ? unknownDeletions
                : frames.getExecutionEnvironment().fromData(Types.STRING, UnknownGroupFunction.KEY)
                        .filter(k -> false).name("no deletions");
        SingleOutputStreamOperator<MatchEvent> grouped = matches.getSideOutput(TrackMatchFunction.UNKNOWN_FACES)
                .keyBy(f -> UnknownGroupFunction.KEY, Types.STRING)
                .connect(deletions.keyBy(id -> UnknownGroupFunction.KEY, Types.STRING))
                .process(new UnknownGroupFunction(settings), TypeInformation.of(MatchEvent.class))
                .setParallelism(1).setMaxParallelism(1).name("group unknown faces").uid("group-unknowns");
        return new Recognition(matches.union(grouped), deadLetters,
                hardExamples.union(grouped.getSideOutput(UnknownGroupFunction.HARD_EXAMPLES)),
                grouped.getSideOutput(UnknownGroupFunction.GROUPS));
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
    public static KafkaSource<InputRecord<GalleryRecord>> gallerySource(String bootstrap) {
        return source(bootstrap, Topics.GALLERY.name(), GALLERY_GROUP_ID, OffsetsInitializer.earliest(),
                new GalleryRecordDeserializer(), false);
    }

    /** The {@code models} source: the whole compacted topic at every fresh start, then every new model. */
    public static KafkaSource<ModelRecord> modelSource(String bootstrap) {
        return source(bootstrap, Topics.MODELS.name(), GROUP_ID + "-models", OffsetsInitializer.earliest(),
                new ModelRecordDeserializer(), false);
    }

    /** The deletions of {@code unknowns} (tombstone ids): the whole compacted topic at every fresh start, then each new one. */
    public static KafkaSource<String> unknownDeletionSource(String bootstrap) {
        return source(bootstrap, Topics.UNKNOWNS.name(), GROUP_ID + "-unknowns", OffsetsInitializer.earliest(),
                new UnknownDeletionDeserializer(), false);
    }

    /** The {@code enrolments} source, resuming from committed offsets (earliest on first start). */
    public static KafkaSource<InputRecord<EnrolmentRequest>> enrolmentSource(String bootstrap) {
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

    /**
     * The Kafka sink of the dead-letter topics: each dead letter to the one of the topic it came from
     * ({@code frames.dlq}, {@code enrolments.dlq}, {@code gallery.dlq}), keyed by the rejected record's key.
     */
    public static KafkaSink<DeadLetter> deadLetterSink(String bootstrap, DeliveryGuarantee delivery) {
        return sink(bootstrap, delivery, new DeadLetterSerializer(), "dlq");
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

    /** The Kafka sink of {@code unknowns}, keyed by group id. */
    public static KafkaSink<UnknownGroup> unknownsSink(String bootstrap, DeliveryGuarantee delivery) {
        return sink(bootstrap, delivery, new TopicRecordSerializer<>(Topics.UNKNOWNS, UnknownGroup::unknownId), "unknowns");
    }

    private static <T> KafkaSink<T> sink(String bootstrap, DeliveryGuarantee delivery,
            KafkaRecordSerializationSchema<T> serializer, String name) {
        Properties producer = new Properties();
        producer.setProperty("transaction.timeout.ms", Integer.toString(TRANSACTION_TIMEOUT_MS));
        // A frame's events leave together; waiting for the next frame's (Kafka 4's default linger is 5 ms) would add
        // the wait to every event's latency under at-least-once.
        producer.setProperty("linger.ms", "0");
        return KafkaSink.<T>builder()
                .setBootstrapServers(bootstrap)
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(delivery)
                // Sinks of one job need distinct prefixes, or their transactions fence each other.
                .setTransactionalIdPrefix(TRANSACTIONAL_ID_PREFIX + "-" + name)
                .setKafkaProducerConfig(producer)
                .build();
    }

    /** How long the client may take to find where the gallery topic ends before the job starts without waiting. */
    static final Duration GALLERY_END_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Reads every input topic into {@code env}, splitting off the records of {@code gallery} and {@code enrolments}
     * that are not what the topic holds; finds where the gallery ends now, so that matching waits for it.
     */
    public static Inputs kafkaInputs(StreamExecutionEnvironment env, String bootstrap) {
        DataStream<FrameInput> frames = env.fromSource(frameSource(bootstrap), WatermarkStrategy.noWatermarks(), "frames")
                .uid("frames-source");
        SingleOutputStreamOperator<GalleryRecord> gallery = env.fromSource(gallerySource(bootstrap),
                        WatermarkStrategy.noWatermarks(), "gallery").uid("gallery-source")
                .process(new InputRecordSplit<GalleryRecord>(), TypeInformation.of(GalleryRecord.class))
                .name("split rejected gallery records").uid("gallery-split");
        SingleOutputStreamOperator<EnrolmentRequest> enrolments = env.fromSource(enrolmentSource(bootstrap),
                        WatermarkStrategy.noWatermarks(), "enrolments").uid("enrolments-source")
                .process(new InputRecordSplit<EnrolmentRequest>(), TypeInformation.of(EnrolmentRequest.class))
                .name("split rejected enrolments").uid("enrolments-split");
        DataStream<ModelRecord> models = env.fromSource(modelSource(bootstrap), WatermarkStrategy.noWatermarks(), "models")
                .uid("models-source");
        DataStream<DeadLetter> rejected = gallery.getSideOutput(InputRecordSplit.REJECTED)
                .union(enrolments.getSideOutput(InputRecordSplit.REJECTED));
        DataStream<String> unknownDeletions = env.fromSource(unknownDeletionSource(bootstrap),
                WatermarkStrategy.noWatermarks(), "unknowns deletions").uid("unknowns-source");
        GalleryEnd end = GalleryEnd.read(bootstrap, GalleryEnd.DEFAULT_MAX_WAIT, GALLERY_END_TIMEOUT);
        return new Inputs(frames, gallery, enrolments, models, rejected, end, unknownDeletions);
    }

    /** Sinks for every output topic with the delivery guarantee. */
    public static Outputs kafkaOutputs(String bootstrap, DeliveryGuarantee delivery) {
        return new Outputs(matchSink(bootstrap, delivery), deadLetterSink(bootstrap, delivery),
                gallerySink(bootstrap, delivery), enrolmentResultSink(bootstrap, delivery),
                hardExampleSink(bootstrap, delivery), unknownsSink(bootstrap, delivery));
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
