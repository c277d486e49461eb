package io.facestream.gallery.stream;

import io.facestream.core.event.EnrolmentResult;
import io.facestream.core.event.GalleryEntry;
import io.facestream.core.event.Sighting;
import io.facestream.core.event.UnknownGroup;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlySessionStore;

/**
 * Reads the stores of a running gallery topology. The gallery, the results and the unknown groups are global
 * stores, whole in every instance; the sightings store holds the visits of this instance's partitions (all of them
 * when one instance runs). While Kafka Streams is starting or rebalancing a read throws
 * {@link org.apache.kafka.streams.errors.InvalidStateStoreException}; retry it.
 */
public final class GalleryStores {

    private final KafkaStreams streams;

    public GalleryStores(KafkaStreams streams) {
        this.streams = streams;
    }

    /** The gallery entry of an identity. */
    public Optional<GalleryEntry> entry(String identityId) {
        return Optional.ofNullable(gallery().get(identityId));
    }

    /** Up to {@code limit} entries in identity id order, those after {@code after} (null: from the first). */
    public List<GalleryEntry> entries(String after, int limit) {
        List<GalleryEntry> page = new ArrayList<>(Math.min(limit, 1024));
        try (KeyValueIterator<String, GalleryEntry> it = gallery().range(after, null)) {
            while (it.hasNext() && page.size() < limit) {
                var kv = it.next();
                // range() includes its lower bound; the page starts after it.
                if (kv.value != null && !kv.key.equals(after)) {
                    page.add(kv.value);
                }
            }
        }
        return page;
    }

    /** The result of an enrolment request, empty while it is pending or when the id is unknown. */
    public Optional<EnrolmentResult> result(String requestId) {
        ReadOnlyKeyValueStore<String, EnrolmentResult> store = streams.store(
                StoreQueryParameters.fromNameAndType(GalleryTopology.RESULTS_STORE, QueryableStoreTypes.keyValueStore()));
        return Optional.ofNullable(store.get(requestId));
    }

    /** The unknown group with this id. */
    public Optional<UnknownGroup> unknown(String unknownId) {
        return Optional.ofNullable(unknowns().get(unknownId));
    }

    /**
     * Up to {@code limit} unknown groups, the most recently seen first (then the newest group first), those after
     * the position {@code after} in that order (null: from the first). Reads every group, faces included: the
     * groups are kept to a few thousand by the recognize job and their faces are small, so a page costs a scan
     * of the store, no index.
     */
    public List<UnknownGroup> unknowns(UnknownOrder.Position after, int limit) {
        List<UnknownGroup> all = new ArrayList<>();
        try (KeyValueIterator<String, UnknownGroup> it = unknowns().all()) {
            while (it.hasNext()) {
                UnknownGroup g = it.next().value;
                if (g != null && (after == null || UnknownOrder.isAfter(g, after))) {
                    all.add(g);
                }
            }
        }
        all.sort(UnknownOrder.NEWEST_FIRST);
        return all.size() <= limit ? all : List.copyOf(all.subList(0, limit));
    }

    /**
     * How many visits of the group this instance's sightings store holds (all of them when one instance runs), open
     * or closed, over the group's cameras.
     */
    public long visits(UnknownGroup group) {
        ReadOnlySessionStore<String, Sighting> store = sessions();
        long n = 0;
        for (String camera : group.cameras()) {
            try (KeyValueIterator<Windowed<String>, Sighting> it = store.findSessions(
                    Visits.key(group.unknownId(), camera), 0, Long.MAX_VALUE)) {
                while (it.hasNext()) {
                    if (it.next().value != null) {
                        n++;
                    }
                }
            }
        }
        return n;
    }

    /**
     * Visits, open or closed, that were still going on at {@code since} or began after it, newest first. A person
     * deleted from the gallery (or an unknown group deleted from {@code unknowns}) has none, also in the seconds
     * before {@link VisitErasure} removes them from the store.
     *
     * @param identityId only this identity's visits, or null for everyone's
     * @param cameraId only this camera's, or null for every camera's
     */
    public List<Sighting> sightings(String identityId, String cameraId, Instant since, int limit) {
        ReadOnlySessionStore<String, Sighting> store = sessions();
        long from = since.toEpochMilli();
        List<Sighting> found = new ArrayList<>();
        ReadOnlyKeyValueStore<String, GalleryEntry> gallery = gallery();
        ReadOnlyKeyValueStore<String, UnknownGroup> unknowns = unknowns();
        java.util.Map<String, Boolean> enrolled = new java.util.HashMap<>();
        // One visit key when both are given; otherwise every visit in the time range, filtered here.
        try (KeyValueIterator<Windowed<String>, Sighting> it = identityId != null && cameraId != null
                ? store.findSessions(Visits.key(identityId, cameraId), from, Long.MAX_VALUE)
                : store.findSessions(null, null, from, Long.MAX_VALUE)) {
            while (it.hasNext()) {
                Sighting s = it.next().value;
                if (s != null && (identityId == null || identityId.equals(s.identityId()))
                        && (cameraId == null || cameraId.equals(s.cameraId()))
                        && (!s.known() || enrolled.computeIfAbsent(s.identityId(), id -> (Visits.ofGroup(id)
                                ? unknowns.get(id) : gallery.get(id)) != null))) {
                    found.add(s);
                }
            }
        }
        found.sort(Comparator.comparing(Sighting::lastSeen).reversed().thenComparing(Sighting::identityId));
        return found.size() <= limit ? found : List.copyOf(found.subList(0, limit));
    }

    /**
     * How many people the gallery holds, counted (RocksDB's own estimate is not reliable for a store this
     * small, and wrong after deletions); it reads every entry, so callers keep the answer a while.
     */
    public long size() {
        long n = 0;
        try (KeyValueIterator<String, GalleryEntry> it = gallery().all()) {
            while (it.hasNext()) {
                if (it.next().value != null) {
                    n++;
                }
            }
        }
        return n;
    }

    private ReadOnlySessionStore<String, Sighting> sessions() {
        return streams.store(StoreQueryParameters.fromNameAndType(GalleryTopology.SIGHTINGS_STORE,
                QueryableStoreTypes.sessionStore()));
    }

    private ReadOnlyKeyValueStore<String, UnknownGroup> unknowns() {
        return streams.store(StoreQueryParameters.fromNameAndType(GalleryTopology.UNKNOWNS_STORE,
                QueryableStoreTypes.keyValueStore()));
    }

    private ReadOnlyKeyValueStore<String, GalleryEntry> gallery() {
        return streams.store(StoreQueryParameters.fromNameAndType(GalleryTopology.GALLERY_STORE,
                QueryableStoreTypes.keyValueStore()));
    }
}
