package io.facestream.core.topic;

import io.facestream.core.codec.Codec;
import io.facestream.core.event.DeadLetter;
import io.facestream.core.event.EnrolmentRequest;
import io.facestream.core.event.EnrolmentResult;
import io.facestream.core.event.Frame;
import io.facestream.core.event.GalleryEntry;
import io.facestream.core.event.HardExample;
import io.facestream.core.event.MatchEvent;
import io.facestream.core.event.ModelRecord;
import io.facestream.core.event.Sighting;
import io.facestream.core.event.UnknownGroup;
import io.facestream.core.serde.CodecSerde;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The catalogue of every facestream topic (DESIGN "Topics (contracts)"): the only place that names a
 * topic or chooses its serdes. JSON for what people read, CBOR for bulk bytes; all keys are strings.
 */
public final class Topics {

    private static final int MIB = 1024 * 1024;
    private static final long HOUR_MS = 3_600_000L;
    private static final long WEEK_MS = 7 * 24 * HOUR_MS;

    /** A 1080p JPEG is 0.3-2 MB; 10 MiB leaves room for high quality and CBOR framing. */
    public static final int MAX_FRAME_BYTES = 10 * MIB;

    /**
     * How a tombstone's earlier records leave a compacted log within a bounded time (the right to erasure): a
     * segment rolls after 10 minutes ({@code segment.ms}; the active segment is never compacted), a record may wait
     * at most 10 minutes to be compacted however little of the log is dirty ({@code max.compaction.lag.ms}, with a
     * low {@code min.cleanable.dirty.ratio} so the cleaner does not wait for half the log to be dirty), and the
     * tombstone itself, which holds only the key, stays a day ({@code delete.retention.ms}) so that a consumer that
     * was down for less than that still sees the deletion.
     */
    public static final Map<String, String> ERASABLE_CONFIGS = Map.of(
            TopicConfig.SEGMENT_MS_CONFIG, Long.toString(10 * 60_000L),
            TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG, Long.toString(10 * 60_000L),
            TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0.01",
            TopicConfig.DELETE_RETENTION_MS_CONFIG, Long.toString(24 * HOUR_MS));

    /**
     * By when a person's earlier records are gone from the logs compacted with {@link #ERASABLE_CONFIGS}, counted
     * from their tombstone on a topic that is being written to: the tombstone's segment rolls (10 min), the cleaner
     * must compact it (10 min at most) and runs every 15 s (the broker's {@code log.cleaner.backoff.ms}); rounded up.
     */
    public static final java.time.Duration ERASED_WITHIN = java.time.Duration.ofMinutes(25);

    /** The largest gallery entry (aligned crops and embeddings of one person). */
    private static final int GALLERY_ENTRY_BYTES = 16 * MIB;

    /** Camera id → frame (CBOR); short retention, frames are useful only while fresh. */
    public static final Topic<String, Frame> FRAMES = topic("frames", Codec.cbor(Frame.class), Map.of(
            TopicConfig.RETENTION_MS_CONFIG, Long.toString(HOUR_MS),
            TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MAX_FRAME_BYTES)));

    /** Camera id → the rejected frame record and why (CBOR); kept a week to be looked at. */
    public static final Topic<String, DeadLetter> FRAMES_DLQ = topic("frames.dlq", Codec.cbor(DeadLetter.class), Map.of(
            TopicConfig.RETENTION_MS_CONFIG, Long.toString(WEEK_MS),
            // Room for a whole frame plus the error text around it.
            TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MAX_FRAME_BYTES + MIB)));

    /** Identity id → enrolment request with its photo (CBOR). */
    public static final Topic<String, EnrolmentRequest> ENROLMENTS = topic("enrolments",
            Codec.cbor(EnrolmentRequest.class), Map.of(
                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MAX_FRAME_BYTES)));

    /**
     * Identity id → a record of {@code enrolments} that is not an enrolment request, and why (CBOR); such a record
     * names no request to answer in {@code enrolment-results}, so it is kept here instead. Kept a week.
     */
    public static final Topic<String, DeadLetter> ENROLMENTS_DLQ = topic("enrolments.dlq", Codec.cbor(DeadLetter.class),
            Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(WEEK_MS),
                    // Room for a whole request plus the error text around it.
                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MAX_FRAME_BYTES + MIB)));

    /** Request id → enrolment outcome (JSON), what the HTTP API reports back. */
    public static final Topic<String, EnrolmentResult> ENROLMENT_RESULTS = topic("enrolment-results",
            Codec.json(EnrolmentResult.class), Map.of());

    /** Identity id → gallery entry (CBOR); compacted, a tombstone deletes the person (within {@link #ERASED_WITHIN}). */
    public static final Topic<String, GalleryEntry> GALLERY = topic("gallery", Codec.cbor(GalleryEntry.class), with(
            ERASABLE_CONFIGS, TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
            TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(16 * MIB)));

    /**
     * Identity id → a record of {@code gallery} that is not a gallery entry or has no key, and why (CBOR). The job
     * reads the whole gallery at every fresh start, so a bad record comes back here once per fresh start. Kept a week.
     */
    public static final Topic<String, DeadLetter> GALLERY_DLQ = topic("gallery.dlq", Codec.cbor(DeadLetter.class),
            Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(WEEK_MS),
                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(GALLERY_ENTRY_BYTES + MIB)));

    /** Camera id → match event (JSON). */
    public static final Topic<String, MatchEvent> MATCHES = topic("matches", Codec.json(MatchEvent.class), Map.of());

    /**
     * Identity id → sighting (JSON), what users subscribe to. Compacted as well as kept a week: a tombstone for a
     * deleted person removes their visits (within {@link #ERASED_WITHIN}); compaction also leaves only the latest visit
     * of each person older than a segment, which is all a subscriber catching up needs (the gallery service's store
     * answers for the history).
     */
    public static final Topic<String, Sighting> SIGHTINGS = topic("sightings", Codec.json(Sighting.class), with(
            ERASABLE_CONFIGS, TopicConfig.CLEANUP_POLICY_CONFIG,
            TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE,
            TopicConfig.RETENTION_MS_CONFIG, Long.toString(WEEK_MS)));

    /**
     * Unknown group id → the group (CBOR): the tracks of a person no gallery entry matched, with a few faces to name
     * them by. Compacted like the gallery (an operator's delete erases the group within {@link #ERASED_WITHIN}).
     */
    public static final Topic<String, UnknownGroup> UNKNOWNS = topic("unknowns", Codec.cbor(UnknownGroup.class), with(
            ERASABLE_CONFIGS, TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
            TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(4 * MIB)));

    /**
     * Label → hard example for the trainer (CBOR). Kept a day: the trainer reads it as it comes, and the face crops of
     * a person deleted from the gallery (labelled with their id) must not outlive the deletion by long; a tombstone
     * cannot reach them, since the topic is not compacted (one label, many faces).
     */
    public static final Topic<String, HardExample> HARD_EXAMPLES = topic("hard-examples",
            Codec.cbor(HardExample.class), Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(24 * HOUR_MS)));

    /** Model id → published model (JSON); compacted, the latest record per model id is the model. */
    public static final Topic<String, ModelRecord> MODELS = topic("models", Codec.json(ModelRecord.class), Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
            // Inline weights are base64 in JSON; bigger models must be published by URI.
            TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(64 * MIB)));

    /** Every topic, in data-flow order. */
    public static final List<Topic<?, ?>> ALL = List.of(FRAMES, FRAMES_DLQ, ENROLMENTS, ENROLMENTS_DLQ,
            ENROLMENT_RESULTS, GALLERY, GALLERY_DLQ, MATCHES, SIGHTINGS, UNKNOWNS, HARD_EXAMPLES, MODELS);

    /** Each input topic whose unreadable records are kept, and the dead-letter topic that keeps them. */
    private static final Map<String, Topic<String, DeadLetter>> DEAD_LETTERS = Map.of(
            FRAMES.name(), FRAMES_DLQ, ENROLMENTS.name(), ENROLMENTS_DLQ, GALLERY.name(), GALLERY_DLQ);

    private Topics() {
    }

    /** The topic of that name; an {@link IllegalArgumentException} listing the known names otherwise. */
    public static Topic<?, ?> byName(String name) {
        return ALL.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no topic named \"" + name + "\"; the topics are "
                        + ALL.stream().map(Topic::name).toList()));
    }

    /**
     * The dead-letter topic of the records of {@code sourceTopic} ({@code frames} → {@code frames.dlq}, ...); an
     * {@link IllegalArgumentException} for a topic whose records have none.
     */
    public static Topic<String, DeadLetter> deadLettersOf(String sourceTopic) {
        Topic<String, DeadLetter> t = DEAD_LETTERS.get(sourceTopic);
        if (t == null) {
            throw new IllegalArgumentException("records of \"" + sourceTopic + "\" have no dead-letter topic; only "
                    + ALL.stream().map(Topic::name).filter(DEAD_LETTERS::containsKey).toList() + " have");
        }
        return t;
    }

    /** Creation requests for every topic, each with its configs. */
    public static List<NewTopic> newTopics(int partitions, short replicationFactor) {
        return ALL.stream().map(t -> t.newTopic(partitions, replicationFactor)).toList();
    }

    /** {@code base} and the given key, value pairs. */
    private static Map<String, String> with(Map<String, String> base, String... pairs) {
        Map<String, String> all = new java.util.TreeMap<>(base);
        for (int i = 0; i < pairs.length; i += 2) {
            all.put(pairs[i], pairs[i + 1]);
        }
        return Map.copyOf(all);
    }

    private static <V> Topic<String, V> topic(String name, Codec<V> codec, Map<String, String> configs) {
        Serde<String> keys = Serdes.String();
        return new Topic<>(name, keys, new CodecSerde<>(codec), configs);
    }
}
