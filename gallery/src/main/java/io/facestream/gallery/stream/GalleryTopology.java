package io.facestream.gallery.stream;

import io.facestream.core.event.EnrolmentResult;
import io.facestream.core.event.GalleryEntry;
import io.facestream.core.event.MatchEvent;
import io.facestream.core.event.Sighting;
import io.facestream.core.event.UnknownGroup;
import io.facestream.core.topic.Topic;
import io.facestream.core.topic.Topics;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.EmitStrategy;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.SessionWindows;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.SessionStore;

/**
 * The gallery service's topology, built in one place:
 *
 * <ul>
 *   <li>{@code gallery} → the global store {@value #GALLERY_STORE}, identity id → entry. Global, so that
 *       every instance can list the whole gallery; the compacted topic is its changelog, so no copy of
 *       the crops is written anywhere else, and a tombstone removes the person from the store.
 *   <li>{@code enrolment-results} → the global store {@value #RESULTS_STORE}, request id → result.
 *   <li>{@code unknowns} → the global store {@value #UNKNOWNS_STORE}, group id → the unknown group the recognize
 *       job made; a tombstone (an operator's delete) removes the group.
 *   <li>{@code matches} → visits: each face keyed by identity (or unknown group, or unknown track) and camera, grouped into
 *       session windows on capture time, merged by {@link Visits#merge}, kept in the session store
 *       {@value #SIGHTINGS_STORE} while they last and written to {@code sightings} once, when the visit
 *       has closed (the inactivity gap and the grace period have passed in stream time).
 *   <li>{@link VisitErasure} between the visits and {@code sightings}: a person deleted from the gallery, or an
 *       unknown group deleted from {@code unknowns}, has no visits, in the store, its changelog or on the topic.
 * </ul>
 */
public final class GalleryTopology {

    /** Identity id → {@link GalleryEntry}, the materialised {@code gallery} topic. */
    public static final String GALLERY_STORE = "gallery-store";
    /** Request id → {@link EnrolmentResult}, the materialised {@code enrolment-results} topic. */
    public static final String RESULTS_STORE = "enrolment-results-store";
    /** Group id ({@code unknown-<n>}) → {@link UnknownGroup}, the materialised {@code unknowns} topic. */
    public static final String UNKNOWNS_STORE = "unknowns-store";
    /** Visit key ({@link Visits#key}) → the visit so far, per session window; open and closed visits. */
    public static final String SIGHTINGS_STORE = "sightings-store";
    /**
     * The sightings store's changelog configs: compaction that removes a deleted visit's earlier records within a
     * bounded time, as on the {@code sightings} topic ({@link io.facestream.core.topic.Topics#ERASABLE_CONFIGS}).
     */
    static final Map<String, String> ERASABLE = io.facestream.core.topic.Topics.ERASABLE_CONFIGS;
    /** By when the visits of a person deleted from the gallery have left {@value #SIGHTINGS_STORE}. */
    public static final Duration VISITS_ERASED_WITHIN = VisitErasure.SCAN_EVERY.multipliedBy(2);
    /** The name of the repartition by visit key (its topic is {@code <application id>-visits-repartition}). */
    static final String VISITS = "visits";

    private GalleryTopology() {
    }

    /**
     * The topology.
     *
     * @param inactivityGap a visit ends when its person has not been seen for this long
     * @param grace how late (in capture time) a frame may arrive and still join its visit
     * @param retention how long closed visits stay in {@value #SIGHTINGS_STORE} for queries
     */
    public static Topology build(Duration inactivityGap, Duration grace, Duration retention) {
        if (retention.compareTo(inactivityGap.plus(grace)) < 0) {
            throw new IllegalArgumentException("the sightings retention (" + retention + ") must be at least the"
                    + " inactivity gap plus the grace period (" + inactivityGap.plus(grace) + ")");
        }
        StreamsBuilder builder = new StreamsBuilder();
        globalStore(builder, Topics.GALLERY, GALLERY_STORE);
        globalStore(builder, Topics.ENROLMENT_RESULTS, RESULTS_STORE);
        globalStore(builder, Topics.UNKNOWNS, UNKNOWNS_STORE);

        Topic<String, MatchEvent> matches = Topics.MATCHES;
        Topic<String, Sighting> sightings = Topics.SIGHTINGS;
        builder.stream(matches.name(), Consumed.with(matches.keySerde(), matches.valueSerde())
                        .withTimestampExtractor(new CaptureTime()).withName("matches"))
                .filter((camera, event) -> event != null, Named.as("drop-empty-matches"))
                .map((camera, event) -> KeyValue.pair(Visits.keyOf(event), Visits.of(event)), Named.as("frame-visit"))
                .groupByKey(Grouped.with(VISITS, Serdes.String(), sightings.valueSerde()))
                .windowedBy(SessionWindows.ofInactivityGapAndGrace(inactivityGap, grace))
                // One record per visit on the topic; the store still answers for the visits in progress.
                .emitStrategy(EmitStrategy.onWindowClose())
                .reduce(Visits::merge, Named.as("merge-visit"),
                        Materialized.<String, Sighting, SessionStore<Bytes, byte[]>>as(SIGHTINGS_STORE)
                                .withKeySerde(Serdes.String())
                                .withValueSerde(sightings.valueSerde())
                                .withRetention(retention)
                                .withLoggingEnabled(ERASABLE))
                .toStream(Named.as("closed-visits"))
                // In the store's sub-topology, so that it may remove the visits of people deleted from the gallery.
                .process(VisitErasure::new, Named.as("erase-visits"), SIGHTINGS_STORE)
                .filter((window, visit) -> visit != null, Named.as("drop-merged-visits"))
                .map((window, visit) -> KeyValue.pair(visit.identityId(), visit), Named.as("by-identity"))
                .to(sightings.name(), Produced.with(sightings.keySerde(), sightings.valueSerde()).withName("sightings"));
        return builder.build();
    }

    private static <V> void globalStore(StreamsBuilder builder, Topic<String, V> topic, String store) {
        builder.globalTable(topic.name(), Consumed.with(topic.keySerde(), topic.valueSerde()).withName(topic.name()),
                Materialized.<String, V, KeyValueStore<Bytes, byte[]>>as(store)
                        .withKeySerde(topic.keySerde())
                        .withValueSerde(topic.valueSerde()));
    }
}
