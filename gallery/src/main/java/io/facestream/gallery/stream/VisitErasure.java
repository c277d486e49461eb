package io.facestream.gallery.stream;

import io.facestream.core.event.Sighting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.SessionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The right to erasure in the visits: a visit of an enrolled person exists only while that person is in the
 * gallery, and a visit of an unknown group ({@code unknown-<n>}) only while the group is in {@code unknowns} (an
 * operator deletes a group as they delete a person). This relies on the recognize job writing a group no later than
 * the first matches that name it: a group still missing at two scans in a row loses its visits. Closed visits of
 * someone no longer in the gallery store are not published on {@code sightings}, and
 * every {@link #SCAN_EVERY} the sightings store is scanned for the visits, open or closed, of people who have left
 * the gallery; they are removed, which writes tombstones on the store's changelog topic. The rule needs no message
 * from the HTTP API, so every instance erases the visits of its own partitions, including visits that were still
 * growing from matches made before the recognize job saw the deletion. The visits of unknown faces whose track is
 * in no group are no one's and are left to their retention.
 */
final class VisitErasure implements Processor<Windowed<String>, Sighting, Windowed<String>, Sighting> {

    private static final Logger LOG = LoggerFactory.getLogger(VisitErasure.class);
    /**
     * How often the store is scanned. A person must be missing from the gallery at two scans in a row before their
     * visits go, so that a gallery store still catching up with a fresh enrolment erases nothing: visits leave the
     * store between one and two periods after the deletion.
     */
    static final Duration SCAN_EVERY = Duration.ofSeconds(5);

    /**
     * The visit keys ({@link Visits#key}) of enrolled people and unknown groups: those before {@code unknown:} (where
     * {@code unknown-<n>} falls, '-' preceding ':') and those after every {@code unknown:...} (';' follows ':'); null
     * is an open end.
     */
    private static final String[][] ENROLLED_KEY_RANGES = {
        {null, Sighting.UNKNOWN_PREFIX},
        {Sighting.UNKNOWN_PREFIX.substring(0, Sighting.UNKNOWN_PREFIX.length() - 1) + ";", null}};

    private ProcessorContext<Windowed<String>, Sighting> context;
    private SessionStore<String, Sighting> visits;
    private KeyValueStore<String, ?> gallery;
    private KeyValueStore<String, ?> unknowns;
    /** People found missing from the gallery at the last scan. */
    private Set<String> missingBefore = Set.of();

    @Override
    public void init(ProcessorContext<Windowed<String>, Sighting> context) {
        this.context = context;
        this.visits = context.getStateStore(GalleryTopology.SIGHTINGS_STORE);
        this.gallery = context.getStateStore(GalleryTopology.GALLERY_STORE);
        this.unknowns = context.getStateStore(GalleryTopology.UNKNOWNS_STORE);
        context.schedule(SCAN_EVERY, PunctuationType.WALL_CLOCK_TIME, now -> scan());
    }

    @Override
    public void process(Record<Windowed<String>, Sighting> visit) {
        if (visit.value() == null || enrolledOrUnknown(visit.value().identityId())) {
            context.forward(visit);
        }
    }

    private boolean enrolledOrUnknown(String identityId) {
        if (identityId.startsWith(Sighting.UNKNOWN_PREFIX)) {
            return true;
        }
        return (Visits.ofGroup(identityId) ? unknowns : gallery).get(identityId) != null;
    }

    /** Removes the visits of people (and unknown groups) missing from their store now and at the scan before. */
    void scan() {
        Set<String> missing = new HashSet<>();
        Map<String, Boolean> known = new HashMap<>();
        List<Windowed<String>> doomed = new ArrayList<>();
        // Two key ranges around the visits of unknown faces ("unknown:..."), which are most visits and no one's to
        // erase: reading a visit costs its JSON, the range skip costs nothing.
        for (String[] range : ENROLLED_KEY_RANGES) {
            try (KeyValueIterator<Windowed<String>, Sighting> it = visits.findSessions(range[0], range[1], 0,
                    Long.MAX_VALUE)) {
                while (it.hasNext()) {
                    var kv = it.next();
                    if (kv.value == null) {
                        continue;
                    }
                    String id = kv.value.identityId();
                    if (!known.computeIfAbsent(id, this::enrolledOrUnknown)) {
                        missing.add(id);
                        if (missingBefore.contains(id)) {
                            doomed.add(kv.key);
                        }
                    }
                }
            }
        }
        for (Windowed<String> visit : doomed) {
            visits.remove(visit);
        }
        if (!doomed.isEmpty()) {
            LOG.info("Erased {} visit(s) of people no longer in the gallery", doomed.size());
        }
        missingBefore = missing;
    }
}
